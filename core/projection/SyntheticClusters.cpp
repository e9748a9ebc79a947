#include "projection/SyntheticClusters.h"

#include <cmath>

namespace stemscope::projection {
namespace {
struct Gauss {
    uint64_t s;
    bool have = false;
    double spare = 0;
    uint64_t next()
    {
        uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double operator()()
    {
        if (have) {
            have = false;
            return spare;
        }
        const double u1 = (double(next() >> 11) + 0.5) / 9007199254740992.0;
        const double u2 = double(next() >> 11) / 9007199254740992.0;
        const double r = std::sqrt(-2.0 * std::log(u1));
        spare = r * std::sin(6.283185307179586 * u2);
        have = true;
        return r * std::cos(6.283185307179586 * u2);
    }
};
}  // namespace

Matrix makeClusters(int n, int dim, int clusters, double spread, uint64_t seed, std::vector<int>* labels)
{
    Gauss g{seed};
    clusters = clusters < 1 ? 1 : clusters;
    std::vector<double> centres(size_t(clusters) * size_t(dim));
    for (auto& c : centres) c = g();
    Matrix x(n, dim);
    if (labels) labels->assign(size_t(n), 0);
    for (int i = 0; i < n; ++i) {
        const int c = i % clusters;
        if (labels) (*labels)[size_t(i)] = c;
        double norm = 0;
        for (int j = 0; j < dim; ++j) {
            const double v = centres[size_t(c) * size_t(dim) + size_t(j)] + spread * g();
            x(i, j) = float(v);
            norm += v * v;
        }
        const double inv = norm > 0 ? 1.0 / std::sqrt(norm) : 0.0;
        for (int j = 0; j < dim; ++j) x(i, j) = float(x(i, j) * inv);
    }
    return x;
}

}  // namespace stemscope::projection
