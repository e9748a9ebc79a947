#include "ranking/RankEvaluation.h"

#include <algorithm>
#include <random>
#include <stdexcept>

#include "ranking/RankedLists.h"

namespace stemscope {

RankingScores evaluateRanking(const Matrix& oracle, const Matrix& predicted, const RankingProtocol& p)
{
    if (oracle.rows != predicted.rows || oracle.cols != predicted.cols)
        throw std::invalid_argument("evaluateRanking: oracle and predicted differ in size");
    const auto relevant = relevantFromOracle(rankedLists(oracle), p.relevantCount);
    return scoreRankings(rankedLists(predicted), relevant, p.k);
}

RankingScores randomRankingScores(const Matrix& oracle, const RankingProtocol& p, int trials, unsigned seed)
{
    const auto relevant = relevantFromOracle(rankedLists(oracle), p.relevantCount);
    std::mt19937 rng(seed);
    std::vector<double> ap, rc, rr, nd;
    for (int q = 0; q < oracle.rows; ++q) {
        RankedList l;
        for (int j = 0; j < oracle.rows; ++j)
            if (j != q) l.push_back(j);
        double s[4] = {0, 0, 0, 0};
        for (int t = 0; t < trials; ++t) {
            std::shuffle(l.begin(), l.end(), rng);
            s[0] += averagePrecisionAtK(l, relevant[size_t(q)], p.k);
            s[1] += recallAtK(l, relevant[size_t(q)], p.k);
            s[2] += reciprocalRankAtK(l, relevant[size_t(q)], p.k);
            s[3] += ndcgAtK(l, relevant[size_t(q)], p.k);
        }
        ap.push_back(s[0] / trials);
        rc.push_back(s[1] / trials);
        rr.push_back(s[2] / trials);
        nd.push_back(s[3] / trials);
    }
    return {meanWithCi95(ap), meanWithCi95(rc), meanWithCi95(rr), meanWithCi95(nd), ap, rc, rr, nd};
}

std::vector<float> meanRow(const Matrix& m)
{
    std::vector<float> v(size_t(m.cols), 0.f);
    for (int r = 0; r < m.rows; ++r)
        for (int j = 0; j < m.cols; ++j) v[size_t(j)] += m(r, j);
    if (m.rows > 0)
        for (float& x : v) x /= float(m.rows);
    return v;
}

}  // namespace stemscope
