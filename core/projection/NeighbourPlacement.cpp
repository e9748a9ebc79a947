#include "projection/NeighbourPlacement.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "projection/Distance.h"

namespace stemscope::projection {

NeighbourPlacement placeByNeighbours(const Matrix& refs, const Matrix& refXY, const Matrix& queries, int k)
{
    if (refs.rows == 0) throw std::invalid_argument("placeByNeighbours: no reference points");
    if (refXY.rows != refs.rows || refXY.cols != 2) throw std::invalid_argument("placeByNeighbours: refXY must be refs.rows x 2");
    if (queries.rows > 0 && queries.cols != refs.cols)
        throw std::invalid_argument("placeByNeighbours: queries and references have different widths");
    k = std::clamp(k, 1, refs.rows);
    NeighbourPlacement out;
    out.positions = Matrix(queries.rows, 2, 0.f);
    out.nearest.resize(size_t(queries.rows));
    std::vector<float> d2(size_t(refs.rows));
    std::vector<int> order(size_t(refs.rows));
    for (int q = 0; q < queries.rows; ++q) {
        for (int r = 0; r < refs.rows; ++r) d2[size_t(r)] = squaredL2(queries.row(q), refs.row(r), refs.cols);
        std::iota(order.begin(), order.end(), 0);
        // Ties by lower row, so the answer does not depend on the sort's internals.
        std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) {
            return d2[size_t(a)] < d2[size_t(b)] || (d2[size_t(a)] == d2[size_t(b)] && a < b);
        });
        double wx = 0, wy = 0, wsum = 0;
        for (int j = 0; j < k; ++j) {
            const int r = order[size_t(j)];
            const double w = 1.0 / (double(d2[size_t(r)]) + 1e-4);
            wx += w * refXY(r, 0);
            wy += w * refXY(r, 1);
            wsum += w;
        }
        out.positions(q, 0) = float(wx / wsum);
        out.positions(q, 1) = float(wy / wsum);
        out.nearest[size_t(q)].assign(order.begin(), order.begin() + k);
    }
    return out;
}

}  // namespace stemscope::projection
