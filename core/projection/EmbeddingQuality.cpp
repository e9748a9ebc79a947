#include "projection/EmbeddingQuality.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "projection/Distance.h"
#include "projection/Parallel.h"

namespace stemscope::projection {
namespace {
float squaredDistance(const float* a, const float* b, int d) { return squaredL2(a, b, d); }
}  // namespace

double trustworthiness(const Matrix& x, const Matrix& y, int k, int threads, int maxQueries, uint64_t seed)
{
    const int n = x.rows;
    if (y.rows != n) throw std::invalid_argument("trustworthiness: X and Y have different row counts");
    if (k <= 0 || k >= n / 2.0) throw std::invalid_argument("trustworthiness: need 0 < k < n / 2");
    std::vector<int> queries(static_cast<size_t>(n));
    std::iota(queries.begin(), queries.end(), 0);
    if (maxQueries > 0 && maxQueries < n) {
        uint64_t s = seed * 0x9e3779b97f4a7c15ULL + 12345;
        for (int i = 0; i < maxQueries; ++i) {  // partial Fisher-Yates
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            const int j = i + int(s % uint64_t(n - i));
            std::swap(queries[size_t(i)], queries[size_t(j)]);
        }
        queries.resize(static_cast<size_t>(maxQueries));
    }
    const int m = int(queries.size());
    std::vector<double> penalty(size_t(m), 0.0);
    parallelFor(m, threads, [&](int b, int e) {
        std::vector<float> dx(static_cast<size_t>(n));
        std::vector<std::pair<float, int>> dy(static_cast<size_t>(n));
        std::vector<float> sorted(static_cast<size_t>(n));
        for (int q = b; q < e; ++q) {
            const int i = queries[size_t(q)];
            for (int j = 0; j < n; ++j) {
                dx[size_t(j)] = j == i ? INFINITY : squaredDistance(x.row(i), x.row(j), x.cols);
                dy[size_t(j)] = {j == i ? INFINITY : squaredDistance(y.row(i), y.row(j), y.cols), j};
            }
            // k nearest in Y (ties broken by index).
            std::partial_sort(dy.begin(), dy.begin() + k, dy.end());
            // The k-th smallest input distance: neighbours in X are those with dx <= kth.
            sorted = dx;
            std::nth_element(sorted.begin(), sorted.begin() + (k - 1), sorted.end());
            const float kth = sorted[size_t(k - 1)];
            double p = 0.0;
            for (int a = 0; a < k; ++a) {
                const int j = dy[size_t(a)].second;
                const float dj = dx[size_t(j)];
                if (dj <= kth) continue;
                // Rank of j in X: 1 + number of points strictly closer to i.
                long long rank = 1;
                for (int t = 0; t < n; ++t) rank += dx[size_t(t)] < dj;
                p += double(rank - k);
            }
            penalty[size_t(q)] = p;
        }
    }, 8);
    const double total = std::accumulate(penalty.begin(), penalty.end(), 0.0) * (double(n) / m);
    return 1.0 - total * (2.0 / (double(n) * k * (2.0 * n - 3.0 * k - 1.0)));
}

double neighbourPurity(const Matrix& y, const std::vector<int>& labels, int k, int threads)
{
    const int n = y.rows;
    if (int(labels.size()) != n) throw std::invalid_argument("neighbourPurity: one label per row needed");
    k = std::min(k, n - 1);
    if (k <= 0) return 1.0;
    std::vector<double> share(static_cast<size_t>(n), 0.0);
    parallelFor(n, threads, [&](int b, int e) {
        std::vector<std::pair<float, int>> d(static_cast<size_t>(n));
        for (int i = b; i < e; ++i) {
            for (int j = 0; j < n; ++j) d[size_t(j)] = {j == i ? INFINITY : squaredDistance(y.row(i), y.row(j), y.cols), j};
            std::partial_sort(d.begin(), d.begin() + k, d.end());
            int same = 0;
            for (int a = 0; a < k; ++a) same += labels[size_t(d[size_t(a)].second)] == labels[size_t(i)];
            share[size_t(i)] = double(same) / k;
        }
    }, 8);
    return std::accumulate(share.begin(), share.end(), 0.0) / n;
}

double klDivergence(const SparseAffinities& P, const Matrix& y, int threads)
{
    const int n = y.rows;
    if (P.n != n) throw std::invalid_argument("klDivergence: P and Y have different sizes");
    std::vector<double> zRow(size_t(n), 0.0), klRow(size_t(n), 0.0);
    parallelFor(n, threads, [&](int b, int e) {
        for (int i = b; i < e; ++i) {
            double z = 0.0;
            for (int j = 0; j < n; ++j)
                if (j != i) z += 1.0 / (1.0 + double(squaredDistance(y.row(i), y.row(j), y.cols)));
            zRow[size_t(i)] = z;
            double kl = 0.0;
            for (int64_t a = P.rowStart[size_t(i)]; a < P.rowStart[size_t(i) + 1]; ++a) {
                const double p = P.val[size_t(a)];
                if (p <= 0) continue;
                const double w = 1.0 / (1.0 + double(squaredDistance(y.row(i), y.row(P.col[size_t(a)]), y.cols)));
                kl += p * std::log(p / w);  // log(p / q) = log(p / w) + log(Z), added below
            }
            klRow[size_t(i)] = kl;
        }
    }, 8);
    double z = 0.0, kl = 0.0, psum = 0.0;
    for (int i = 0; i < n; ++i) {
        z += zRow[size_t(i)];
        kl += klRow[size_t(i)];
    }
    for (float v : P.val) psum += v;
    return kl + psum * std::log(z);
}

}  // namespace stemscope::projection
