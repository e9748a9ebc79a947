#pragma once
// The network of the learning-to-rank mode: a lean 4-block CNN trunk over a CQT patch (frames x
// bins, e.g. 512 x 96), frequency max-pooled, then pooled over time (max or auto-pooling), then
//   - embedding head (outputs == 0): Linear(C, dim) and L2 normalisation (the triplet network);
//   - tagger head    (outputs  > 0): Linear(C, outputs) logits (the auto-tagger baseline).
// Trunk: BatchNorm on the input, then 4 x [Conv3x3 -> BatchNorm -> ReLU -> MaxPool], pools (4 time,
// 2 freq), (2, 2), (2, 2), (2, 2); channels `width` x (1, 2, 4, 8). With width 8 about 30 M MACs
// per 512 x 96 patch, which trains at a useful rate on 2 CPU cores.
// LibTorch stays inside RankNet.cpp (pimpl); tensors cross this header only as at::Tensor.
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "dsp/Matrix.h"
#include "ranking/TorchFwd.h"

namespace stemscope {

enum class TemporalPooling { Max, AutoPool };
const char* poolingName(TemporalPooling p);
bool poolingFromName(const std::string& name, TemporalPooling& out);

struct RankNetConfig {
    int bins = 96;       // CQT bins per frame
    int frames = 512;    // frames per patch
    int width = 8;       // channels of the first block (x1, x2, x4, x8 in the four blocks)
    int dim = 128;       // embedding dimension (embedding head)
    int outputs = 0;     // > 0: tagger head with this many logits
    TemporalPooling pooling = TemporalPooling::Max;
    bool isTagger() const { return outputs > 0; }
};

class RankNet {
public:
    explicit RankNet(const RankNetConfig& config, uint64_t seed = 1);
    ~RankNet();
    RankNet(const RankNet&) = delete;
    RankNet& operator=(const RankNet&) = delete;

    const RankNetConfig& config() const;
    // batch: (B, frames, bins) float. Embedding head: (B, dim) unit rows; tagger head: (B, outputs) logits.
    at::Tensor forward(const at::Tensor& batch);
    std::vector<at::Tensor> parameters() const;
    void setTraining(bool on);
    long long parameterCount() const;
    // Current alpha of the auto-pooling layer (empty for max pooling).
    std::vector<float> autoPoolAlpha() const;

    // Inference without gradients, in eval mode: one output row per patch (frames x bins each).
    // Embedding head: L2-normalised embeddings; tagger head: sigmoid probabilities.
    Matrix infer(const std::vector<Matrix>& patches, int batchSize = 16);

    // Parameters and buffers (torch archive). The configuration is stored by the caller.
    void save(std::ostream& out) const;
    void load(std::istream& in);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Stacks patches (each frames x bins) into a (B, frames, bins) float tensor.
at::Tensor patchesToTensor(const std::vector<const Matrix*>& patches);

}  // namespace stemscope
