#pragma once
// The t-SNE options that `tsne` and `bench tsne` share: --perplexity, --seed, --iterations, --threads,
// --fft-nodes, --fft-box-width and one of --exact | --barnes-hut | --fft (declare those three as flags).
#include "cli/CliArgs.h"
#include "projection/Tsne.h"

namespace stemscope::cli {

void readTsneOptions(const CliArgs& args, projection::TsneOptions& o);

} // namespace stemscope::cli
