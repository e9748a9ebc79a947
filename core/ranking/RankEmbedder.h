#pragma once
// The learning-to-rank model as an Embedder: the "style" focus. It listens to the whole mix, reads
// CQT patches (512 frames, about 11.9 s) and returns, per patch, the triplet network's embedding, or
// for the auto-tagger the weighted tag vector of its predictions (unit length): cosine distance is
// the model's song similarity either way, so neighbours, maps and heatmaps need nothing new.
#include <memory>
#include <mutex>
#include <string>

#include "embedding/Embedder.h"
#include "embedding/Focus.h"
#include "ranking/RankModelFile.h"

namespace stemscope {

class TagVocabulary;

class RankEmbedder final : public Embedder {
public:
    // `path`: a ranking model file (`rank train --out`) or a folder holding model.rank. Throws
    // std::runtime_error (no file, not a ranking model, damaged).
    explicit RankEmbedder(const std::string& path, std::string modelId = {});
    ~RankEmbedder() override;

    std::string modelId() const override { return id_; }
    int dimension() const override;
    int segmentFrames() const override { return info_.net.frames; }
    int featureBands() const override { return info_.net.bins; }
    Matrix embed(const std::vector<Matrix>& segments) const override;
    EmbedderInput input() const override { return EmbedderInput::Mix; }
    EmbedderFeatures features() const override { return EmbedderFeatures::Cqt; }
    double segmentSeconds() const override;
    const RankModelInfo& info() const { return info_; }

private:
    RankModelInfo info_;
    std::unique_ptr<RankNet> net_;
    std::unique_ptr<TagVocabulary> vocab_;  // the auto-tagger's outputs
    std::string id_;
    mutable std::mutex mutex_;  // RankNet inference is not re-entrant
};

// The file RankEmbedder loads for `path` (the path itself, or path/model.rank).
std::string resolveRankModelFile(const std::string& path);

// Factory with the EmbedderFactory signature: nullptr when `modelDir` holds no model.rank.
std::shared_ptr<const Embedder> makeRankEmbedder(Focus focus, const std::string& modelDir);

}  // namespace stemscope
