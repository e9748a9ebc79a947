#include "ranking/RankingMetrics.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

namespace stemscope {
namespace {
int cutoff(const std::vector<int>& retrieved, int k) { return std::max(0, std::min<int>(k, int(retrieved.size()))); }
}  // namespace

double averagePrecisionAtK(const std::vector<int>& retrieved, const std::vector<int>& relevant, int k)
{
    const std::set<int> rel(relevant.begin(), relevant.end());
    if (rel.empty() || k <= 0) return 0;
    double sum = 0;
    int hits = 0;
    for (int i = 0; i < cutoff(retrieved, k); ++i)
        if (rel.count(retrieved[size_t(i)])) {
            ++hits;
            sum += double(hits) / double(i + 1);
        }
    return sum / double(std::min<int>(int(rel.size()), k));
}

double recallAtK(const std::vector<int>& retrieved, const std::vector<int>& relevant, int k)
{
    const std::set<int> rel(relevant.begin(), relevant.end());
    if (rel.empty()) return 0;
    int hits = 0;
    for (int i = 0; i < cutoff(retrieved, k); ++i) hits += int(rel.count(retrieved[size_t(i)]));
    return double(hits) / double(rel.size());
}

double reciprocalRankAtK(const std::vector<int>& retrieved, const std::vector<int>& relevant, int k)
{
    const std::set<int> rel(relevant.begin(), relevant.end());
    for (int i = 0; i < cutoff(retrieved, k); ++i)
        if (rel.count(retrieved[size_t(i)])) return 1.0 / double(i + 1);
    return 0;
}

double ndcgAtK(const std::vector<int>& retrieved, const std::vector<int>& relevant, int k)
{
    const std::set<int> rel(relevant.begin(), relevant.end());
    if (rel.empty() || k <= 0) return 0;
    double dcg = 0, idcg = 0;
    for (int i = 0; i < cutoff(retrieved, k); ++i)
        if (rel.count(retrieved[size_t(i)])) dcg += 1.0 / std::log2(double(i + 2));
    for (int i = 0; i < std::min<int>(int(rel.size()), k); ++i) idcg += 1.0 / std::log2(double(i + 2));
    return dcg / idcg;
}

MeanCi meanWithCi95(const std::vector<double>& v)
{
    MeanCi r;
    r.n = int(v.size());
    if (v.empty()) return r;
    double sum = 0;
    for (double x : v) sum += x;
    r.mean = sum / double(v.size());
    if (v.size() < 2) return r;
    double ss = 0;
    for (double x : v) ss += (x - r.mean) * (x - r.mean);
    const double sd = std::sqrt(ss / double(v.size() - 1));
    r.halfWidth = 1.96 * sd / std::sqrt(double(v.size()));
    return r;
}

RankingScores scoreRankings(const std::vector<RankedList>& retrieved, const std::vector<std::vector<int>>& relevant,
                            int k)
{
    if (retrieved.size() != relevant.size()) throw std::invalid_argument("scoreRankings: size mismatch");
    std::vector<double> ap, rc, rr, nd;
    for (size_t q = 0; q < retrieved.size(); ++q) {
        ap.push_back(averagePrecisionAtK(retrieved[q], relevant[q], k));
        rc.push_back(recallAtK(retrieved[q], relevant[q], k));
        rr.push_back(reciprocalRankAtK(retrieved[q], relevant[q], k));
        nd.push_back(ndcgAtK(retrieved[q], relevant[q], k));
    }
    return {meanWithCi95(ap), meanWithCi95(rc), meanWithCi95(rr), meanWithCi95(nd), ap, rc, rr, nd};
}

std::vector<std::vector<int>> relevantFromOracle(const std::vector<RankedList>& oracle, int count)
{
    std::vector<std::vector<int>> out;
    for (const auto& l : oracle) out.emplace_back(l.begin(), l.begin() + std::min<int>(count, int(l.size())));
    return out;
}

}  // namespace stemscope
