#pragma once
// Statistics for comparing two methods on the same queries (issue #20): the paired bootstrap of the
// mean difference, and k-fold assignment for cross-validation. Deterministic for a seed (splitmix64,
// not <random>'s distributions, so identical on every standard library).
#include <cstdint>
#include <vector>

namespace stemscope {

struct PairedDifference {
    double mean = 0;          // mean of a[i] - b[i]
    double low = 0, high = 0; // percentile bootstrap interval of the mean (confidence `level`)
    double fractionAbove = 0; // share of resampled means > 0 (how often a wins)
    int n = 0;
    // The claim "a beats b" is confirmed when low > 0, refuted when high < 0, else undecided.
    const char* verdict() const { return low > 0 ? "confirmed" : high < 0 ? "refuted" : "undecided"; }
};

// a and b: one value per query, the same queries in the same order. Throws std::invalid_argument when
// the sizes differ or there are none.
PairedDifference pairedBootstrap(const std::vector<double>& a, const std::vector<double>& b, int resamples = 10000,
                                 double level = 0.95, uint64_t seed = 1);

// Fold (0 .. k-1) of each of n items: a seeded shuffle dealt round-robin, so fold sizes differ by at
// most one. Throws std::invalid_argument unless 2 <= k <= n.
std::vector<int> kFoldAssignment(int n, int k, uint64_t seed = 1);

}  // namespace stemscope
