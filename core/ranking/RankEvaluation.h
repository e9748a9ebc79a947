#pragma once
// Query-by-example evaluation against the oracle (torch-free). Every track of an evaluation pool
// is in turn the query; the database is the rest of the pool. Relevant: the `relevantCount` (5)
// first tracks of the oracle list R_S(q); the system's list is the database sorted by decreasing
// predicted similarity; metrics at k (20), see RankingMetrics.h.
#include <vector>

#include "dsp/Matrix.h"
#include "ranking/RankingMetrics.h"

namespace stemscope {

struct RankingProtocol {
    int relevantCount = 5;
    int k = 20;
};

// oracle, predicted: n x n similarities over the same pool.
RankingScores evaluateRanking(const Matrix& oracle, const Matrix& predicted, const RankingProtocol& p = {});
// Chance level: the metrics of uniformly random database orders, averaged over `trials` shuffles
// per query (per-query means, so the interval is over queries as for a system).
RankingScores randomRankingScores(const Matrix& oracle, const RankingProtocol& p = {}, int trials = 200,
                                  unsigned seed = 1);
// Row mean of a patch-embedding matrix: the track representation (mean of its patches).
std::vector<float> meanRow(const Matrix& rows);

}  // namespace stemscope
