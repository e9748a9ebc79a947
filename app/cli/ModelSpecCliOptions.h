#pragma once
// The network-shape options that `train` and `train-mix` share: --arch temporal|conv2d|hybrid and
// --channels a,b,c,d. Each command passes its own default widths per architecture.
#include <array>
#include <map>

#include "cli/CliArgs.h"
#include "embedding/ModelSpec.h"

namespace stemscope::cli {

// Sets spec.arch from --arch (left as it is without one) and spec.channels from --channels, else from
// `defaultChannels` of that arch (when listed). Throws UsageError on an unknown arch or bad widths.
void readModelShape(const CliArgs& args, ModelSpec& spec, const std::map<ModelArch, std::array<int, 4>>& defaultChannels);

}  // namespace stemscope::cli
