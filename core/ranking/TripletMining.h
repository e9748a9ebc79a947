#pragma once
// Triplet mining from the oracle ranked lists R_S (Prétet, Richard & Peeters 2020, Sec. 3.2).
// For every anchor a, the positives are the first `positives` (Np = 15) tracks of R_S(a); for each
// anchor-positive pair (a, p), with p at position i of R_S(a), `negatives` (Nn = 250) negatives are
// drawn among the tracks ranked *below* p (positions > i):
//   Neighbors : the tracks right after p: positions i+1 .. i+Nn (fewer when the list ends);
//   Random    : Nn i.i.d. uniform draws among positions > i;
//   Distance  : Nn i.i.d. draws with P(n) proportional to S(a, n) among positions > i
//               (negative similarities count as 0; uniform when they all are 0).
// Random and Distance draw with replacement (small collections have fewer than Nn candidates).
// A pair whose positive is the last of the list yields no triplet.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dsp/Matrix.h"
#include "ranking/RankedLists.h"

namespace stemscope {

enum class MiningStrategy { Neighbors, Random, Distance };
const char* miningName(MiningStrategy s);
std::optional<MiningStrategy> miningFromName(const std::string& name);

struct MiningConfig {
    MiningStrategy strategy = MiningStrategy::Random;
    int positives = 15;  // Np
    int negatives = 250; // Nn per anchor-positive pair
    uint64_t seed = 1;
};

struct Triplet {
    int anchor = 0;
    int positive = 0;
    int negative = 0;
};

// similarity: n x n oracle S; lists: rankedLists(similarity).
std::vector<Triplet> mineTriplets(const Matrix& similarity, const std::vector<RankedList>& lists,
                                  const MiningConfig& config);

}  // namespace stemscope
