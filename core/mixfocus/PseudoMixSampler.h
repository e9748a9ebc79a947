#pragma once
// Training batches of the multi-focus mix model (Hashizume et al., arXiv 2404.06682 / 2503.17281):
// pseudo-mixed pieces built on the fly from a StemBank. A batch is a list of groups; a group for
// instrument focus f holds K items with song A's f-part, each under another song's accompaniment
// (the first sometimes A's own real mix; the others the same segment or another one), and one hard
// negative: another song's f-part under the first item's accompaniment. A group for the mix focus
// is K segments of A's mix and one of another song's. Every item carries one label per focus
// (kInstrumentFocuses order): for its group's focus, the song that focus's part (or mix) comes from; for
// the other focuses a unique negative id, so an item is a positive only where it shares the part
// its group is about. The masked triplet loss compares items focus by focus in that focus's
// subspace, with these labels.
// Augmentation (MelAugment) in the mel power domain: stem levels, EQ, reverb, compression,
// overdrive on guitars, small pitch and tempo changes, solo parts, timbre warps; and real sound pairs
// (a positive's part from the same song rendered with another soundfont). Torch-free.
#include <array>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "mixfocus/StemBank.h"

namespace stemscope {

struct PseudoMixConfig {
    int frames = 129;            // output frames per item (3 s)
    int leadIn = 32;             // history frames rendered before the item (reverb / compressor state)
    int positives = 3;           // K: items per group sharing the focus's part (plus one negative)
    double realMixProb = 0.3;    // an instrument group's first item is the song's own mix
    double sameSegmentProb = 0.25; // a positive is the first item's segment under another accompaniment
    double soloProb = 0.08;      // an item's accompaniment is muted (clean stems stay in the domain)
    bool augment = true;
    double stemGainDb = 6;       // +- per part (level balance)
    // An instrument item's focus part, with this probability, a further 0..quietPartDb down: a part
    // buried in the band (our renders put guitars anywhere from 0 to 23 dB under the mix).
    double quietPartProb = 0.0, quietPartDb = 12;
    double globalGainDb = 10;    // +- per item (recording level)
    double eqProb = 0.5, eqDb = 6;
    double stemReverbProb = 0.2, roomReverbProb = 0.3;
    double compressProb = 0.3;
    double overdriveProb = 0.3;  // guitar parts only
    double pitchProb = 0.2, pitchSemitones = 1.0;
    double tempoProb = 0.2, tempoRange = 0.08;
    // Each stem, with this probability, another instrument sound for the same notes (applyTimbreWarp,
    // 0..timbreAmount): the positives of a group then hear one part through different sounds, as
    // a soundfont the model never heard would play it. 0: off (the served models' recipe).
    double timbreProb = 0.0, timbreAmount = 1.0;
    // Real sound pairs: each of a group's positives after the first, with this probability, takes
    // A's part from a twin of A (the same music rendered with another soundfont; the sampler's
    // `twins`), the same segment: the positives then hear one part through real other sounds.
    // 0: off (the served models' recipe).
    double twinProb = 0.0;
    // Focuses the batches train (kInstrumentFocuses indices), cycled in this order; empty: every
    // instrument twice per turn and the mix once. A specialist (e.g. {3, 4}: piano and guitar) spends
    // every group on its parts; the other blocks stay untrained.
    std::vector<int> focusCycle;
    // With this probability a group's hard negative is a song whose part has the same timbre key as
    // A's (same patch and soundfont: PartTimbre.h), when the sampler knows the keys and one exists:
    // then only what the part plays tells the two apart, not which instrument plays it.
    double sameTimbreNegativeProb = 0.0;
    // Also render each instrument item's ratio mask (PseudoMixBatch::partMask), the target of the
    // trainer's auxiliary mask loss: where in time and frequency the part is.
    bool maskTargets = false;
    // Also render each instrument item's part alone (PseudoMixBatch::soloLogMel: its own stem
    // effects and level, no accompaniment, no whole-mix effects), the input of the trainer's solo
    // teacher: the model's own view of the clean part, which the item's view of the mix should match.
    bool soloTargets = false;
};

struct PseudoMixBatch {
    int items = 0, frames = 0, bands = 0;
    int groupSize = 0;                            // K + 1: items of group g are [g * groupSize, (g + 1) * groupSize)
    std::vector<float> logMel;                    // items x frames x bands, dB
    std::array<std::vector<int64_t>, 5> labels;   // per focus, per item
    std::vector<int> groupFocus;                  // per group: index into kInstrumentFocuses
    // With PseudoMixConfig::maskTargets: per item, frames x bands, the group's part's share of the
    // item's power (before the whole-mix effects), in [0, 1]; -1 throughout where unknown (mix
    // groups, and an item that is a song's real mix).
    std::vector<float> partMask;
    // With PseudoMixConfig::soloTargets: per item, frames x bands dB of the part alone; rows of
    // items without a part are left at the dB floor.
    std::vector<float> soloLogMel;
    // Per item: 1 where it has a part of its group's focus (an instrument item that is not a real
    // mix), i.e. where partMask and soloLogMel hold targets.
    std::vector<char> hasPart;
};

class PseudoMixSampler {
public:
    // `songs`: indices into bank.songs this sampler draws from (at least 4). `timbre`: empty, or per
    // bank song a timbre key per part (drums..other; -1 unknown), for sameTimbreNegativeProb.
    // `twins`: empty, or per bank song its twins (bankTwins), for twinProb; twins are never drawn
    // as songs of their own.
    PseudoMixSampler(const StemBank& bank, std::vector<int> songs, PseudoMixConfig config,
                     std::vector<std::array<int, kBankStems>> timbre = {}, std::vector<std::vector<int>> twins = {});
    // `groups` groups, focuses in turn from a random start (each instrument focus twice as often as
    // the mix focus); items = groups * (K + 1), group by group, the negative last.
    PseudoMixBatch batch(int groups, std::mt19937_64& rng, double accompanimentDb = 0) const;
    const PseudoMixConfig& config() const { return cfg_; }

private:
    struct Group {
        int song = 0;
        double start = 0;          // first rendered frame (lead-in included)
        std::vector<int> tracks;   // bank tracks summed from this song
        double gainDb = 0;         // on top of the per-part level augmentation
    };
    struct Item {
        std::vector<Group> groups;
        std::array<int64_t, 5> labels{};
    };
    double activeStart(int song, int track, double tempo, std::mt19937_64& rng) const;
    int span(double tempo) const { return int(std::ceil((cfg_.leadIn + cfg_.frames) * tempo)) + 2; }
    // `partMask`, `soloOut` (frames x bands each, or null): where to write the first group's (the
    // part's) share of the power, and the part alone in dB.
    void render(const Item& item, std::mt19937_64& rng, float* out, float* partMask = nullptr, float* soloOut = nullptr) const;
    std::vector<float> bandMap(double ratio) const;  // frequency axis scaled by `ratio`

    const StemBank& bank_;
    std::vector<int> songs_;
    PseudoMixConfig cfg_;
    std::vector<std::array<std::vector<double>, 6>> energyPrefix_;  // per song, track: prefix sums of frame power
    std::vector<float> octaveMap_, twelfthMap_, doubleOctaveMap_;
    std::vector<std::array<int, kBankStems>> timbre_;
    std::vector<std::vector<int>> twins_;
    std::array<std::map<int, std::vector<int>>, kBankStems> songsByTimbre_;  // per part: key -> sampler songs
};

}  // namespace stemscope
