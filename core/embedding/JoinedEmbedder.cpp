#include "embedding/JoinedEmbedder.h"

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
    if (!partsShareFeatures())
        throw std::logic_error("joined embedder " + modelId() + ": its parts read different features; embed each part on its own");
    std::vector<Matrix> rows;
    for (const auto& p : parts_) rows.push_back(p->embed(segments));
    return join(rows);
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
