#pragma once
// The t-SNE gradient of KL(P || Q) for a 2-D embedding, with Student-t (one degree of freedom) Q:
//   dC/dy_i = 4 * ( sum_j exaggeration * p_ij w_ij (y_i - y_j)  -  sum_j w_ij^2 (y_i - y_j) / Z ),
//   w_ij = 1 / (1 + |y_i - y_j|^2), Z = sum_{k != l} w_kl.
// The attractive term runs over the sparse P; the repulsive term is exact (O(n^2)), Barnes-Hut through a
// quadtree, or FFT-accelerated interpolation (FftRepulsion). Rows are independent, so the work splits
// across threads and the result does not depend on the thread count.
#include <vector>

#include "projection/Affinities.h"
#include "projection/FftRepulsion.h"

namespace stemscope::projection {

struct GradientResult {
    double z = 0.0;  // the normalisation Z (estimated when theta > 0)
};

struct RepulsionMethod {
    enum class Kind { Exact, BarnesHut, Fft };
    Kind kind = Kind::Exact;
    double theta = 0.5;          // Barnes-Hut opening angle
    FftRepulsion* fft = nullptr; // Kind::Fft: keeps plans and the kernel between iterations (required)
    // Kind::Fft: an iteration whose padded grid would exceed this many nodes per point uses the
    // Barnes-Hut tree instead (0: never). Real embeddings spread into many tight, far-apart clusters:
    // the grid then grows with the map's span, not with n, and its transforms outweigh a tree walk
    // by far at a few thousand points (docs/benchmarks/maps-and-search.md).
    double treeAboveGridPerPoint = 0;
    // >= 0 (with `active` rows and Exact or Barnes-Hut repulsion): the sum of w_ij over pairs of
    // inactive rows, which do not move. Inactive rows then cost nothing at all: Z is this constant
    // plus what the active rows add (incremental placement: 100 new points on a 10 000-point map
    // walk the tree 100 times per iteration, not 10 100).
    double inactiveZ = -1;
};

// sum_{i != j} 1 / (1 + |y_i - y_j|^2) over n interleaved points: exact (theta 0) or Barnes-Hut.
double repulsionZ(const std::vector<double>& y, double theta, int threads);

// y: n interleaved (x, y) coordinates; grad: resized to 2n. Rows where `active` is false (when
// given) get a zero gradient and cost nothing beyond their share of the tree.
GradientResult tsneGradient(const SparseAffinities& P, const std::vector<double>& y, double exaggeration,
                            const RepulsionMethod& method, int threads, std::vector<double>& grad,
                            const std::vector<char>* active = nullptr);

// Shorthand: theta == 0 is exact, theta > 0 Barnes-Hut.
GradientResult tsneGradient(const SparseAffinities& P, const std::vector<double>& y, double exaggeration, double theta,
                            int threads, std::vector<double>& grad, const std::vector<char>* active = nullptr);

// KL(P || Q) with Q normalised by the given Z (cheap: O(nnz(P))); used for progress reports.
double klEstimate(const SparseAffinities& P, const std::vector<double>& y, double z);

}  // namespace stemscope::projection
