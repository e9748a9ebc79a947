#pragma once
// t-SNE input affinities: the symmetric joint probabilities P (sum 1) of the rows of X, from Gaussian
// conditionals whose bandwidths are set by binary search so that each row's entropy equals log(perplexity)
// (squared Euclidean distances, as scikit-learn). Stored sparse (CSR, both triangles), which also
// carries the dense exact case (every j != i present).
#include <cstdint>
#include <vector>

#include "dsp/Matrix.h"

namespace stemscope::projection {

struct SparseAffinities {
    int n = 0;
    std::vector<int64_t> rowStart;  // n + 1 offsets into col/val
    std::vector<int> col;
    std::vector<float> val;
    int64_t nonZeros() const { return rowStart.empty() ? 0 : rowStart.back(); }
};

// Conditional p_{j|i} for one row: `d2` holds m squared distances, the result (sums to 1) goes to `p`.
// Returns the bandwidth beta = 1 / (2 sigma^2) that was found.
double conditionalRow(const float* d2, int m, double perplexity, float* p);

// Exact affinities: all pairs (O(n^2) memory; meant for n up to a few thousand).
SparseAffinities exactAffinities(const Matrix& x, double perplexity, int threads = 2);

// Sparse affinities: conditionals over the k nearest neighbours of each row (exact, brute-force scan;
// k <= 0 means min(n - 1, floor(3 * perplexity) + 1), as scikit-learn), then symmetrised.
SparseAffinities knnAffinities(const Matrix& x, double perplexity, int k = 0, int threads = 2);

// P = (C + C^T) / sum, from per-row conditionals given as (neighbour, value) lists of equal length `k`.
SparseAffinities symmetrise(int n, int k, const std::vector<int>& neighbours, const std::vector<float>& values);

}  // namespace stemscope::projection
