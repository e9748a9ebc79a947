// `stemscope-cli tsne`: 2-D t-SNE map of a feature matrix (see core/projection/Tsne.h).
#include <chrono>
#include <iomanip>
#include <iostream>

#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "cli/TsneCliOptions.h"
#include "dsp/MatrixIO.h"
#include "projection/Tsne.h"

namespace stemscope::cli {
namespace {

int run(int argc, char** argv)
{
    CliArgs args(argc, argv, {"exact", "barnes-hut", "fft", "random-init", "quiet"});
    const std::string in = args.get("in"), out = args.get("out");
    if (in.empty() || out.empty()) throw UsageError("--in and --out are required");
    if (!args.positional().empty()) throw UsageError("unexpected argument '" + args.positional()[0] + "'");
    projection::TsneOptions o;
    readTsneOptions(args, o);
    o.learningRate = args.getDouble("learning-rate", 0.0);
    o.theta = args.getDouble("theta", o.theta);
    if (args.has("random-init")) o.init = projection::TsneOptions::Init::Random;
    if (!args.has("quiet"))
        o.progress = [](int it, double kl) {
            std::cerr << "iteration " << it << ": KL " << std::fixed << std::setprecision(4) << kl << "\n";
        };
    const Matrix x = readMatrix(in);
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = projection::runTsne(x, o);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    writeMatrix(out, r.embedding);
    std::cout << "t-SNE " << projection::methodName(r.method) << ": " << x.rows << " x " << x.cols << " -> " << out
              << ", " << r.iterations << " iterations, learning rate " << std::setprecision(1) << std::fixed
              << r.learningRate << ", KL " << std::setprecision(4) << r.kl << ", " << std::setprecision(2) << seconds
              << " s\n";
    return 0;
}

const CommandRegistration
    reg({"tsne", "2-D t-SNE map of a feature matrix (exact, FFT-interpolated or Barnes-Hut)",
         "stemscope-cli tsne --in X.f32 --out Y.f32 [--perplexity P] [--seed S] [--exact | --fft | --barnes-hut]\n"
         "                   [--iterations N] [--learning-rate L] [--theta T] [--threads T] [--random-init] [--quiet]\n"
         "                   [--fft-nodes P] [--fft-box-width W]\n"
         "  --in/--out      matrices: .npy, or raw f32 = int32 rows, int32 cols, then rows*cols float32\n"
         "                  (little-endian, row-major); the output is rows x 2\n"
         "  --perplexity    effective neighbour count (default 30)\n"
         "  --seed          initialisation / tree seed (default 42)\n"
         "  --exact         O(n^2) exact gradient (default: exact up to 1500 points, else FFT)\n"
         "  --fft           force FFT-interpolated repulsion (3*perplexity nearest neighbours, FIt-SNE grid)\n"
         "  --barnes-hut    force Barnes-Hut (3*perplexity nearest neighbours, quadtree, theta 0.5)\n"
         "  --fft-nodes     FFT: interpolation nodes per box and axis (default 5)\n"
         "  --fft-box-width FFT: largest box width in map units (default 1)\n"
         "  --iterations    total iterations incl. 250 of early exaggeration (default 1000)\n"
         "  --learning-rate default auto = max(n / 48, 50)\n"
         "  --threads       worker threads (default 2; 0 = all cores)",
         run});

}  // namespace
}  // namespace stemscope::cli
