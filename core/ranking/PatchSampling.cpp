#include "ranking/PatchSampling.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace stemscope {
namespace {
Matrix window(const Matrix& m, int first, int frames, float pad)
{
    Matrix p(frames, m.cols, pad);
    const int n = std::max(0, std::min(frames, m.rows - first));
    std::copy(m.row(first), m.row(first) + size_t(n) * size_t(m.cols), p.data.begin());
    return p;
}
}  // namespace

Matrix randomPatch(const Matrix& m, int frames, std::mt19937_64& rng, float pad)
{
    if (m.empty() || frames < 1) throw std::invalid_argument("randomPatch: empty input");
    if (m.rows <= frames) return window(m, 0, frames, pad);
    std::uniform_int_distribution<int> start(0, m.rows - frames);
    return window(m, start(rng), frames, pad);
}

std::vector<Matrix> evenPatches(const Matrix& m, int frames, int count, float pad)
{
    if (m.empty() || frames < 1 || count < 1) throw std::invalid_argument("evenPatches: empty input");
    if (m.rows <= frames || count == 1) return {window(m, m.rows <= frames ? 0 : (m.rows - frames) / 2, frames, pad)};
    std::vector<Matrix> out;
    const double span = double(m.rows - frames);
    for (int i = 0; i < count; ++i)
        out.push_back(window(m, int(std::lround(span * i / (count - 1))), frames, pad));
    return out;
}

}  // namespace stemscope
