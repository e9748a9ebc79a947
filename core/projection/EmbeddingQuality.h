#pragma once
// How faithful is a low-dimensional embedding Y of X?
//  - trustworthiness (Venna & Kaski; same definition and Euclidean metric as
//    sklearn.manifold.trustworthiness): 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in U_i} (r(i, j) - k),
//    U_i = the k nearest neighbours of i in Y that are not among its k nearest in X, r(i, j) = rank of j
//    by distance from i in X (1 = nearest). 1 is perfect; requires k < n / 2.
//  - KL divergence KL(P || Q) of t-SNE affinities P and the Student-t similarities Q of Y, with Q
//    normalised exactly over all pairs (O(n^2), parallel).
#include <cstdint>
#include <vector>

#include "dsp/Matrix.h"
#include "projection/Affinities.h"

namespace stemscope::projection {

// maxQueries > 0 averages the per-point penalty over that many points (chosen with `seed`) instead of
// all n, with ranks still taken against the full data: an unbiased estimate for large n.
double trustworthiness(const Matrix& x, const Matrix& y, int k = 10, int threads = 2, int maxQueries = 0,
                       uint64_t seed = 1);

// Fraction of each point's k nearest neighbours in Y that share its label, averaged over points.
double neighbourPurity(const Matrix& y, const std::vector<int>& labels, int k = 10, int threads = 2);

// P must be a joint distribution (sums to 1) over the rows of y.
double klDivergence(const SparseAffinities& P, const Matrix& y, int threads = 2);

}  // namespace stemscope::projection
