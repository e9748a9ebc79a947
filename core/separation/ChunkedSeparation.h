#pragma once
// Separating a long mix window by window, so memory holds one window's stems instead of the
// whole track's (five stems of a 30-minute track are 800 MB of floats). Each window is
// `chunkSeconds` of output plus `marginSeconds` of context on both sides, which the separator
// sees and the output drops: the separator's receptive field (about a second for the shipped
// model) stays inside the margin, so the stems match whole-track separation except for rounding
// at the STFT frame grid.
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "separation/Separator.h"

namespace stemscope {

struct ChunkOptions {
    double chunkSeconds = 60.0;
    double marginSeconds = 5.0;
};

// `mix` at `mixRate` (resampled to the separator's rate per window when they differ). `sink`
// receives, in order, each stem's next block at `mixRate` and its offset in samples; `checkpoint`
// runs between windows (it may throw to cancel).
void separateInChunks(const Separator& separator, const std::vector<float>& mix, double mixRate,
                      const std::function<void(const std::map<std::string, std::vector<float>>& block, size_t offset)>& sink,
                      const ChunkOptions& options = {}, const std::function<void()>& checkpoint = {});

}  // namespace stemscope
