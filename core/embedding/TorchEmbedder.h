#pragma once
// The LibTorch implementation of Embedder: the instrument-similarity CNN (ModelSpec) loaded from a
// model file written by a trainer (instrsim/TripletTrainer: one space, listens to the focus's stem;
// mixfocus/MultiFocusTrainer: one block per focus, listens to the mix). Torch stays behind a pimpl.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "embedding/Embedder.h"
#include "embedding/Focus.h"
#include "embedding/ModelSpec.h"

namespace stemscope {

class TorchEmbedder final : public Embedder {
public:
    // `path`: a model file (model.pt) or a folder holding one. Throws std::runtime_error.
    // `focus`: for a multi-focus model, the block this embedder returns (none: the whole vector).
    explicit TorchEmbedder(const std::string& path, std::string modelId = {}, std::optional<Focus> focus = {});
    ~TorchEmbedder() override;
    TorchEmbedder(const TorchEmbedder&) = delete;
    TorchEmbedder& operator=(const TorchEmbedder&) = delete;

    std::string modelId() const override { return id_; }
    void setModelId(std::string id) { id_ = std::move(id); }
    int dimension() const override { return block_ >= 0 ? spec_.subspaceDim() : spec_.dim; }
    int segmentFrames() const override { return spec_.frames; }
    int featureBands() const override { return spec_.bands; }
    // Segments with other shapes are cut / edge-padded to segmentFrames() x featureBands(). Thread-safe.
    Matrix embed(const std::vector<Matrix>& segments) const override;
    // A multi-focus model's block view weights each segment by its block's length before
    // normalisation (weighsByLength); other views weight every segment alike.
    Matrix embedWeighted(const std::vector<Matrix>& segments, std::vector<float>& weights) const override;
    // True for a block view of a multi-focus model: there the block's length says how strongly the
    // network heard its focus, and weighting the centroid by it found more parts on 448 validation
    // pseudo-mixes (docs/results/focus-on-mixes.md, session 47). Not measured for one-space models.
    bool weighsByLength() const { return block_ >= 0; }
    // Multi-focus models are trained on mixes: they listen to the mix for every focus.
    EmbedderInput input() const override { return spec_.subspaces > 0 ? EmbedderInput::Mix : EmbedderInput::FocusSignal; }
    EmbedderFeatures features() const override { return spec_.features; }
    const ModelSpec& spec() const { return spec_; }
    // "mixfocus-cnn" (multi-focus mix model) or "instrsim-cnn" (one focus): the first part of model ids.
    std::string family() const { return spec_.subspaces > 0 ? "mixfocus-cnn" : "instrsim-cnn"; }

    // Embeds `count` contiguous segments (frames x bands floats each) in batches; `weights` (optional)
    // gets each row's weight as embedWeighted gives it.
    Matrix embedRaw(const float* data, long long count, std::vector<float>* weights = nullptr) const;

private:
    std::vector<float> packSegments(const std::vector<Matrix>& segments) const;  // cut / edge-padded, contiguous

    struct Impl;
    std::unique_ptr<Impl> impl_;
    ModelSpec spec_;
    std::string id_;
    int block_ = -1;  // focus block of a multi-focus model, -1 = whole output
};

// The file TorchEmbedder would load for `path` (path itself, or path/model.pt).
std::string resolveModelFile(const std::string& path);

// Factory with the EmbedderFactory signature: nullptr when `modelDir` holds no model.pt.
std::shared_ptr<const Embedder> makeTorchEmbedder(Focus focus, const std::string& modelDir);

}  // namespace stemscope
