#pragma once
// Vantage-point tree over the rows of a matrix (Euclidean distance), for exact k-nearest-neighbour
// queries. Used by incremental t-SNE placement to find where new points start (the input affinities
// use BruteForceKnn, which is faster on 128-d embeddings).
// Build is deterministic for a given seed; queries are read-only and thread-safe.
#include <cstdint>
#include <vector>

#include "dsp/Matrix.h"

namespace stemscope::projection {

class VpTree {
public:
    // Keeps a reference to `points`: it must outlive the tree.
    explicit VpTree(const Matrix& points, uint64_t seed = 1);

    // The k nearest rows to `query` (a pointer to cols() floats), nearest first, skipping row `exclude`
    // (pass -1 to keep all). Distances are Euclidean (not squared). Fewer than k come back if the tree is small.
    void knn(const float* query, int k, std::vector<int>& indices, std::vector<float>& distances, int exclude = -1) const;
    // Convenience: neighbours of row i, excluding i itself.
    void knn(int row, int k, std::vector<int>& indices, std::vector<float>& distances) const
    {
        knn(points_.row(row), k, indices, distances, row);
    }

    int size() const { return points_.rows; }

private:
    struct Node {
        int item = -1;          // row index of the vantage point
        float threshold = 0.f;  // median distance from the vantage point to the items below it
        int inside = -1, outside = -1;  // children (node indices) or -1
    };
    int build(int lo, int hi, uint64_t& rng);
    float distance(const float* a, const float* b) const;

    const Matrix& points_;
    std::vector<int> items_;
    std::vector<Node> nodes_;
    int root_ = -1;
};

}  // namespace stemscope::projection
