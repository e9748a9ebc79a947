#pragma once
// Test-time augmentation for constant-Q models: each segment is embedded as heard and transposed
// by a few bins (semitones at 12 bins an octave; the training already draws pitch changes of up
// to a semitone), and the views' rows are pooled into one. A part the model half-hears in one
// view may be clearer in another; the pooled row is the length-weighted mean of the views' unit
// rows, re-normalised, and its weight the views' mean weight (Embedder::embedWeighted).
#include <memory>
#include <vector>

#include "embedding/Embedder.h"

namespace stemscope {

class TransposedViewsEmbedder final : public Embedder {
public:
    // Throws std::invalid_argument unless `inner` reads constant-Q frames and `shifts` is non-empty.
    TransposedViewsEmbedder(std::shared_ptr<const Embedder> inner, std::vector<int> shifts);

    std::string modelId() const override;  // the inner id + ":views" + the shifts, e.g. ":views-1,0,1"
    int dimension() const override { return inner_->dimension(); }
    int segmentFrames() const override { return inner_->segmentFrames(); }
    int featureBands() const override { return inner_->featureBands(); }
    EmbedderInput input() const override { return inner_->input(); }
    EmbedderFeatures features() const override { return inner_->features(); }
    double segmentSeconds() const override { return inner_->segmentSeconds(); }
    Matrix embed(const std::vector<Matrix>& segments) const override;
    Matrix embedWeighted(const std::vector<Matrix>& segments, std::vector<float>& weights) const override;

    // `segment` (frames x bins, dB) moved up by `bins` (down when negative); bins shifted in from
    // outside read as the constant-Q floor (-100 dB, silence).
    static Matrix transpose(const Matrix& segment, int bins);

private:
    std::shared_ptr<const Embedder> inner_;
    std::vector<int> shifts_;
};

}  // namespace stemscope
