#include "ranking/TripletMining.h"

#include <algorithm>
#include <random>

namespace stemscope {

const char* miningName(MiningStrategy s)
{
    switch (s) {
    case MiningStrategy::Neighbors: return "neighbors";
    case MiningStrategy::Random: return "random";
    case MiningStrategy::Distance: return "distance";
    }
    return "random";
}

std::optional<MiningStrategy> miningFromName(const std::string& name)
{
    for (auto s : {MiningStrategy::Neighbors, MiningStrategy::Random, MiningStrategy::Distance})
        if (name == miningName(s)) return s;
    return std::nullopt;
}

std::vector<Triplet> mineTriplets(const Matrix& s, const std::vector<RankedList>& lists, const MiningConfig& c)
{
    std::mt19937_64 rng(c.seed);
    std::vector<Triplet> out;
    std::vector<double> weights;
    for (int a = 0; a < int(lists.size()); ++a) {
        const RankedList& r = lists[size_t(a)];
        const int np = std::min<int>(c.positives, int(r.size()));
        for (int i = 0; i < np; ++i) {
            const int p = r[size_t(i)];
            const int first = i + 1, count = int(r.size()) - first;
            if (count <= 0 || c.negatives <= 0) continue;
            switch (c.strategy) {
            case MiningStrategy::Neighbors:
                for (int j = first; j < std::min<int>(int(r.size()), first + c.negatives); ++j)
                    out.push_back({a, p, r[size_t(j)]});
                break;
            case MiningStrategy::Random: {
                std::uniform_int_distribution<int> pick(first, int(r.size()) - 1);
                for (int k = 0; k < c.negatives; ++k) out.push_back({a, p, r[size_t(pick(rng))]});
                break;
            }
            case MiningStrategy::Distance: {
                weights.assign(size_t(count), 0.0);
                double total = 0;
                for (int j = 0; j < count; ++j) {
                    weights[size_t(j)] = std::max(0.0, double(s(a, r[size_t(first + j)])));
                    total += weights[size_t(j)];
                }
                if (total <= 0) std::fill(weights.begin(), weights.end(), 1.0);
                std::discrete_distribution<int> pick(weights.begin(), weights.end());
                for (int k = 0; k < c.negatives; ++k) out.push_back({a, p, r[size_t(first + pick(rng))]});
                break;
            }
            }
        }
    }
    return out;
}

}  // namespace stemscope
