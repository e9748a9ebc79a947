#include "projection/QuadTree.h"

#include <algorithm>
#include <cmath>

namespace stemscope::projection {

QuadTree::QuadTree(const std::vector<double>& y, int n)
{
    order_.resize(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) order_[size_t(i)] = i;
    double minX = 0, maxX = 0, minY = 0, maxY = 0;
    if (n > 0) {
        minX = maxX = y[0];
        minY = maxY = y[1];
    }
    for (int i = 1; i < n; ++i) {
        minX = std::min(minX, y[2 * size_t(i)]);
        maxX = std::max(maxX, y[2 * size_t(i)]);
        minY = std::min(minY, y[2 * size_t(i) + 1]);
        maxY = std::max(maxY, y[2 * size_t(i) + 1]);
    }
    const double half = std::max({maxX - minX, maxY - minY, 1e-12}) * 0.5 * (1.0 + 1e-9);
    cells_.reserve(static_cast<size_t>(n / 2 + 8));
    cells_.emplace_back();
    build(0, 0.5 * (minX + maxX), 0.5 * (minY + maxY), half, 0, n, 0, y);
    pts_.resize(2 * size_t(n));
    slot_.resize(size_t(n));
    for (int a = 0; a < n; ++a) {
        const int i = order_[size_t(a)];
        pts_[2 * size_t(a)] = y[2 * size_t(i)];
        pts_[2 * size_t(a) + 1] = y[2 * size_t(i) + 1];
        slot_[size_t(i)] = a;
    }
}

void QuadTree::build(int cell, double cx, double cy, double half, int first, int last, int depth,
                     const std::vector<double>& y)
{
    Cell c;
    c.count = last - first;
    c.first = first;
    c.last = last;
    c.width2 = 4.0 * half * half;
    double sx = 0, sy = 0;
    for (int a = first; a < last; ++a) {
        sx += y[2 * size_t(order_[size_t(a)])];
        sy += y[2 * size_t(order_[size_t(a)]) + 1];
    }
    if (c.count > 0) {
        c.mx = sx / c.count;
        c.my = sy / c.count;
    }
    // Leaf: a small bucket, or coincident points that no subdivision can separate.
    if (c.count <= kLeafSize || depth >= 48) {
        cells_[size_t(cell)] = c;
        return;
    }
    // Partition into quadrants: (x < cx, y < cy), (x >= cx, y < cy), (x < cx, y >= cy), (x >= cx, y >= cy).
    auto begin = order_.begin() + first, end = order_.begin() + last;
    auto midY = std::partition(begin, end, [&](int i) { return y[2 * size_t(i) + 1] < cy; });
    auto q1 = std::partition(begin, midY, [&](int i) { return y[2 * size_t(i)] < cx; });
    auto q3 = std::partition(midY, end, [&](int i) { return y[2 * size_t(i)] < cx; });
    const int bounds[5] = {first, int(q1 - order_.begin()), int(midY - order_.begin()), int(q3 - order_.begin()), last};
    c.child = int(cells_.size());
    cells_[size_t(cell)] = c;
    cells_.resize(cells_.size() + 4);
    const double h = half * 0.5;
    for (int q = 0; q < 4; ++q)
        build(c.child + q, cx + ((q & 1) ? h : -h), cy + ((q & 2) ? h : -h), h, bounds[q], bounds[q + 1], depth + 1, y);
}

double QuadTree::repulsion(int i, double theta, double& fx, double& fy) const
{
    const int self = slot_[size_t(i)];
    const double px = pts_[2 * size_t(self)], py = pts_[2 * size_t(self) + 1];
    const double theta2 = theta * theta;
    double z = 0.0, ax = 0.0, ay = 0.0;
    int stack[256];
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
        const Cell& c = cells_[size_t(stack[--top])];
        const double dx = px - c.mx, dy = py - c.my, d2 = dx * dx + dy * dy;
        // Far enough: the cell acts as one body. A cell holding i is never far (theta < 1/sqrt 2).
        if (c.width2 < theta2 * d2) {
            const double w = 1.0 / (1.0 + d2);
            z += c.count * w;
            ax += c.count * w * w * dx;
            ay += c.count * w * w * dy;
        } else if (c.child < 0) {
            // Leaf: exact interaction with each of its points except i itself.
            for (int a = c.first; a < c.last; ++a) {
                if (a == self) continue;
                const double ex = px - pts_[2 * size_t(a)], ey = py - pts_[2 * size_t(a) + 1], e2 = ex * ex + ey * ey;
                const double w = 1.0 / (1.0 + e2);
                z += w;
                ax += w * w * ex;
                ay += w * w * ey;
            }
        } else {
            for (int q = 3; q >= 0; --q)
                if (cells_[size_t(c.child + q)].count > 0) stack[top++] = c.child + q;
        }
    }
    fx += ax;
    fy += ay;
    return z;
}

}  // namespace stemscope::projection
