#pragma once
// Barnes-Hut space-partitioning tree over 2-D points, for the t-SNE repulsive forces.
// A cell far enough from a point (cell width / distance < theta) acts as one body at its centre of mass.
#include <vector>

namespace stemscope::projection {

class QuadTree {
public:
    // y: n points as interleaved (x, y) doubles. Kept by reference: must outlive the tree.
    QuadTree(const std::vector<double>& y, int n);

    // Repulsion on point i: adds sum_j w_ij^2 (y_i - y_j) to (fx, fy) and returns sum_j w_ij,
    // with w_ij = 1 / (1 + |y_i - y_j|^2), j != i (approximated per theta; theta = 0 is exact).
    double repulsion(int i, double theta, double& fx, double& fy) const;
    // The points in tree order (each leaf's points together): walking queries in this order keeps
    // consecutive walks on the same cells, which the cache likes.
    const std::vector<int>& order() const { return order_; }

private:
    struct Cell {
        double cx, cy, half;     // square bounds: centre and half width
        double mx = 0, my = 0;   // centre of mass
        int count = 0;
        int child = -1;          // first of 4 consecutive children, or -1 for a leaf
        int first = 0, last = 0; // leaf: its points are order_[first, last)
    };
    void build(int cell, int first, int last, int depth);

    const std::vector<double>& y_;
    std::vector<int> order_;
    std::vector<Cell> cells_;
};

}  // namespace stemscope::projection
