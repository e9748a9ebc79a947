#pragma once
// Training batches of the multi-focus mix model (Hashizume et al., arXiv 2404.06682 / 2503.17281):
// pseudo-mixed pieces built on the fly from a StemBank. Each batch is a list of triplets; a triplet
// for instrument focus f is
//   anchor   = A's f-part + B's accompaniment (or, sometimes, A's own real mix)
//   positive = A's f-part (another segment, or the same one) + C's accompaniment
//   negative = D's f-part + the anchor's accompaniment          (the hard negative)
// and a triplet for the mix focus is two segments of A's mix against one of D's. Every item carries
// one label per focus (kAllFocuses order): the song its part of that focus comes from, or a unique
// negative id where no other item can share it (the mix label of a pseudo-mix). The masked triplet
// loss compares items focus by focus in that focus's subspace, with these labels.
// Augmentation (MelAugment) in the mel power domain: stem levels, EQ, reverb, compression,
// overdrive on guitars, small pitch and tempo changes, solo parts. Torch-free.
#include <array>
#include <cstdint>
#include <random>
#include <vector>

#include "mixfocus/StemBank.h"

namespace stemscope {

struct PseudoMixConfig {
    int frames = 129;            // output frames per item (3 s)
    int leadIn = 32;             // history frames rendered before the item (reverb / compressor state)
    double realMixProb = 0.3;    // an instrument triplet's anchor is the song's own mix
    double sameSegmentProb = 0.25; // the positive is the anchor's segment under another accompaniment
    double soloProb = 0.08;      // an item's accompaniment is muted (clean stems stay in the domain)
    bool augment = true;
    double stemGainDb = 6;       // +- per part (level balance)
    double globalGainDb = 10;    // +- per item (recording level)
    double eqProb = 0.6, eqDb = 6;
    double stemReverbProb = 0.2, roomReverbProb = 0.3;
    double compressProb = 0.3;
    double overdriveProb = 0.4;  // guitar parts only
    double pitchProb = 0.3, pitchSemitones = 1.0;
    double tempoProb = 0.3, tempoRange = 0.08;
};

struct PseudoMixBatch {
    int items = 0, frames = 0, bands = 0;
    std::vector<float> logMel;                    // items x frames x bands, dB
    std::array<std::vector<int64_t>, 5> labels;   // per focus, per item
    std::vector<int> tripletFocus;                // per triplet: index into kAllFocuses
};

class PseudoMixSampler {
public:
    // `songs`: indices into bank.songs this sampler draws from (at least 4).
    PseudoMixSampler(const StemBank& bank, std::vector<int> songs, PseudoMixConfig config);
    // `triplets` triplets, focuses in turn from a random start; items = 3 * triplets, laid out
    // [anchors..., positives..., negatives...].
    PseudoMixBatch batch(int triplets, std::mt19937_64& rng) const;
    const PseudoMixConfig& config() const { return cfg_; }

private:
    struct Group {
        int song = 0;
        double start = 0;          // first rendered frame (lead-in included)
        std::vector<int> tracks;   // bank tracks summed from this song
    };
    struct Item {
        std::vector<Group> groups;
        std::array<int64_t, 5> labels{};
    };
    double activeStart(int song, int track, double tempo, std::mt19937_64& rng) const;
    int span(double tempo) const { return int(std::ceil((cfg_.leadIn + cfg_.frames) * tempo)) + 2; }
    void render(const Item& item, std::mt19937_64& rng, float* out) const;

    const StemBank& bank_;
    std::vector<int> songs_;
    PseudoMixConfig cfg_;
    std::vector<std::array<std::vector<double>, 6>> energyPrefix_;  // per song, track: prefix sums of frame power
    std::vector<float> octaveMap_, twelfthMap_;
};

}  // namespace stemscope
