// `stemscope-cli bench tsne`: t-SNE on synthetic clustered 128-d unit vectors: time and quality.
#include <chrono>
#include <iomanip>
#include <iostream>

#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "cli/TsneCliOptions.h"
#include "dsp/MatrixIO.h"
#include "projection/Affinities.h"
#include "projection/EmbeddingQuality.h"
#include "projection/SyntheticClusters.h"
#include "projection/Tsne.h"

namespace stemscope::cli {
namespace {

double since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int run(int argc, char** argv)
{
    CliArgs args(argc, argv, {"exact", "barnes-hut", "fft", "no-quality"});
    const int n = args.getInt("n", 10000), dim = args.getInt("dim", 128), clusters = args.getInt("clusters", 20);
    const double spread = args.getDouble("spread", 1.0);
    const int dataSeed = args.getInt("data-seed", 7), repeats = std::max(1, args.getInt("repeats", 1));
    std::vector<int> labels;
    const Matrix x = projection::makeClusters(n, dim, clusters, spread, uint64_t(dataSeed), &labels);
    if (args.has("write-data")) writeMatrix(args.get("write-data"), x);
    if (args.has("write-labels")) {
        Matrix l(n, 1);
        for (int i = 0; i < n; ++i) l(i, 0) = float(labels[size_t(i)]);
        writeMatrix(args.get("write-labels"), l);
    }
    projection::TsneOptions o;
    readTsneOptions(args, o);
    std::cout << "bench tsne: n " << n << ", dim " << dim << ", clusters " << clusters << ", spread " << spread
              << ", threads " << o.threads << "\n";
    projection::TsneResult r;
    for (int rep = 0; rep < repeats; ++rep) {
        const auto t0 = std::chrono::steady_clock::now();
        r = projection::runTsne(x, o);
        std::cout << std::fixed << std::setprecision(2) << "run " << rep + 1 << ": " << projection::methodName(r.method)
                  << " " << since(t0) << " s wall, KL estimate " << std::setprecision(4) << r.kl << "\n";
    }
    if (args.has("out")) writeMatrix(args.get("out"), r.embedding);
    if (!args.has("no-quality")) {
        const auto t0 = std::chrono::steady_clock::now();
        const int queries = n > 20000 ? 5000 : 0;
        const double trust = projection::trustworthiness(x, r.embedding, 10, o.threads, queries);
        const double purity = projection::neighbourPurity(r.embedding, labels, 10, o.threads);
        const auto P = r.exact ? projection::exactAffinities(x, o.perplexity, o.threads)
                               : projection::knnAffinities(x, o.perplexity, 0, o.threads);
        const double kl = projection::klDivergence(P, r.embedding, o.threads);
        std::cout << std::setprecision(5) << "trustworthiness(k=10)" << (queries ? " (5000 sampled points)" : "") << " "
                  << trust << "\nkNN purity(k=10) " << purity << "\nKL(P||Q) " << kl << "\n"
                  << std::setprecision(1) << "(quality metrics " << since(t0) << " s)\n";
    }
    return 0;
}

const CommandRegistration
    reg({"bench tsne", "t-SNE on synthetic clustered 128-d unit vectors: time and quality",
         "stemscope-cli bench tsne [--n 10000] [--dim 128] [--clusters 20] [--spread 1.0] [--data-seed 7]\n"
         "                         [--seed 42] [--perplexity 30] [--iterations 1000] [--threads 2]\n"
         "                         [--exact | --fft | --barnes-hut] [--repeats R] [--no-quality]\n"
         "                         [--fft-nodes P] [--fft-box-width W]\n"
         "                         [--write-data X.f32] [--write-labels L.f32] [--out Y.f32]\n"
         "  data: cluster centres ~ N(0, I), points = centre + spread * N(0, I), L2-normalised\n"
         "  prints wall time per run, then trustworthiness (k=10), 10-NN label purity and KL(P||Q)",
         run});

}  // namespace
}  // namespace stemscope::cli
