#pragma once
// Barnes-Hut space-partitioning tree over 2-D points, for the t-SNE repulsive forces.
// A cell far enough from a point (cell width / distance < theta) acts as one body at its centre of mass.
#include <cstddef>
#include <utility>
#include <vector>

namespace stemscope::projection {

class QuadTree {
public:
    // y: n points as interleaved (x, y) doubles. Copied in tree order; y may change after construction.
    QuadTree(const std::vector<double>& y, int n);

    // Repulsion on point i: adds sum_j w_ij^2 (y_i - y_j) to (fx, fy) and returns sum_j w_ij,
    // with w_ij = 1 / (1 + |y_i - y_j|^2), j != i (approximated per theta; theta = 0 is exact).
    double repulsion(int i, double theta, double& fx, double& fy) const;
    // Repulsion on every point of leaf `leaf` (an index into leaves()) at once: one walk for the
    // leaf, opening a cell unless it is far from the leaf's whole bounding box (so at least as
    // accurate as per-point walks), then a tight loop per point over the collected cells and
    // points. Writes z, fx, fy for point order()[k] at k - first of the leaf (overwrites).
    void repulsionLeaf(int leaf, double theta, double* z, double* fx, double* fy) const;
    // Leaf cells; leafRange(l) = [first, last) positions in order().
    int leafCount() const { return int(leaves_.size()); }
    std::pair<int, int> leafRange(int leaf) const
    {
        const Cell& c = cells_[std::size_t(leaves_[std::size_t(leaf)])];
        return {c.first, c.last};
    }

    // The points in tree order (each leaf's points together): walking queries in this order keeps
    // consecutive walks on the same cells, which the cache likes.
    const std::vector<int>& order() const { return order_; }

    // Leaves hold up to this many points: near a query, a few exact pairs cost less than the
    // cells and stack pushes of subdividing further (the walk dominates t-SNE on wide maps).
    static constexpr int kLeafSize = 8;

private:
    // What the walk reads, 40 bytes (bounds live only in the build).
    struct Cell {
        double mx = 0, my = 0;   // centre of mass
        double width2 = 0;       // squared cell width
        int count = 0;
        int child = -1;          // first of 4 consecutive children, or -1 for a leaf
        int first = 0, last = 0; // leaf: its points are order_[first, last), coordinates pts_[2 first, 2 last)
    };
    void build(int cell, double cx, double cy, double half, int first, int last, int depth,
               const std::vector<double>& y);

    std::vector<int> order_;
    std::vector<double> pts_; // coordinates in tree order
    std::vector<int> slot_;   // slot_[i]: position of point i in order_
    std::vector<Cell> cells_;
    std::vector<int> leaves_; // non-empty leaf cells, in tree order
};

}  // namespace stemscope::projection
