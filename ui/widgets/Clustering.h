#pragma once
// Average-linkage (UPGMA) agglomerative clustering of a symmetric distance matrix, used to
// reorder the heatmap so that similar tracks sit next to each other. Plain std C++ (no Qt), so
// it can move to core/projection unchanged if the engine ever needs it.
#include <vector>

namespace stemscope::ui {

// `distances` is n x n, row-major, symmetric; the diagonal is ignored. NaN/Inf count as "very
// far". Returns the dendrogram's leaf order: always a permutation of 0..n-1 (n = 0 gives {}).
// Ties are broken by the lowest cluster index, so the result is deterministic. O(n^3) time,
// O(n^2) memory: fine for the few hundred tracks a heatmap can show.
std::vector<int> averageLinkageOrder(const std::vector<float>& distances, int n);

// True when `order` holds each of 0..n-1 exactly once.
bool isPermutation(const std::vector<int>& order, int n);

}  // namespace stemscope::ui
