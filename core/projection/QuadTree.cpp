#include "projection/QuadTree.h"

#include <algorithm>
#include <cmath>

#include "util/DotProducts.h"
#if defined(__x86_64__)
#include "util/Avx2Sum.h"
#endif

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
    for (size_t c = 0; c < cells_.size(); ++c)
        if (cells_[c].child < 0 && cells_[c].count > 0) leaves_.push_back(int(c));
    std::sort(leaves_.begin(), leaves_.end(), [&](int a, int b) { return cells_[size_t(a)].first < cells_[size_t(b)].first; });
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

namespace {

// sum_k m_k w_k, sum_k m_k w_k^2 (px - x_k), ... with w_k = 1 / (1 + |p - (x_k, y_k)|^2).
void bodySums(const double* X, const double* Y, const double* M, size_t m, double px, double py, double& z,
              double& fx, double& fy)
{
    double sz = 0.0, sx = 0.0, sy = 0.0;
    for (size_t k = 0; k < m; ++k) {
        const double dx = px - X[k], dy = py - Y[k];
        const double w = 1.0 / (1.0 + dx * dx + dy * dy);
        const double mw = M[k] * w;
        sz += mw;
        sx += mw * w * dx;
        sy += mw * w * dy;
    }
    z = sz;
    fx = sx;
    fy = sy;
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) void bodySumsAvx2(const double* X, const double* Y, const double* M, size_t m,
                                                      double px, double py, double& z, double& fx, double& fy)
{
    __m256d sz = _mm256_setzero_pd(), sx = _mm256_setzero_pd(), sy = _mm256_setzero_pd();
    const __m256d vx = _mm256_set1_pd(px), vy = _mm256_set1_pd(py), one = _mm256_set1_pd(1.0);
    size_t k = 0;
    for (; k + 4 <= m; k += 4) {
        const __m256d dx = _mm256_sub_pd(vx, _mm256_loadu_pd(X + k)), dy = _mm256_sub_pd(vy, _mm256_loadu_pd(Y + k));
        const __m256d w = _mm256_div_pd(one, _mm256_fmadd_pd(dy, dy, _mm256_fmadd_pd(dx, dx, one)));
        const __m256d mw = _mm256_mul_pd(_mm256_loadu_pd(M + k), w);
        const __m256d mww = _mm256_mul_pd(mw, w);
        sz = _mm256_add_pd(sz, mw);
        sx = _mm256_fmadd_pd(mww, dx, sx);
        sy = _mm256_fmadd_pd(mww, dy, sy);
    }
    double tz = 0.0, tx = 0.0, ty = 0.0;
    bodySums(X + k, Y + k, M + k, m - k, px, py, tz, tx, ty);
    z = horizontalSum(sz) + tz;
    fx = horizontalSum(sx) + tx;
    fy = horizontalSum(sy) + ty;
}
#endif

}  // namespace

void QuadTree::repulsionLeaf(int leaf, double theta, double* z, double* fx, double* fy) const
{
    const Cell& L = cells_[size_t(leaves_[size_t(leaf)])];
    double minX = pts_[2 * size_t(L.first)], maxX = minX, minY = pts_[2 * size_t(L.first) + 1], maxY = minY;
    for (int a = L.first + 1; a < L.last; ++a) {
        minX = std::min(minX, pts_[2 * size_t(a)]);
        maxX = std::max(maxX, pts_[2 * size_t(a)]);
        minY = std::min(minY, pts_[2 * size_t(a) + 1]);
        maxY = std::max(maxY, pts_[2 * size_t(a) + 1]);
    }
    // Interaction list: far cells as bodies (x, y, mass) and near points (mass 1, the leaf's own
    // included: never far from itself), one loop for both.
    thread_local std::vector<double> bx, by, bm;
    bx.clear();
    by.clear();
    bm.clear();
    const double theta2 = theta * theta;
    int stack[256];
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
        const int ci = stack[--top];
        const Cell& c = cells_[size_t(ci)];
        const double ex = std::max({minX - c.mx, c.mx - maxX, 0.0}), ey = std::max({minY - c.my, c.my - maxY, 0.0});
        if (c.width2 < theta2 * (ex * ex + ey * ey)) {
            bx.push_back(c.mx);
            by.push_back(c.my);
            bm.push_back(double(c.count));
        } else if (c.child < 0) {
            for (int a = c.first; a < c.last; ++a) {
                bx.push_back(pts_[2 * size_t(a)]);
                by.push_back(pts_[2 * size_t(a) + 1]);
                bm.push_back(1.0);
            }
        } else {
            for (int q = 3; q >= 0; --q)
                if (cells_[size_t(c.child + q)].count > 0) stack[top++] = c.child + q;
        }
    }
    const size_t m = bx.size();
    const double *X = bx.data(), *Y = by.data(), *M = bm.data();
    static const bool avx2 = cpuHasAvx2Fma();
    for (int a = L.first; a < L.last; ++a) {
        const double px = pts_[2 * size_t(a)], py = pts_[2 * size_t(a) + 1];
        double sz = 0.0, sx = 0.0, sy = 0.0;
#if defined(__x86_64__)
        if (avx2)
            bodySumsAvx2(X, Y, M, m, px, py, sz, sx, sy);
        else
#endif
            bodySums(X, Y, M, m, px, py, sz, sx, sy);
        z[a - L.first] = sz - 1.0; // the list holds the leaf's own points: the self pair adds w = 1, no force
        fx[a - L.first] = sx;
        fy[a - L.first] = sy;
    }
}

}  // namespace stemscope::projection
