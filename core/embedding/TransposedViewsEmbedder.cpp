#include "embedding/TransposedViewsEmbedder.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "dsp/Cqt.h"
#include "index/NeighbourIndex.h"

namespace stemscope {

TransposedViewsEmbedder::TransposedViewsEmbedder(std::shared_ptr<const Embedder> inner, std::vector<int> shifts)
    : inner_(std::move(inner)), shifts_(std::move(shifts))
{
    if (!inner_) throw std::invalid_argument("transposed views need a model");
    if (inner_->features() != EmbedderFeatures::Cqt)
        throw std::invalid_argument("transposed views need a constant-Q model (" + inner_->modelId() +
                                    " reads log-mel frames, where a band shift is not a transposition)");
    if (shifts_.empty()) throw std::invalid_argument("transposed views need at least one shift");
}

std::string TransposedViewsEmbedder::modelId() const
{
    std::string id = inner_->modelId() + ":views";
    for (size_t i = 0; i < shifts_.size(); ++i) id += (i ? "," : "") + std::to_string(shifts_[i]);
    return id;
}

Matrix TransposedViewsEmbedder::transpose(const Matrix& segment, int bins)
{
    const float floorDb = 10.f * std::log10(CqtConfig{}.amin);  // silence in the analysis CQT
    Matrix out(segment.rows, segment.cols);
    for (int r = 0; r < segment.rows; ++r)
        for (int b = 0; b < segment.cols; ++b) {
            const int from = b - bins;
            out(r, b) = from >= 0 && from < segment.cols ? segment(r, from) : floorDb;
        }
    return out;
}

Matrix TransposedViewsEmbedder::embed(const std::vector<Matrix>& segments) const
{
    std::vector<float> weights;
    return embedWeighted(segments, weights);
}

Matrix TransposedViewsEmbedder::embedWeighted(const std::vector<Matrix>& segments, std::vector<float>& weights) const
{
    // Every view in one call: one forward pass of views x segments rows.
    std::vector<Matrix> views;
    views.reserve(segments.size() * shifts_.size());
    for (int s : shifts_)
        for (const auto& m : segments) views.push_back(s == 0 ? m : transpose(m, s));
    std::vector<float> viewWeights;
    const Matrix rows = inner_->embedWeighted(views, viewWeights);
    const size_t n = segments.size();
    if (size_t(rows.rows) != views.size() || viewWeights.size() != views.size())
        throw std::runtime_error(inner_->modelId() + " returned " + std::to_string(rows.rows) + " rows for " +
                                 std::to_string(views.size()) + " segments");
    Matrix out(int(n), rows.cols);
    weights.assign(n, 0.f);
    for (size_t i = 0; i < n; ++i) {
        float* o = out.row(int(i));
        for (size_t v = 0; v < shifts_.size(); ++v) {
            const size_t k = v * n + i;
            const float* e = rows.row(int(k));
            for (int c = 0; c < rows.cols; ++c) o[c] += viewWeights[k] * e[c];
            weights[i] += viewWeights[k] / float(shifts_.size());
        }
    }
    normaliseRows(out);
    return out;
}

}  // namespace stemscope
