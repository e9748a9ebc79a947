#include "embedding/Embedder.h"

#include <cmath>

namespace stemscope {

std::vector<float> centroid(const Matrix& e)
{
    std::vector<float> c(static_cast<size_t>(e.cols), 0.f);
    for (int r = 0; r < e.rows; ++r)
        for (int j = 0; j < e.cols; ++j) c[size_t(j)] += e(r, j);
    double norm = 0;
    for (float v : c) norm += double(v) * v;
    norm = std::sqrt(norm);
    if (norm > 0)
        for (float& v : c) v = float(v / norm);
    return c;
}

}  // namespace stemscope
