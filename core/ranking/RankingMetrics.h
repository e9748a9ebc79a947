#pragma once
// Retrieval metrics at cut-off k with binary relevance (the paper's protocol: the 5 first tracks
// of the oracle list R_S(q) are relevant to query q, k = 20). Torch-free and Qt-free.
//
// For a retrieved list L (best first), relevant set R (|R| = m), rel_i = 1 when L[i] is in R
// (i = 1-based rank), k' = min(k, |L|):
//   AP@k     = (1 / min(m, k)) * sum_{i <= k', rel_i} P@i,    P@i = (#relevant in L[1..i]) / i
//   Recall@k = (#relevant in L[1..k']) / m
//   RR@k     = 1 / (rank of the first relevant item) if it is <= k, else 0
//   nDCG@k   = DCG@k / IDCG@k, DCG@k = sum_{i <= k'} rel_i / log2(i + 1),
//              IDCG@k = sum_{i = 1}^{min(m, k)} 1 / log2(i + 1)
// All are 0 when m = 0. MAP@k is the mean of AP@k over queries.
//
// Confidence intervals: normal approximation, mean +- 1.96 * s / sqrt(n), s the sample standard
// deviation (n - 1 denominator) over the n per-query values (0 half-width for n < 2).
#include <string>
#include <vector>

#include "ranking/RankedLists.h"

namespace stemscope {

double averagePrecisionAtK(const std::vector<int>& retrieved, const std::vector<int>& relevant, int k);
double recallAtK(const std::vector<int>& retrieved, const std::vector<int>& relevant, int k);
double reciprocalRankAtK(const std::vector<int>& retrieved, const std::vector<int>& relevant, int k);
double ndcgAtK(const std::vector<int>& retrieved, const std::vector<int>& relevant, int k);

struct MeanCi {
    double mean = 0;
    double halfWidth = 0; // 95 % interval: [mean - halfWidth, mean + halfWidth]
    int n = 0;
};
MeanCi meanWithCi95(const std::vector<double>& values);

struct RankingScores {
    MeanCi map, recall, rr, ndcg;
    // Per query, in query order (what paired comparisons between methods need; see PairedBootstrap.h).
    std::vector<double> ap, recallPerQuery, rrPerQuery, ndcgPerQuery;
};

// queries[i] is evaluated with retrieved[i] against relevant[i].
RankingScores scoreRankings(const std::vector<RankedList>& retrieved, const std::vector<std::vector<int>>& relevant,
                            int k = 20);

// The relevant set of each query: the first `count` entries of its oracle list.
std::vector<std::vector<int>> relevantFromOracle(const std::vector<RankedList>& oracle, int count = 5);

}  // namespace stemscope
