#include "projection/QuadTree.h"

#include <algorithm>
#include <cmath>

namespace stemscope::projection {

QuadTree::QuadTree(const std::vector<double>& y, int n) : y_(y)
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
    cells_.reserve(static_cast<size_t>(2 * n + 8));
    Cell root{};
    root.cx = 0.5 * (minX + maxX);
    root.cy = 0.5 * (minY + maxY);
    root.half = half;
    cells_.push_back(root);
    build(0, 0, n, 0);
}

void QuadTree::build(int cell, int first, int last, int depth)
{
    Cell c = cells_[size_t(cell)];
    c.count = last - first;
    c.first = first;
    c.last = last;
    double sx = 0, sy = 0;
    for (int a = first; a < last; ++a) {
        sx += y_[2 * size_t(order_[size_t(a)])];
        sy += y_[2 * size_t(order_[size_t(a)]) + 1];
    }
    if (c.count > 0) {
        c.mx = sx / c.count;
        c.my = sy / c.count;
    }
    // Leaf: one point, or coincident points that no subdivision can separate.
    if (c.count <= 1 || depth >= 48) {
        cells_[size_t(cell)] = c;
        return;
    }
    // Partition into quadrants: (x < cx, y < cy), (x >= cx, y < cy), (x < cx, y >= cy), (x >= cx, y >= cy).
    auto begin = order_.begin() + first, end = order_.begin() + last;
    auto midY = std::partition(begin, end, [&](int i) { return y_[2 * size_t(i) + 1] < c.cy; });
    auto q1 = std::partition(begin, midY, [&](int i) { return y_[2 * size_t(i)] < c.cx; });
    auto q3 = std::partition(midY, end, [&](int i) { return y_[2 * size_t(i)] < c.cx; });
    const int bounds[5] = {first, int(q1 - order_.begin()), int(midY - order_.begin()), int(q3 - order_.begin()), last};
    c.child = int(cells_.size());
    cells_[size_t(cell)] = c;
    const double h = c.half * 0.5;
    for (int q = 0; q < 4; ++q) {
        Cell k{};
        k.cx = c.cx + ((q & 1) ? h : -h);
        k.cy = c.cy + ((q & 2) ? h : -h);
        k.half = h;
        cells_.push_back(k);
    }
    for (int q = 0; q < 4; ++q) build(c.child + q, bounds[q], bounds[q + 1], depth + 1);
}

double QuadTree::repulsion(int i, double theta, double& fx, double& fy) const
{
    const double px = y_[2 * size_t(i)], py = y_[2 * size_t(i) + 1];
    const double theta2 = theta * theta;
    double z = 0.0, ax = 0.0, ay = 0.0;
    int stack[256];
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
        const Cell& c = cells_[size_t(stack[--top])];
        if (c.count == 0) continue;
        const double dx = px - c.mx, dy = py - c.my, d2 = dx * dx + dy * dy;
        const double width = 2.0 * c.half;
        if (c.child < 0) {
            // Leaf: exact interaction with each point except i itself.
            for (int a = c.first; a < c.last; ++a) {
                const int j = order_[size_t(a)];
                if (j == i) continue;
                const double ex = px - y_[2 * size_t(j)], ey = py - y_[2 * size_t(j) + 1], e2 = ex * ex + ey * ey;
                const double w = 1.0 / (1.0 + e2);
                z += w;
                ax += w * w * ex;
                ay += w * w * ey;
            }
        } else if (width * width < theta2 * d2) {
            const double w = 1.0 / (1.0 + d2);
            z += c.count * w;
            ax += c.count * w * w * dx;
            ay += c.count * w * w * dy;
        } else {
            for (int q = 0; q < 4; ++q)
                if (cells_[size_t(c.child + q)].count > 0) stack[top++] = c.child + q;
        }
    }
    fx += ax;
    fy += ay;
    return z;
}

}  // namespace stemscope::projection
