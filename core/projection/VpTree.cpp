#include "projection/VpTree.h"
#include "util/SplitMix.h"

#include "projection/Distance.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <utility>

namespace stemscope::projection {
namespace {
uint64_t splitmix(uint64_t& s) { return splitmix64(s); }
}  // namespace

VpTree::VpTree(const Matrix& points, uint64_t seed) : points_(points)
{
    items_.resize(size_t(points.rows));
    for (int i = 0; i < points.rows; ++i) items_[size_t(i)] = i;
    nodes_.reserve(size_t(points.rows));
    uint64_t rng = seed;
    root_ = build(0, points.rows, rng);
}

float VpTree::distance(const float* a, const float* b) const
{
    return std::sqrt(squaredL2(a, b, points_.cols));
}

// Items [lo, hi) become a subtree; returns its node index (or -1 when empty).
int VpTree::build(int lo, int hi, uint64_t& rng)
{
    if (lo >= hi) return -1;
    const int nodeIndex = int(nodes_.size());
    nodes_.push_back(Node{});
    // Random vantage point moved to the front of the range.
    const int pick = lo + int(splitmix(rng) % uint64_t(hi - lo));
    std::swap(items_[size_t(lo)], items_[size_t(pick)]);
    const int vp = items_[size_t(lo)];
    nodes_[size_t(nodeIndex)].item = vp;
    if (hi - lo > 1) {
        const int median = (lo + 1 + hi) / 2;
        const float* v = points_.row(vp);
        // Partition the rest around the median distance to the vantage point (distances computed once).
        std::vector<std::pair<float, int>> byDistance;
        byDistance.reserve(static_cast<size_t>(hi - lo - 1));
        for (int i = lo + 1; i < hi; ++i) byDistance.emplace_back(distance(v, points_.row(items_[size_t(i)])), items_[size_t(i)]);
        const auto mid = byDistance.begin() + (median - lo - 1);
        std::nth_element(byDistance.begin(), mid, byDistance.end());
        for (int i = lo + 1; i < hi; ++i) items_[size_t(i)] = byDistance[size_t(i - lo - 1)].second;
        nodes_[size_t(nodeIndex)].threshold = mid->first;
        const int inside = build(lo + 1, median, rng);
        const int outside = build(median, hi, rng);
        nodes_[size_t(nodeIndex)].inside = inside;
        nodes_[size_t(nodeIndex)].outside = outside;
    }
    return nodeIndex;
}

void VpTree::knn(const float* query, int k, std::vector<int>& indices, std::vector<float>& distances, int exclude) const
{
    indices.clear();
    distances.clear();
    if (k <= 0 || root_ < 0) return;
    // Max-heap of the best k so far; tau = current k-th distance.
    std::priority_queue<std::pair<float, int>> heap;
    float tau = std::numeric_limits<float>::max();
    std::vector<int> stack;
    stack.reserve(64);
    stack.push_back(root_);
    while (!stack.empty()) {
        const Node& n = nodes_[size_t(stack.back())];
        stack.pop_back();
        const float d = distance(query, points_.row(n.item));
        if (n.item != exclude && d < tau) {
            heap.emplace(d, n.item);
            if (int(heap.size()) > k) heap.pop();
            if (int(heap.size()) == k) tau = heap.top().first;
        }
        if (n.inside < 0 && n.outside < 0) continue;
        // Visit the more promising side last (popped first); prune sides that cannot hold a closer point.
        if (d < n.threshold) {
            if (n.outside >= 0 && d + tau >= n.threshold) stack.push_back(n.outside);
            if (n.inside >= 0 && d - tau <= n.threshold) stack.push_back(n.inside);
        } else {
            if (n.inside >= 0 && d - tau <= n.threshold) stack.push_back(n.inside);
            if (n.outside >= 0 && d + tau >= n.threshold) stack.push_back(n.outside);
        }
    }
    indices.resize(heap.size());
    distances.resize(heap.size());
    for (size_t i = heap.size(); i-- > 0;) {
        distances[i] = heap.top().first;
        indices[i] = heap.top().second;
        heap.pop();
    }
}

}  // namespace stemscope::projection
