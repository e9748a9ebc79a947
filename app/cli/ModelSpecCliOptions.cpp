#include "cli/ModelSpecCliOptions.h"

#include <cstdio>

namespace stemscope::cli {

void readModelShape(const CliArgs& args, ModelSpec& spec, const std::map<ModelArch, std::array<int, 4>>& defaultChannels)
{
    if (args.has("arch")) {
        const auto arch = modelArchFromName(args.get("arch"));
        if (!arch) throw UsageError("unknown --arch '" + args.get("arch") + "' (temporal, conv2d, hybrid, harmonic)");
        spec.arch = *arch;
    }
    if (auto it = defaultChannels.find(spec.arch); it != defaultChannels.end()) spec.channels = it->second;
    if (args.has("channels")) {
        const auto w = args.get("channels");
        std::array<int, 4> c{};
        char tail = 0;
        if (std::sscanf(w.c_str(), "%d,%d,%d,%d%c", &c[0], &c[1], &c[2], &c[3], &tail) != 4 || c[0] < 1 || c[1] < 1 ||
            c[2] < 1 || c[3] < 1)
            throw UsageError("--channels takes four positive widths, e.g. 128,128,128,128, not '" + w + "'");
        spec.channels = c;
    }
}

}  // namespace stemscope::cli
