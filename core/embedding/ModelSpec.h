#pragma once
// Shape of the instrument-similarity embedding CNN (torch-free, so headers stay light).
// Input: one log-mel segment, `frames` x `bands` (rows = time). Output: `dim`-d, L2-normalised.
// Architectures (EmbeddingNet.h), both: input BatchNorm -> 4 conv blocks [conv (no bias) -> BN -> ReLU
// -> maxpool 2] -> concat(global mean, global max) -> linear -> L2 normalisation.
//   Temporal (default): 1-D convolutions along time, mel bands as input channels (kernel 3). Dense
//     GEMM-shaped work: ~4-6x the throughput of Conv2d on 2 CPU cores (docs/results/instrument-similarity.md).
//   Conv2d: 3x3 convolutions over the (time, mel) image, 2x2 pooling (the classic small audio CNN).
//   Hybrid: two 3x3 Conv2d layers of channels[0] maps (pooling mel by 2 each, time kept), flattened to
//     channels[0] x bands/4 channels, then four temporal blocks of widths channels[1], [2], [3], [3]
//     (the last two dilated by 2: ~1.4 s receptive field). The 2-D front end shares pattern detectors
//     across pitch, which a part under someone else's band needs; the temporal stack keeps it cheap.
//   Harmonic (constant-Q input only): the CQT stacked with copies shifted to its harmonics 1/2, 1, 2, 3,
//     4, 5 (six channels), two 3x3 Conv2d layers of channels[0] maps, pitch pooled by 2 once (semitone
//     pairs), flattened to channels[0] x bins/2 channels, then the Hybrid's temporal stack.
#include <array>
#include <optional>
#include <string>

#include "embedding/Embedder.h"

namespace stemscope {

enum class ModelArch { Conv2d = 0, Temporal = 1, Hybrid = 2, Harmonic = 3 };

struct ModelSpec {
    ModelArch arch = ModelArch::Temporal;
    int bands = 64;                                // mel bands per frame
    int frames = 129;                              // frames per 3 s segment at 22050 Hz / hop 512
    int dim = 128;                                 // embedding size
    std::array<int, 4> channels{128, 128, 128, 128}; // conv block widths
    // > 0: the output is `subspaces` equal blocks of dim / subspaces, each L2-normalised on its own
    // (the multi-focus mix model: one block per Focus, in kInstrumentFocuses order). 0: one unit vector.
    int subspaces = 0;
    // What a frame holds: log-mel bands, or constant-Q bins (analysis/SegmentFeatures' CQT at the
    // analysis rate: 96 bins from C1, 12 per octave, the same hop as the mel) that keep the pitch
    // resolution below 1 kHz which 64 mel bands lose (chords of a piano or a guitar).
    EmbedderFeatures features = EmbedderFeatures::LogMel;
    int subspaceDim() const { return subspaces > 0 ? dim / subspaces : dim; }
    bool operator==(const ModelSpec& o) const
    {
        return arch == o.arch && bands == o.bands && frames == o.frames && dim == o.dim && channels == o.channels &&
               subspaces == o.subspaces && features == o.features;
    }
    std::string describe() const
    {
        return std::to_string(frames) + "x" + std::to_string(bands) +
               (features == EmbedderFeatures::Cqt ? " CQT -> " : " log-mel -> ") +
               (arch == ModelArch::Temporal   ? "conv1d["
                : arch == ModelArch::Conv2d   ? "conv2d["
                : arch == ModelArch::Harmonic ? "harmonic stack -> conv2d+conv1d["
                                              : "conv2d+conv1d[") +
               std::to_string(channels[0]) +
               "," + std::to_string(channels[1]) + "," + std::to_string(channels[2]) + "," +
               std::to_string(channels[3]) + "] -> " +
               (subspaces > 0 ? std::to_string(subspaces) + " x " + std::to_string(subspaceDim()) + "-d"
                              : std::to_string(dim) + "-d");
    }
};

// "temporal" | "conv2d" | "hybrid" | "harmonic" (command-line and training-config spelling); nullopt otherwise.
inline std::optional<ModelArch> modelArchFromName(const std::string& name)
{
    if (name == "temporal") return ModelArch::Temporal;
    if (name == "conv2d") return ModelArch::Conv2d;
    if (name == "hybrid") return ModelArch::Hybrid;
    if (name == "harmonic") return ModelArch::Harmonic;
    return std::nullopt;
}

}  // namespace stemscope
