#include "projection/Pca.h"

#include <cmath>
#include <vector>

namespace stemscope::projection {

Matrix pcaProject(const Matrix& x, int components, uint64_t seed)
{
    const int n = x.rows, d = x.cols;
    Matrix out(n, components, 0.f);
    if (n == 0 || d == 0) return out;
    std::vector<double> mean(size_t(d), 0.0);
    for (int i = 0; i < n; ++i)
        for (int c = 0; c < d; ++c) mean[size_t(c)] += x(i, c);
    for (auto& m : mean) m /= n;
    // Covariance (d x d, upper triangle then mirrored).
    std::vector<double> cov(size_t(d) * size_t(d), 0.0), row(static_cast<size_t>(d));
    for (int i = 0; i < n; ++i) {
        for (int c = 0; c < d; ++c) row[size_t(c)] = x(i, c) - mean[size_t(c)];
        for (int a = 0; a < d; ++a) {
            const double ra = row[size_t(a)];
            double* ca = cov.data() + size_t(a) * size_t(d);
            for (int b = a; b < d; ++b) ca[b] += ra * row[size_t(b)];
        }
    }
    for (int a = 0; a < d; ++a)
        for (int b = 0; b < a; ++b) cov[size_t(a) * size_t(d) + size_t(b)] = cov[size_t(b) * size_t(d) + size_t(a)];

    uint64_t s = seed * 0x9e3779b97f4a7c15ULL + 1;
    std::vector<std::vector<double>> axes;
    for (int k = 0; k < std::min(components, d); ++k) {
        std::vector<double> v(static_cast<size_t>(d)), w(static_cast<size_t>(d));
        for (auto& e : v) {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            e = double(s % 2000003) / 1000001.5 - 1.0;
        }
        double lambda = 0.0;
        for (int it = 0; it < 1000; ++it) {
            for (const auto& u : axes) {  // deflate: stay orthogonal to the axes already found
                double dot = 0;
                for (int c = 0; c < d; ++c) dot += v[size_t(c)] * u[size_t(c)];
                for (int c = 0; c < d; ++c) v[size_t(c)] -= dot * u[size_t(c)];
            }
            double norm = 0;
            for (double e : v) norm += e * e;
            norm = std::sqrt(norm);
            if (norm == 0) break;
            for (auto& e : v) e /= norm;
            for (int a = 0; a < d; ++a) {
                double acc = 0;
                const double* ca = cov.data() + size_t(a) * size_t(d);
                for (int b = 0; b < d; ++b) acc += ca[b] * v[size_t(b)];
                w[size_t(a)] = acc;
            }
            double nl = 0, change = 0;
            for (int c = 0; c < d; ++c) nl += w[size_t(c)] * v[size_t(c)];
            for (const auto& u : axes) {
                double dot = 0;
                for (int c = 0; c < d; ++c) dot += w[size_t(c)] * u[size_t(c)];
                for (int c = 0; c < d; ++c) w[size_t(c)] -= dot * u[size_t(c)];
            }
            double wn = 0;
            for (double e : w) wn += e * e;
            wn = std::sqrt(wn);
            if (wn == 0) break;
            for (int c = 0; c < d; ++c) {
                const double nv = w[size_t(c)] / wn;
                change += (nv - v[size_t(c)]) * (nv - v[size_t(c)]);
                v[size_t(c)] = nv;
            }
            const bool converged = it > 10 && std::fabs(nl - lambda) <= 1e-12 * std::fabs(nl) && change < 1e-16;
            lambda = nl;
            if (converged) break;
        }
        int big = 0;
        for (int c = 1; c < d; ++c)
            if (std::fabs(v[size_t(c)]) > std::fabs(v[size_t(big)])) big = c;
        if (v[size_t(big)] < 0)
            for (auto& e : v) e = -e;
        axes.push_back(v);
    }
    for (int i = 0; i < n; ++i)
        for (size_t k = 0; k < axes.size(); ++k) {
            double acc = 0;
            for (int c = 0; c < d; ++c) acc += (x(i, c) - mean[size_t(c)]) * axes[k][size_t(c)];
            out(i, int(k)) = float(acc);
        }
    return out;
}

}  // namespace stemscope::projection
