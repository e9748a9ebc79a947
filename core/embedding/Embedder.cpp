#include "embedding/Embedder.h"

#include <cmath>
#include <stdexcept>

namespace stemscope {

Matrix Embedder::embedWeighted(const std::vector<Matrix>& segments, std::vector<float>& weights) const
{
    Matrix rows = embed(segments);
    weights.assign(size_t(rows.rows), 1.f);
    return rows;
}

std::vector<float> centroid(const Matrix& e, const std::vector<float>& weights)
{
    if (!weights.empty() && weights.size() != size_t(e.rows)) throw std::invalid_argument("centroid: one weight per row required");
    std::vector<float> c(static_cast<size_t>(e.cols), 0.f);
    for (int r = 0; r < e.rows; ++r) {
        const float w = weights.empty() ? 1.f : weights[size_t(r)];
        for (int j = 0; j < e.cols; ++j) c[size_t(j)] += w * e(r, j);
    }
    double norm = 0;
    for (float v : c) norm += double(v) * v;
    norm = std::sqrt(norm);
    if (norm > 0)
        for (float& v : c) v = float(v / norm);
    return c;
}

}  // namespace stemscope
