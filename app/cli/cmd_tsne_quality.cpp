// `stemscope-cli tsne quality`: trustworthiness and KL divergence of a 2-D embedding of X.
#include <chrono>
#include <iomanip>
#include <iostream>

#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "dsp/MatrixIO.h"
#include "projection/Affinities.h"
#include "projection/EmbeddingQuality.h"

namespace stemscope::cli {
namespace {

int run(int argc, char** argv)
{
    CliArgs args(argc, argv, {"exact-p"});
    const std::string in = args.get("in"), emb = args.get("embedding");
    if (in.empty() || emb.empty()) throw UsageError("--in and --embedding are required");
    const Matrix x = readMatrix(in), y = readMatrix(emb);
    if (x.rows != y.rows) throw UsageError("X and the embedding have different row counts");
    const int k = args.getInt("k", 10), threads = args.getInt("threads", 2), queries = args.getInt("queries", 0);
    const double perplexity = args.getDouble("perplexity", 30.0);
    const auto t0 = std::chrono::steady_clock::now();
    const double trust = projection::trustworthiness(x, y, k, threads, queries);
    const bool exactP = args.has("exact-p");
    const auto P = exactP ? projection::exactAffinities(x, perplexity, threads)
                          : projection::knnAffinities(x, perplexity, 0, threads);
    const double kl = projection::klDivergence(P, y, threads);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << std::fixed << std::setprecision(5) << "trustworthiness(k=" << k << ")" << (queries > 0 ? " sampled" : "")
              << " " << trust << "\nKL(P||Q) " << (exactP ? "exact" : "kNN") << "-P " << kl << "\n"
              << std::setprecision(2) << "(" << seconds << " s)\n";
    return 0;
}

const CommandRegistration reg({"tsne quality", "trustworthiness and KL divergence of an embedding",
                               "stemscope-cli tsne quality --in X.f32 --embedding Y.f32 [--k 10] [--perplexity 30] [--exact-p]\n"
                               "                           [--queries Q] [--threads T]\n"
                               "  trustworthiness: sklearn.manifold.trustworthiness definition (Euclidean), k default 10;\n"
                               "    --queries Q estimates it from Q random points (ranks against all n) for large n\n"
                               "  KL(P||Q): P from perplexity-calibrated Gaussians over the floor(3*perplexity)+1 nearest\n"
                               "    neighbours (as Barnes-Hut t-SNE / sklearn), or over all pairs with --exact-p;\n"
                               "    Q normalised exactly over all pairs",
                               run});

}  // namespace
}  // namespace stemscope::cli
