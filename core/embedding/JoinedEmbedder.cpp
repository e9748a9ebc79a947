#include "embedding/JoinedEmbedder.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace stemscope {

JoinedEmbedder::JoinedEmbedder(std::vector<std::shared_ptr<const Embedder>> parts) : parts_(std::move(parts))
{
    if (parts_.size() < 2) throw std::invalid_argument("a joined embedder needs at least two parts");
    for (const auto& p : parts_) {
        if (!p) throw std::invalid_argument("a joined embedder's part is missing");
        if (p->input() != parts_.front()->input())
            throw std::invalid_argument("joined models must hear the same input (" + p->modelId() + " does not)");
        if (p->segmentSeconds() != parts_.front()->segmentSeconds())
            throw std::invalid_argument("joined models must embed segments of one length (" + p->modelId() + " does not)");
    }
}

std::string JoinedEmbedder::modelId() const
{
    std::string id = "joined:";
    for (size_t i = 0; i < parts_.size(); ++i) id += (i ? "+" : "") + parts_[i]->modelId();
    return id;
}

int JoinedEmbedder::dimension() const
{
    int d = 0;
    for (const auto& p : parts_) d += p->dimension();
    return d;
}

bool JoinedEmbedder::partsShareFeatures() const
{
    for (const auto& p : parts_)
        if (p->features() != features() || p->featureBands() != featureBands() || p->segmentFrames() != segmentFrames())
            return false;
    return true;
}

Matrix JoinedEmbedder::embed(const std::vector<Matrix>& segments) const
{
    std::vector<float> unused;
    return embedWeighted(segments, unused);
}

Matrix JoinedEmbedder::embedWeighted(const std::vector<Matrix>& segments, std::vector<float>& weights) const
{
    if (!partsShareFeatures())
        throw std::logic_error("joined embedder " + modelId() + ": its parts read different features; embed each part on its own");
    std::vector<Matrix> rows;
    std::vector<std::vector<float>> partWeights(parts_.size());
    for (size_t k = 0; k < parts_.size(); ++k) rows.push_back(parts_[k]->embedWeighted(segments, partWeights[k]));
    weights = joinWeights(partWeights);
    return join(rows);
}

std::vector<float> JoinedEmbedder::joinWeights(const std::vector<std::vector<float>>& partWeights)
{
    if (partWeights.empty()) return {};
    std::vector<float> out(partWeights.front().size(), 1.f);
    for (size_t r = 0; r < out.size(); ++r) {
        double logSum = 0;
        for (const auto& w : partWeights) {
            if (w.size() != out.size()) throw std::invalid_argument("joined embedder: parts weighted different segment counts");
            logSum += std::log(std::max(double(w[r]), 1e-12));
        }
        out[r] = float(std::exp(logSum / double(partWeights.size())));
    }
    return out;
}

Matrix JoinedEmbedder::join(const std::vector<Matrix>& partRows)
{
    if (partRows.empty()) return {};
    int cols = 0;
    for (const auto& m : partRows) {
        if (m.rows != partRows.front().rows) throw std::invalid_argument("joined embedder: parts embedded different segment counts");
        cols += m.cols;
    }
    Matrix out(partRows.front().rows, cols);
    const float scale = float(1.0 / std::sqrt(double(partRows.size())));
    for (int r = 0; r < out.rows; ++r) {
        int c0 = 0;
        for (const auto& m : partRows) {
            for (int c = 0; c < m.cols; ++c) out(r, c0 + c) = scale * m(r, c);
            c0 += m.cols;
        }
    }
    return out;
}

}  // namespace stemscope
