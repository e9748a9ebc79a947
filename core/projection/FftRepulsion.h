#pragma once
// t-SNE repulsive forces by FFT-accelerated interpolation (Linderman et al., "Fast interpolation-based
// t-SNE for improved visualization of single-cell RNA-seq data", Nature Methods 2019; FIt-SNE).
// The map is covered by square boxes, each with p x p equispaced interpolation nodes. A unit charge
// per point is spread to the nodes with Lagrange weights, convolved on the uniform node grid (FFTW,
// zero-padded) with the vector kernel d / (1 + |d|^2)^2, and interpolated back: that is the repulsion
// sum_j w_ij^2 (y_i - y_j). Z = sum_{i != j} w_ij follows from the same spectrum by Parseval. One
// forward and two inverse transforms per iteration, O(n p^2 + G log G) for G grid nodes, instead of
// O(n log n) tree walks. (FIt-SNE convolves four charges with the squared kernel; the gradient kernel
// needs a third of the transforms and has no cancellation between large terms.)
// Deterministic and independent of the thread count (spreading is sequential, the rest per row).
#include <memory>
#include <vector>

namespace stemscope::projection {

struct FftRepulsionOptions {
    int nodesPerBox = 5;      // interpolation nodes per box and axis (FIt-SNE uses 3; see maps-and-search.md)
    int minBoxes = 50;        // boxes per dimension at least (FIt-SNE: min_num_intervals)
    double maxBoxWidth = 1.0; // box width at most, in map units (FIt-SNE: 1 / intervals_per_integer)
    int maxBoxes = 400;       // boxes per dimension at most: bounds memory (~0.6 GB) on huge maps, whose
                              // boxes then grow wider than maxBoxWidth (and less accurate)
};

class FftRepulsion {
public:
    explicit FftRepulsion(FftRepulsionOptions options = {});
    ~FftRepulsion();
    FftRepulsion(const FftRepulsion&) = delete;
    FftRepulsion& operator=(const FftRepulsion&) = delete;

    // y: n interleaved (x, y) points. rep (resized to 2n): sum_j w_ij^2 (y_i - y_j). Returns Z.
    double compute(const std::vector<double>& y, int threads, std::vector<double>& rep);

    int lastGridSize() const; // nodes per dimension used by the last call (for tests and reports)
    // Nodes of the zero-padded grid compute() would transform for this map (its cost driver).
    long long paddedNodes(const std::vector<double>& y) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace stemscope::projection
