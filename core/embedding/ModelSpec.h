#pragma once
// Shape of the instrument-similarity embedding CNN (torch-free, so headers stay light).
// Input: one log-mel segment, `frames` x `bands` (rows = time). Output: `dim`-d, L2-normalised.
// Architecture (EmbeddingNet.h): input BatchNorm -> 4 x [conv3x3 (no bias) -> BN -> ReLU -> maxpool 2x2]
// -> concat(global mean, global max) -> linear -> L2 normalisation.
#include <array>
#include <string>

namespace stemscope {

struct ModelSpec {
    int bands = 64;                                // mel bands per frame
    int frames = 129;                              // frames per 3 s segment at 22050 Hz / hop 512
    int dim = 128;                                 // embedding size
    std::array<int, 4> channels{16, 32, 64, 64};   // conv block widths
    bool operator==(const ModelSpec& o) const
    {
        return bands == o.bands && frames == o.frames && dim == o.dim && channels == o.channels;
    }
    std::string describe() const
    {
        return std::to_string(frames) + "x" + std::to_string(bands) + " log-mel -> conv[" + std::to_string(channels[0]) +
               "," + std::to_string(channels[1]) + "," + std::to_string(channels[2]) + "," +
               std::to_string(channels[3]) + "] -> " + std::to_string(dim) + "-d";
    }
};

}  // namespace stemscope
