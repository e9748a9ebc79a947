#pragma once
// Several models' views of the same segments side by side (e.g. bass: the hybrid log-mel model and
// a constant-Q model, which miss different songs). Each part's unit rows are scaled by 1/sqrt(n),
// so a joined row has unit length and its cosine distance is the mean of the parts' distances.
// The parts may read different features; SegmentEmbeddingReader feeds each its own.
#include <memory>
#include <vector>

#include "embedding/Embedder.h"

namespace stemscope {

class JoinedEmbedder : public Embedder {
public:
    // Throws std::invalid_argument for fewer than two parts or parts that hear different inputs or
    // segment lengths (they must embed the same segments).
    explicit JoinedEmbedder(std::vector<std::shared_ptr<const Embedder>> parts);
    const std::vector<std::shared_ptr<const Embedder>>& parts() const { return parts_; }

    std::string modelId() const override;  // "joined:" + the parts' ids joined by '+'
    int dimension() const override;
    // The first part's shape and features: what a caller that cannot tell the parts apart sees.
    int segmentFrames() const override { return parts_.front()->segmentFrames(); }
    int featureBands() const override { return parts_.front()->featureBands(); }
    EmbedderFeatures features() const override { return parts_.front()->features(); }
    EmbedderInput input() const override { return parts_.front()->input(); }
    double segmentSeconds() const override { return parts_.front()->segmentSeconds(); }
    // Only when every part reads the same features (then the segments suit them all); else throws
    // std::logic_error: read each part's own features (SegmentEmbeddingReader does).
    Matrix embed(const std::vector<Matrix>& segments) const override;
    Matrix embedWeighted(const std::vector<Matrix>& segments, std::vector<float>& weights) const override;
    bool partsShareFeatures() const;

    // The joined rows of the parts' rows for the same segments (every matrix the same row count).
    static Matrix join(const std::vector<Matrix>& partRows);
    // A joined row's weight: the geometric mean of its parts' weights (a part's scale cancels in the
    // centroid, so parts whose lengths differ in scale still count alike).
    static std::vector<float> joinWeights(const std::vector<std::vector<float>>& partWeights);

private:
    std::vector<std::shared_ptr<const Embedder>> parts_;
};

}  // namespace stemscope
