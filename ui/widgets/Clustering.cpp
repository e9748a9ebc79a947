#include "widgets/Clustering.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

namespace stemscope::ui {

std::vector<int> averageLinkageOrder(const std::vector<float>& distances, int n)
{
    if (n <= 0) return {};
    if (distances.size() < std::size_t(n) * std::size_t(n)) {
        std::vector<int> identity(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) identity[std::size_t(i)] = i;
        return identity;
    }
    // Largest finite value stands in for NaN/Inf so broken entries are merged last.
    double far = 0.0;
    for (float v : distances)
        if (std::isfinite(v)) far = std::max(far, double(v));
    far = far * 2.0 + 1.0;

    const std::size_t N = std::size_t(n);
    std::vector<double> d(N * N, 0.0);
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = 0; j < N; ++j) {
            // Symmetrise: average both triangles in case the caller's matrix is slightly off.
            const float a = distances[i * N + j], b = distances[j * N + i];
            const double va = std::isfinite(a) ? a : far, vb = std::isfinite(b) ? b : far;
            d[i * N + j] = 0.5 * (va + vb);
        }

    std::vector<std::vector<int>> leaves(N);
    std::vector<double> size(N, 1.0);
    std::vector<bool> alive(N, true);
    for (std::size_t i = 0; i < N; ++i) leaves[i] = {int(i)};

    for (int merges = 0; merges < n - 1; ++merges) {
        double best = std::numeric_limits<double>::infinity();
        std::size_t bi = 0, bj = 0;
        bool found = false;
        for (std::size_t i = 0; i < N; ++i) {
            if (!alive[i]) continue;
            for (std::size_t j = i + 1; j < N; ++j) {
                if (!alive[j]) continue;
                if (!found || d[i * N + j] < best) {
                    best = d[i * N + j];
                    bi = i;
                    bj = j;
                    found = true;
                }
            }
        }
        if (!found) break;
        // Lance-Williams update for average linkage; the merged cluster keeps index bi.
        for (std::size_t k = 0; k < N; ++k) {
            if (!alive[k] || k == bi || k == bj) continue;
            const double v = (size[bi] * d[bi * N + k] + size[bj] * d[bj * N + k]) / (size[bi] + size[bj]);
            d[bi * N + k] = d[k * N + bi] = v;
        }
        size[bi] += size[bj];
        leaves[bi].insert(leaves[bi].end(), leaves[bj].begin(), leaves[bj].end());
        leaves[bj].clear();
        alive[bj] = false;
    }
    std::vector<int> order;
    order.reserve(N);
    for (std::size_t i = 0; i < N; ++i)
        if (alive[i]) order.insert(order.end(), leaves[i].begin(), leaves[i].end());
    return order;
}

bool isPermutation(const std::vector<int>& order, int n)
{
    if (n < 0 || order.size() != std::size_t(n)) return false;
    std::vector<bool> seen(std::size_t(n), false);
    for (int v : order) {
        if (v < 0 || v >= n || seen[std::size_t(v)]) return false;
        seen[std::size_t(v)] = true;
    }
    return true;
}

}  // namespace stemscope::ui
