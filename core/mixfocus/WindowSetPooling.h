#pragma once
// The set-level view of a training item (MultiFocusTrainConfig::setSegments): an item of
// frames + (windows - 1) * hop frames is cut into `windows` analysis windows `hop` frames apart (the
// engine's segments), and its embedding is the sum of their raw outputs. Normalised block by block,
// that sum is exactly the engine's length-weighted track centroid of those windows (each unit block
// weighed by its length, TorchEmbedder::embedWeighted): sum_w |y_w| (y_w / |y_w|) = sum_w y_w.
#include <stdexcept>

#include "embedding/EmbeddingNet.h"

namespace stemscope::detail {

// x: [N, spec.frames + (windows - 1) * hop, bands] -> [N, dim], raw (not normalised).
inline torch::Tensor forwardWindowSum(EmbeddingNet& net, const torch::Tensor& x, int windows, int hop)
{
    const int frames = net->spec().frames;
    if (windows < 1 || hop < 1 || x.dim() != 3 || x.size(1) != frames + int64_t(windows - 1) * hop)
        throw std::invalid_argument("window set: the item length is not frames + (windows - 1) * hop");
    const int64_t n = x.size(0), bands = x.size(2);
    // unfold: [N, windows, bands, frames] -> [N * windows, frames, bands]
    const auto w = x.unfold(1, frames, hop).transpose(2, 3).reshape({n * windows, frames, bands});
    return net->forward(w, nullptr, 0, false).view({n, windows, -1}).sum(1);
}

}  // namespace stemscope::detail
