#pragma once
// The LibTorch implementation of Embedder: the instrument-similarity CNN (ModelSpec) loaded from a
// model file written by the trainer (instrsim/TripletTrainer). Torch stays behind a pimpl.
#include <memory>
#include <string>

#include "embedding/Embedder.h"
#include "embedding/Focus.h"
#include "embedding/ModelSpec.h"

namespace stemscope {

class TorchEmbedder final : public Embedder {
public:
    // `path`: a model file (model.pt) or a folder holding one. Throws std::runtime_error.
    explicit TorchEmbedder(const std::string& path, std::string modelId = {});
    ~TorchEmbedder() override;
    TorchEmbedder(const TorchEmbedder&) = delete;
    TorchEmbedder& operator=(const TorchEmbedder&) = delete;

    std::string modelId() const override { return id_; }
    int dimension() const override { return spec_.dim; }
    int segmentFrames() const override { return spec_.frames; }
    int featureBands() const override { return spec_.bands; }
    // Segments with other shapes are cut / edge-padded to segmentFrames() x featureBands(). Thread-safe.
    Matrix embed(const std::vector<Matrix>& segments) const override;
    const ModelSpec& spec() const { return spec_; }

    // Embeds `count` contiguous segments (frames x bands floats each) in batches.
    Matrix embedRaw(const float* data, long long count) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    ModelSpec spec_;
    std::string id_;
};

// The file TorchEmbedder would load for `path` (path itself, or path/model.pt).
std::string resolveModelFile(const std::string& path);

// Factory with the EmbedderFactory signature: nullptr when `modelDir` holds no model.pt.
std::shared_ptr<const Embedder> makeTorchEmbedder(Focus focus, const std::string& modelDir);

}  // namespace stemscope
