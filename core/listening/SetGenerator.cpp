#include "listening/SetGenerator.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace stemscope::listening {

namespace {

size_t uniformIndex(std::mt19937_64& rng, size_t n)
{
    // Not std::uniform_int_distribution: its output is implementation-defined, and a seed must
    // give the same sets on every platform.
    return n <= 1 ? 0 : size_t(rng() % n);
}

bool coin(std::mt19937_64& rng) { return (rng() >> 63) != 0; }

}  // namespace

Focus drawNegativeSpace(Focus focus, const std::vector<Focus>& instrumentSpaces, std::mt19937_64& rng)
{
    if (focus != Focus::Mix) return Focus::Mix;
    if (instrumentSpaces.empty()) return Focus::Mix;
    return instrumentSpaces[uniformIndex(rng, instrumentSpaces.size())];
}

std::optional<Trial> drawSet(int64_t anchor, Focus focus, Focus negativeSpace, Mode mode, const NeighbourFn& neighbours,
                             std::mt19937_64& rng, int candidates)
{
    candidates = std::max(1, candidates);
    auto pos = neighbours(anchor, focus, candidates);
    auto neg = neighbours(anchor, negativeSpace, candidates);
    pos.erase(std::remove(pos.begin(), pos.end(), anchor), pos.end());
    neg.erase(std::remove(neg.begin(), neg.end(), anchor), neg.end());
    if (int(pos.size()) < candidates || int(neg.size()) < candidates) return std::nullopt;
    pos.resize(size_t(candidates));
    neg.resize(size_t(candidates));
    // Invalid when any positive candidate is also a negative candidate.
    for (int64_t p : pos)
        if (std::find(neg.begin(), neg.end(), p) != neg.end()) return std::nullopt;

    Trial t;
    t.mode = mode;
    t.focus = focus;
    t.negativeSpace = negativeSpace;
    t.anchor = anchor;
    t.positive = pos[uniformIndex(rng, pos.size())];
    t.negative = neg[uniformIndex(rng, neg.size())];
    const bool positiveIsA = coin(rng);
    t.a = positiveIsA ? t.positive : t.negative;
    t.b = positiveIsA ? t.negative : t.positive;
    if (mode == Mode::Similarity) {
        t.x = anchor;
        t.expected = positiveIsA ? "A" : "B";
    } else {
        const bool xIsA = coin(rng);
        t.x = xIsA ? t.a : t.b;
        t.expected = xIsA ? "A" : "B";
    }
    return t;
}

GenerationResult generateTrials(const std::vector<int64_t>& anchorsIn, const NeighbourFn& neighbours,
                                const SetOptions& options)
{
    GenerationResult out;
    const int wanted = std::max(0, options.trials) + std::max(0, options.trainingTrials);
    std::mt19937_64 rng(options.seed);
    std::vector<int64_t> anchors = anchorsIn;
    std::sort(anchors.begin(), anchors.end());
    anchors.erase(std::unique(anchors.begin(), anchors.end()), anchors.end());
    std::set<std::tuple<int64_t, int64_t, int64_t>> seen;

    // Pass 0 uses each anchor once; further passes (only when distinct anchors run out, or
    // reuse is allowed) may reuse anchors but never repeat an identical (X, positive, negative).
    const int passes = options.distinctAnchors ? 4 : 8;
    for (int pass = 0; pass < passes && int(out.trials.size()) < wanted; ++pass) {
        if (pass > 0 && out.trials.empty() && options.focus != Focus::Mix)
            break; // nothing valid at all: another pass sees the same neighbours again
        std::vector<int64_t> order = anchors;
        for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[uniformIndex(rng, i)]);
        for (int64_t anchor : order) {
            if (int(out.trials.size()) >= wanted) break;
            const Focus negSpace = drawNegativeSpace(options.focus, options.instrumentSpaces, rng);
            auto t = drawSet(anchor, options.focus, negSpace, options.mode, neighbours, rng, options.candidates);
            if (!t) {
                ++out.rejectedSets;
                continue;
            }
            if (!seen.insert({t->anchor, t->positive, t->negative}).second) continue;
            t->index = int(out.trials.size());
            t->training = t->index < options.trainingTrials;
            out.trials.push_back(*t);
        }
    }
    if (int(out.trials.size()) < wanted)
        out.warning = "only " + std::to_string(out.trials.size()) + " valid sets of " + std::to_string(wanted) +
                      " could be drawn from " + std::to_string(anchors.size()) + " anchors (" +
                      std::to_string(out.rejectedSets) + " invalid draws)";
    return out;
}

}  // namespace stemscope::listening
