#include "projection/TsneGradient.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "projection/Parallel.h"
#include "projection/QuadTree.h"

#if defined(__x86_64__)
#include "util/Avx2Sum.h"
#endif

#include "util/DotProducts.h"

namespace stemscope::projection {
namespace {

// Attraction of one row: sum_a p_a (y_i - y_j) / (1 + |y_i - y_j|^2) over its sparse affinities, in
// single precision (the affinities have no more digits).
void attractRow(const int* col, const float* val, int64_t m, const float* yf, float xi, float yi, double& ax, double& ay)
{
    float sx = 0.f, sy = 0.f;
    for (int64_t a = 0; a < m; ++a) {
        const size_t j = size_t(col[a]);
        const float dx = xi - yf[2 * j], dy = yi - yf[2 * j + 1];
        const float pw = val[a] / (1.f + dx * dx + dy * dy);
        sx += pw * dx;
        sy += pw * dy;
    }
    ax = sx;
    ay = sy;
}

#if defined(__x86_64__)
// Eight affinities at a time, vector division (the scalar loop is bound by the division latency).
// Each neighbour's (x, y) is one 64-bit load: hardware gathers are microcoded on CPUs with the
// gather-data-sampling mitigation and cost more than the whole row's arithmetic.
__attribute__((target("avx2,fma"))) void attractRowAvx2(const int* col, const float* val, int64_t m, const float* yf,
                                                        float xi, float yi, double& ax, double& ay)
{
    __m256 sx = _mm256_setzero_ps(), sy = _mm256_setzero_ps();
    const __m256 vxi = _mm256_set1_ps(xi), vyi = _mm256_set1_ps(yi), one = _mm256_set1_ps(1.f);
    // The deinterleave below yields pairs in the order 0 1 4 5 2 3 6 7; the affinities follow it.
    const __m256i order = _mm256_setr_epi32(0, 1, 4, 5, 2, 3, 6, 7);
    int64_t a = 0;
    for (; a + 8 <= m; a += 8) {
        const int* c = col + a;
        long long p[8]; // (x, y) of each neighbour as one 64-bit word
        std::memcpy(&p[0], yf + 2 * size_t(c[0]), 8);
        std::memcpy(&p[1], yf + 2 * size_t(c[1]), 8);
        std::memcpy(&p[2], yf + 2 * size_t(c[2]), 8);
        std::memcpy(&p[3], yf + 2 * size_t(c[3]), 8);
        std::memcpy(&p[4], yf + 2 * size_t(c[4]), 8);
        std::memcpy(&p[5], yf + 2 * size_t(c[5]), 8);
        std::memcpy(&p[6], yf + 2 * size_t(c[6]), 8);
        std::memcpy(&p[7], yf + 2 * size_t(c[7]), 8);
        const __m256 lo = _mm256_castsi256_ps(_mm256_setr_epi64x(p[0], p[1], p[2], p[3]));
        const __m256 hi = _mm256_castsi256_ps(_mm256_setr_epi64x(p[4], p[5], p[6], p[7]));
        const __m256 dx = _mm256_sub_ps(vxi, _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(2, 0, 2, 0)));
        const __m256 dy = _mm256_sub_ps(vyi, _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(3, 1, 3, 1)));
        const __m256 d2 = _mm256_fmadd_ps(dy, dy, _mm256_fmadd_ps(dx, dx, one));
        const __m256 v = _mm256_permutevar8x32_ps(_mm256_loadu_ps(val + a), order);
        const __m256 pw = _mm256_div_ps(v, d2);
        sx = _mm256_fmadd_ps(pw, dx, sx);
        sy = _mm256_fmadd_ps(pw, dy, sy);
    }
    double tx = 0.0, ty = 0.0;
    attractRow(col + a, val + a, m - a, yf, xi, yi, tx, ty);
    ax = double(horizontalSum(sx)) + tx;
    ay = double(horizontalSum(sy)) + ty;
}
#endif

void attract(const int* col, const float* val, int64_t m, const float* yf, float xi, float yi, double& ax, double& ay)
{
#if defined(__x86_64__)
    if (cpuHasAvx2Fma()) return attractRowAvx2(col, val, m, yf, xi, yi, ax, ay);
#endif
    attractRow(col, val, m, yf, xi, yi, ax, ay);
}

}  // namespace

GradientResult tsneGradient(const SparseAffinities& P, const std::vector<double>& y, double exaggeration, double theta,
                            int threads, std::vector<double>& grad, const std::vector<char>* active)
{
    RepulsionMethod m;
    m.kind = theta <= 0.0 ? RepulsionMethod::Kind::Exact : RepulsionMethod::Kind::BarnesHut;
    m.theta = theta;
    return tsneGradient(P, y, exaggeration, m, threads, grad, active);
}

GradientResult tsneGradient(const SparseAffinities& P, const std::vector<double>& y, double exaggeration,
                            const RepulsionMethod& method, int threads, std::vector<double>& grad,
                            const std::vector<char>* active)
{
    const int n = P.n;
    grad.assign(2 * size_t(n), 0.0);
    std::vector<double> zRow(size_t(n), 0.0), rep(2 * size_t(n), 0.0);
    const bool exact = method.kind == RepulsionMethod::Kind::Exact;
    const bool fft = method.kind == RepulsionMethod::Kind::Fft &&
                     !(method.treeAboveGridPerPoint > 0 && method.fft &&
                       double(method.fft->paddedNodes(y)) > method.treeAboveGridPerPoint * n);
    const double theta = method.theta;
    std::unique_ptr<QuadTree> tree;
    double fftZ = 0.0;
    if (fft) {
        if (!method.fft) throw std::invalid_argument("tsneGradient: FFT repulsion needs an FftRepulsion");
        fftZ = method.fft->compute(y, threads, rep);
    } else if (!exact) {
        tree = std::make_unique<QuadTree>(y, n);
    }
    // Single-precision copy for the sparse attraction.
    std::vector<float> yf(y.begin(), y.end());
    const bool splitZ = !fft && active && method.inactiveZ >= 0;
    const std::vector<int>* walk = tree ? &tree->order() : nullptr; // tree order: neighbouring walks share cells
    // Every row moves: one walk per leaf serves all its points (QuadTree::repulsionLeaf).
    const bool byLeaf = tree && !active;
    if (byLeaf) {
        const auto& order = tree->order();
        parallelFor(tree->leafCount(), threads, [&](int b, int e) {
            double z[64], fx[64], fy[64];
            for (int l = b; l < e; ++l) {
                const auto [first, last] = tree->leafRange(l);
                if (last - first > 64) { // coincident points beyond the bucket size: one walk each
                    for (int a = first; a < last; ++a) {
                        const int i = order[size_t(a)];
                        double rx = 0.0, ry = 0.0;
                        zRow[size_t(i)] = tree->repulsion(i, theta, rx, ry);
                        rep[2 * size_t(i)] = rx;
                        rep[2 * size_t(i) + 1] = ry;
                    }
                    continue;
                }
                tree->repulsionLeaf(l, theta, z, fx, fy);
                for (int a = first; a < last; ++a) {
                    const int i = order[size_t(a)];
                    zRow[size_t(i)] = z[a - first];
                    rep[2 * size_t(i)] = fx[a - first];
                    rep[2 * size_t(i) + 1] = fy[a - first];
                }
            }
        }, 16);
    }
    parallelFor(n, threads, [&](int b, int e) {
        for (int k = b; k < e; ++k) {
            const int i = walk ? (*walk)[size_t(k)] : k;
            const double yx = y[2 * size_t(i)], yy = y[2 * size_t(i) + 1];
            // Attraction.
            double ax = 0.0, ay = 0.0;
            const bool on = !active || (*active)[size_t(i)];
            if (splitZ && !on) continue; // fixed row: its pairs with other fixed rows are in inactiveZ
            const int64_t rowBegin = P.rowStart[size_t(i)], rowEnd = P.rowStart[size_t(i) + 1];
            if (exact && rowEnd - rowBegin == n - 1) {
                // Dense row (exact affinities: every j != i in column order): one pass for both terms.
                const float* p = P.val.data() + rowBegin;
                double rx = 0.0, ry = 0.0, z = 0.0;
                for (int j = 0; j < n; ++j) {
                    if (j == i) continue;
                    const double dx = yx - y[2 * size_t(j)], dy = yy - y[2 * size_t(j) + 1];
                    const double w = 1.0 / (1.0 + dx * dx + dy * dy);
                    const double pj = *p++;
                    z += w;
                    ax += pj * w * dx;
                    ay += pj * w * dy;
                    rx += w * w * dx;
                    ry += w * w * dy;
                }
                if (on) {
                    grad[2 * size_t(i)] = exaggeration * ax;
                    grad[2 * size_t(i) + 1] = exaggeration * ay;
                }
                zRow[size_t(i)] = z;
                rep[2 * size_t(i)] = rx;
                rep[2 * size_t(i) + 1] = ry;
                continue;
            }
            if (on) {
                attract(P.col.data() + rowBegin, P.val.data() + rowBegin, rowEnd - rowBegin, yf.data(), yf[2 * size_t(i)],
                        yf[2 * size_t(i) + 1], ax, ay);
                grad[2 * size_t(i)] = exaggeration * ax;
                grad[2 * size_t(i) + 1] = exaggeration * ay;
            }
            if (fft || byLeaf) continue; // repulsion and Z came from the grid or the leaf walks
            // Repulsion (Z needs every row, active or not).
            double rx = 0.0, ry = 0.0, z = 0.0;
            if (exact) {
                for (int j = 0; j < n; ++j) {
                    if (j == i) continue;
                    const double dx = yx - y[2 * size_t(j)], dy = yy - y[2 * size_t(j) + 1];
                    const double w = 1.0 / (1.0 + dx * dx + dy * dy);
                    z += w;
                    rx += w * w * dx;
                    ry += w * w * dy;
                }
            } else {
                z = tree->repulsion(i, theta, rx, ry);
            }
            zRow[size_t(i)] = z;
            rep[2 * size_t(i)] = rx;
            rep[2 * size_t(i) + 1] = ry;
        }
    }, 32);
    double z = fftZ;
    if (splitZ) {
        // Z = fixed pairs + 2 * (active rows' sums) - active-active pairs (counted twice by the rows).
        std::vector<int> moving;
        for (int i = 0; i < n; ++i)
            if ((*active)[size_t(i)]) moving.push_back(i);
        double rows = 0.0, both = 0.0;
        for (int i : moving) {
            rows += zRow[size_t(i)];
            for (int j : moving) {
                if (j == i) continue;
                const double dx = y[2 * size_t(i)] - y[2 * size_t(j)], dy = y[2 * size_t(i) + 1] - y[2 * size_t(j) + 1];
                both += 1.0 / (1.0 + dx * dx + dy * dy);
            }
        }
        z = method.inactiveZ + 2.0 * rows - both;
    } else if (!fft) {
        for (double v : zRow)
            z += v;
    }
    const double invZ = z > 0 ? 1.0 / z : 0.0;
    for (int i = 0; i < n; ++i) {
        if (active && !(*active)[size_t(i)]) continue;
        grad[2 * size_t(i)] = 4.0 * (grad[2 * size_t(i)] - rep[2 * size_t(i)] * invZ);
        grad[2 * size_t(i) + 1] = 4.0 * (grad[2 * size_t(i) + 1] - rep[2 * size_t(i) + 1] * invZ);
    }
    return {z};
}

double repulsionZ(const std::vector<double>& y, double theta, int threads)
{
    const int n = int(y.size() / 2);
    if (n < 2) return 0.0;
    std::unique_ptr<QuadTree> tree;
    if (theta > 0) tree = std::make_unique<QuadTree>(y, n);
    std::vector<double> zRow(size_t(n), 0.0);
    parallelFor(n, threads, [&](int b, int e) {
        for (int i = b; i < e; ++i) {
            double rx = 0.0, ry = 0.0, z = 0.0;
            if (tree) {
                z = tree->repulsion(i, theta, rx, ry);
            } else {
                for (int j = 0; j < n; ++j) {
                    if (j == i) continue;
                    const double dx = y[2 * size_t(i)] - y[2 * size_t(j)], dy = y[2 * size_t(i) + 1] - y[2 * size_t(j) + 1];
                    z += 1.0 / (1.0 + dx * dx + dy * dy);
                }
            }
            zRow[size_t(i)] = z;
        }
    }, 32);
    double z = 0.0;
    for (double v : zRow) z += v;
    return z;
}

double klEstimate(const SparseAffinities& P, const std::vector<double>& y, double z)
{
    double kl = 0.0;
    const double logZ = std::log(std::max(z, 1e-300));
    for (int i = 0; i < P.n; ++i)
        for (int64_t a = P.rowStart[size_t(i)]; a < P.rowStart[size_t(i) + 1]; ++a) {
            const int j = P.col[size_t(a)];
            const double p = P.val[size_t(a)];
            if (p <= 0) continue;
            const double dx = y[2 * size_t(i)] - y[2 * size_t(j)], dy = y[2 * size_t(i) + 1] - y[2 * size_t(j) + 1];
            kl += p * (std::log(p * (1.0 + dx * dx + dy * dy)) + logZ);
        }
    return kl;
}

}  // namespace stemscope::projection
