#pragma once
// R_S(t): every other track sorted by decreasing similarity S(t, .) (t itself excluded).
// Ties are broken by increasing track index, so the lists are deterministic.
#include <vector>

#include "dsp/Matrix.h"

namespace stemscope {

using RankedList = std::vector<int>;

// similarity: n x n. Returns n lists of n-1 indices.
std::vector<RankedList> rankedLists(const Matrix& similarity);
// Ranks `candidates` (indices into the columns of `similarity`) for query row `query`, skipping
// `query` itself when present: the general form used for query-vs-database evaluation.
RankedList rankCandidates(const Matrix& similarity, int query, const std::vector<int>& candidates);

}  // namespace stemscope
