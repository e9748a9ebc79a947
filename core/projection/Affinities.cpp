#include "projection/Affinities.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "projection/BruteForceKnn.h"
#include "projection/Distance.h"
#include "projection/Parallel.h"

namespace stemscope::projection {

double conditionalRow(const float* d2, int m, double perplexity, float* p)
{
    if (m <= 0) return 1.0;
    const double desired = std::log(std::max(perplexity, 1.0 + 1e-6));
    // Shifting by the smallest distance leaves the normalised row unchanged and avoids underflow.
    double dmin = std::numeric_limits<double>::max();
    for (int j = 0; j < m; ++j) dmin = std::min(dmin, double(d2[j]));
    double beta = 1.0, betaMin = -std::numeric_limits<double>::infinity(), betaMax = std::numeric_limits<double>::infinity();
    std::vector<double> w(size_t(m), 0.0);
    for (int step = 0; step < 200; ++step) {
        double sum = 0.0;
        for (int j = 0; j < m; ++j) {
            w[size_t(j)] = std::exp(-(double(d2[j]) - dmin) * beta);
            sum += w[size_t(j)];
        }
        double weighted = 0.0;
        for (int j = 0; j < m; ++j) weighted += (double(d2[j]) - dmin) * w[size_t(j)];
        const double entropy = std::log(sum) + beta * weighted / sum;
        const double diff = entropy - desired;
        if (std::fabs(diff) <= 1e-5) break;
        if (diff > 0) {
            betaMin = beta;
            beta = std::isinf(betaMax) ? beta * 2.0 : (beta + betaMax) / 2.0;
        } else {
            betaMax = beta;
            beta = std::isinf(betaMin) ? beta / 2.0 : (beta + betaMin) / 2.0;
        }
    }
    double sum = 0.0;
    for (int j = 0; j < m; ++j) {
        w[size_t(j)] = std::exp(-(double(d2[j]) - dmin) * beta);
        sum += w[size_t(j)];
    }
    for (int j = 0; j < m; ++j) p[j] = float(w[size_t(j)] / sum);
    return beta;
}

SparseAffinities symmetrise(int n, int k, const std::vector<int>& neighbours, const std::vector<float>& values)
{
    // Row i of C + C^T holds C(i, j) for j in knn(i) plus C(j, i) for every j with i in knn(j).
    std::vector<int64_t> count(size_t(n) + 1, 0);
    for (int i = 0; i < n; ++i)
        for (int a = 0; a < k; ++a) {
            ++count[size_t(i)];
            ++count[size_t(neighbours[size_t(i) * size_t(k) + size_t(a)])];
        }
    std::vector<int64_t> start(size_t(n) + 1, 0);
    for (int i = 0; i < n; ++i) start[size_t(i) + 1] = start[size_t(i)] + count[size_t(i)];
    std::vector<std::pair<int, float>> entries(size_t(start[size_t(n)]));
    std::vector<int64_t> fill(start.begin(), start.end() - 1);
    for (int i = 0; i < n; ++i)
        for (int a = 0; a < k; ++a) {
            const size_t e = size_t(i) * size_t(k) + size_t(a);
            const int j = neighbours[e];
            entries[size_t(fill[size_t(i)]++)] = {j, values[e]};
            entries[size_t(fill[size_t(j)]++)] = {i, values[e]};
        }
    SparseAffinities P;
    P.n = n;
    P.rowStart.assign(size_t(n) + 1, 0);
    P.col.reserve(entries.size());
    P.val.reserve(entries.size());
    double total = 0.0;
    for (int i = 0; i < n; ++i) {
        auto b = entries.begin() + start[size_t(i)], e = entries.begin() + start[size_t(i) + 1];
        std::sort(b, e, [](const auto& x, const auto& y) { return x.first < y.first; });
        for (auto it = b; it != e;) {
            const int j = it->first;
            double v = 0.0;
            for (; it != e && it->first == j; ++it) v += it->second;
            P.col.push_back(j);
            P.val.push_back(float(v));
            total += v;
        }
        P.rowStart[size_t(i) + 1] = int64_t(P.col.size());
    }
    const double scale = total > 0 ? 1.0 / total : 0.0;
    for (auto& v : P.val) v = std::max(float(v * scale), std::numeric_limits<float>::min());
    return P;
}

SparseAffinities exactAffinities(const Matrix& x, double perplexity, int threads)
{
    const int n = x.rows, k = std::max(0, n - 1);
    std::vector<int> nb(size_t(n) * size_t(k));
    std::vector<float> vals(size_t(n) * size_t(k));
    parallelFor(n, threads, [&](int b, int e) {
        std::vector<float> d2(static_cast<size_t>(k));
        for (int i = b; i < e; ++i) {
            const float* xi = x.row(i);
            int a = 0;
            for (int j = 0; j < n; ++j) {
                if (j == i) continue;
                const float* xj = x.row(j);
                const float s = squaredL2(xi, xj, x.cols);
                nb[size_t(i) * size_t(k) + size_t(a)] = j;
                d2[size_t(a++)] = s;
            }
            conditionalRow(d2.data(), k, perplexity, vals.data() + size_t(i) * size_t(k));
        }
    }, 16);
    return symmetrise(n, k, nb, vals);
}

SparseAffinities knnAffinities(const Matrix& x, double perplexity, int k, int threads)
{
    const int n = x.rows;
    if (k <= 0) k = int(std::floor(3.0 * perplexity)) + 1;
    k = std::max(0, std::min(k, n - 1));
    std::vector<int> nb;
    std::vector<float> d2, vals(size_t(n) * size_t(k));
    bruteForceKnn(x, k, threads, nb, d2);
    parallelFor(
        n, threads,
        [&](int b, int e) {
            for (int i = b; i < e; ++i)
                conditionalRow(d2.data() + size_t(i) * size_t(k), k, perplexity, vals.data() + size_t(i) * size_t(k));
        },
        16);
    return symmetrise(n, k, nb, vals);
}

}  // namespace stemscope::projection
