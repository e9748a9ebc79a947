#include "util/PairedBootstrap.h"
#include "util/SplitMix.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace stemscope {
namespace {

uint64_t splitmix(uint64_t& s) { return splitmix64(s); }

// Uniform in [0, n) without modulo bias worth speaking of (n is a query count, far below 2^32).
int below(uint64_t& s, int n) { return int((splitmix(s) >> 32) * uint64_t(n) >> 32); }

double quantile(std::vector<double>& sorted, double q)
{
    // Linear interpolation between order statistics (numpy's default "linear" method).
    const double pos = q * double(sorted.size() - 1);
    const size_t lo = size_t(std::floor(pos));
    const size_t hi = std::min(sorted.size() - 1, lo + 1);
    return sorted[lo] + (pos - double(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

PairedDifference pairedBootstrap(const std::vector<double>& a, const std::vector<double>& b, int resamples, double level,
                                 uint64_t seed)
{
    if (a.size() != b.size()) throw std::invalid_argument("paired bootstrap: the two methods were scored on different queries");
    if (a.empty()) throw std::invalid_argument("paired bootstrap: no queries");
    if (resamples < 1 || !(level > 0 && level < 1)) throw std::invalid_argument("paired bootstrap: bad resamples or level");
    const int n = int(a.size());
    std::vector<double> d(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) d[size_t(i)] = a[size_t(i)] - b[size_t(i)];
    PairedDifference r;
    r.n = n;
    r.mean = std::accumulate(d.begin(), d.end(), 0.0) / n;
    std::vector<double> means(static_cast<size_t>(resamples));
    uint64_t s = seed;
    int above = 0;
    for (int k = 0; k < resamples; ++k) {
        double sum = 0;
        for (int i = 0; i < n; ++i) sum += d[size_t(below(s, n))];
        means[size_t(k)] = sum / n;
        above += means[size_t(k)] > 0;
    }
    std::sort(means.begin(), means.end());
    r.low = quantile(means, (1 - level) / 2);
    r.high = quantile(means, 1 - (1 - level) / 2);
    r.fractionAbove = double(above) / resamples;
    return r;
}

std::vector<int> kFoldAssignment(int n, int k, uint64_t seed)
{
    if (k < 2 || k > n) throw std::invalid_argument("k-fold: need 2 <= k <= n");
    std::vector<int> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    uint64_t s = seed;
    for (int i = n - 1; i > 0; --i) std::swap(order[size_t(i)], order[size_t(below(s, i + 1))]);  // Fisher-Yates
    std::vector<int> fold(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) fold[size_t(order[size_t(i)])] = i % k;
    return fold;
}

}  // namespace stemscope
