#include "cli/TsneCliOptions.h"

namespace stemscope::cli {

void readTsneOptions(const CliArgs& args, projection::TsneOptions& o)
{
    o.perplexity = args.getDouble("perplexity", o.perplexity);
    o.seed = uint64_t(args.getInt("seed", int(o.seed)));
    o.iterations = args.getInt("iterations", o.iterations);
    o.threads = args.getInt("threads", o.threads);
    o.fft.nodesPerBox = args.getInt("fft-nodes", o.fft.nodesPerBox);
    o.fft.maxBoxWidth = args.getDouble("fft-box-width", o.fft.maxBoxWidth);
    o.treeAboveGridPerPoint = args.getDouble("tree-above-grid-per-point", o.treeAboveGridPerPoint);
    if (int(args.has("exact")) + int(args.has("barnes-hut")) + int(args.has("fft")) > 1)
        throw UsageError("--exact, --barnes-hut and --fft exclude each other");
    if (args.has("exact")) o.method = projection::TsneOptions::Method::Exact;
    if (args.has("barnes-hut")) o.method = projection::TsneOptions::Method::BarnesHut;
    if (args.has("fft")) o.method = projection::TsneOptions::Method::Fft;
}

} // namespace stemscope::cli
