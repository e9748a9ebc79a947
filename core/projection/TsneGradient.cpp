#include "projection/TsneGradient.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

#include "projection/Parallel.h"
#include "projection/QuadTree.h"

namespace stemscope::projection {

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
    const bool fft = method.kind == RepulsionMethod::Kind::Fft;
    const double theta = method.theta;
    std::unique_ptr<QuadTree> tree;
    double fftZ = 0.0;
    if (fft) {
        if (!method.fft) throw std::invalid_argument("tsneGradient: FFT repulsion needs an FftRepulsion");
        fftZ = method.fft->compute(y, threads, rep);
    } else if (!exact) {
        tree = std::make_unique<QuadTree>(y, n);
    }
    parallelFor(n, threads, [&](int b, int e) {
        for (int i = b; i < e; ++i) {
            const double yx = y[2 * size_t(i)], yy = y[2 * size_t(i) + 1];
            // Attraction.
            double ax = 0.0, ay = 0.0;
            const bool on = !active || (*active)[size_t(i)];
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
                for (int64_t a = P.rowStart[size_t(i)]; a < P.rowStart[size_t(i) + 1]; ++a) {
                    const int j = P.col[size_t(a)];
                    // Single precision for the kernel: the division dominates this loop and the
                    // attraction does not need more digits than the affinities have.
                    const float dx = float(yx - y[2 * size_t(j)]), dy = float(yy - y[2 * size_t(j) + 1]);
                    const float pw = P.val[size_t(a)] / (1.f + dx * dx + dy * dy);
                    ax += pw * dx;
                    ay += pw * dy;
                }
                grad[2 * size_t(i)] = exaggeration * ax;
                grad[2 * size_t(i) + 1] = exaggeration * ay;
            }
            if (fft) continue; // repulsion and Z came from the grid
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
    if (!fft)
        for (double v : zRow)
            z += v;
    const double invZ = z > 0 ? 1.0 / z : 0.0;
    for (int i = 0; i < n; ++i) {
        if (active && !(*active)[size_t(i)]) continue;
        grad[2 * size_t(i)] = 4.0 * (grad[2 * size_t(i)] - rep[2 * size_t(i)] * invZ);
        grad[2 * size_t(i) + 1] = 4.0 * (grad[2 * size_t(i) + 1] - rep[2 * size_t(i) + 1] * invZ);
    }
    return {z};
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
