// `stemscope-cli model average`: weight-average models of one shape (checkpoints of a run, or a
// fine-tune and its starting point) into one model file.
#include <iostream>

#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "embedding/ModelAverage.h"

namespace stemscope::cli {
namespace {

int run(int argc, char** argv)
{
    CliArgs args(argc, argv);
    const auto& inputs = args.positional();
    if (inputs.size() < 2) throw UsageError("need at least two model files to average");
    if (!args.has("out")) throw UsageError("need --out FILE");
    std::vector<double> weights;
    for (const auto& w : splitList(args.get("weights"))) {
        try {
            weights.push_back(std::stod(w));
        } catch (const std::exception&) {
            throw UsageError("--weights: '" + w + "' is not a number");
        }
    }
    averageModelFiles(inputs, weights, args.get("out"));
    std::cerr << args.get("out") << ": the average of " << inputs.size() << " models\n";
    return 0;
}

const CommandRegistration reg(
    {"model average", "weight-average models of one shape (checkpoints of one run) into one model file",
     "stemscope-cli model average A.pt B.pt [C.pt...] --out OUT.pt [--weights a,b,...]\n"
     "  Parameters and normalisation statistics averaged (equal weights unless --weights); models of\n"
     "  another shape are refused. Averaging checkpoints of one run's last steps (stochastic weight\n"
     "  averaging) or a fine-tune with its starting model (a model soup) often beats each of them:\n"
     "  validate before serving it.",
     run});

}  // namespace
}  // namespace stemscope::cli
