#pragma once
// Trial generation exactly as in Hashizume, Li & Toda's subjective test:
//  - for focus F and anchor X, the positive candidates are X's 1st and 2nd nearest neighbours in
//    F's embedding space, the negative candidates X's 1st and 2nd nearest neighbours in the mix
//    space (for F = mix: in a randomly chosen instrument space);
//  - one positive and one negative are drawn uniformly from those candidates;
//  - a set is invalid, and redrawn with another anchor, when a positive candidate is among the
//    negative candidates;
//  - A/B order is random. Everything is deterministic given the seed.
// The neighbour source is an abstract function, so this is testable without a library.
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "listening/ListeningTypes.h"

namespace stemscope::listening {

// Ranked nearest neighbours (closest first, the track itself excluded) of `trackId` in `space`;
// empty when the track has no embedding there.
using NeighbourFn = std::function<std::vector<int64_t>(int64_t trackId, Focus space, int k)>;

struct SetOptions {
    Mode mode = Mode::Similarity;
    Focus focus = Focus::Mix;
    int trials = 20;               // counted trials
    int trainingTrials = 2;        // extra trials in front, flagged training
    uint64_t seed = 1;
    std::vector<Focus> instrumentSpaces{Focus::Drums, Focus::Bass, Focus::Piano, Focus::Guitar};
    int candidates = 2;            // "1st or 2nd" nearest neighbour
    bool distinctAnchors = true;   // each anchor at most once (falls back to reuse when short)
};

// The negative space for a focus: mix for an instrument focus; for the mix focus one of
// `instrumentSpaces`, drawn with `rng`.
Focus drawNegativeSpace(Focus focus, const std::vector<Focus>& instrumentSpaces, std::mt19937_64& rng);

// One set for one anchor, or nullopt when invalid (overlap, or fewer than `candidates`
// neighbours in either space). `negativeSpace` as drawn by drawNegativeSpace.
std::optional<Trial> drawSet(int64_t anchor, Focus focus, Focus negativeSpace, Mode mode, const NeighbourFn& neighbours,
                             std::mt19937_64& rng, int candidates = 2);

struct GenerationResult {
    std::vector<Trial> trials;     // training ones first; index set
    int rejectedSets = 0;          // invalid draws (overlap / too few neighbours)
    std::string warning;           // non-empty when fewer trials than asked could be made
};

// Draws anchors at random from `anchors` until options.trainingTrials + options.trials valid
// sets exist (or the anchors are exhausted). Excerpt starts are left 0 (see Excerpts.h).
GenerationResult generateTrials(const std::vector<int64_t>& anchors, const NeighbourFn& neighbours,
                                const SetOptions& options);

}  // namespace stemscope::listening
