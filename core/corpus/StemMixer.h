#pragma once
// Stem post-processing: one common loudness gain (peak-safe), 24-bit quantisation so that the
// mix is the exact sum of the stems *as stored*, per-class activity, and the FLAC folder layout.
#include <array>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "corpus/CorpusTypes.h"

namespace stemscope::corpus {

constexpr double kTargetMixRmsDb = -20.0; // loudness target for the mix (RMS, dBFS)
constexpr double kPeakCeiling = 0.89;     // about -1 dBFS
constexpr double kActiveDb = -45.0;       // a 3 s segment "has" a class above this RMS (after normalisation)
constexpr double kSegmentSeconds = 3.0;
constexpr double kHopSeconds = 1.5;
constexpr double kMinActiveFraction = 0.75; // a class is "audible over most of the song"

using StemArray = std::array<std::vector<float>, kNumStemClasses>;

struct MixResult {
    std::vector<float> mix;
    double gainDb = 0.0;
    double mixRmsDb = -200.0;
    double mixPeak = 0.0;
};
// Scales all stems by one gain, rounds them to the 24-bit grid (k / 2^23) and returns their sum.
// Stems must have equal lengths (shorter ones are zero-padded).
MixResult normaliseStems(StemArray& stems, double targetRmsDb = kTargetMixRmsDb, double peakCeiling = kPeakCeiling);

struct ClassLevel {
    double rmsDb = -200.0;     // whole-stem RMS
    int segments = 0;          // 3 s segments at 1.5 s hop
    int activeSegments = 0;    // with RMS >= kActiveDb
    double activeFraction() const { return segments ? double(activeSegments) / segments : 0.0; }
    bool audible() const { return activeFraction() >= kMinActiveFraction; }
};
ClassLevel measureLevel(const std::vector<float>& x, double sampleRate);
nlohmann::ordered_json levelToJson(const ClassLevel& level, bool present);

double rmsDb(const std::vector<float>& x);

// Writes <dir>/<class>.flac for each class and <dir>/mix.flac, mono 24-bit.
void writeStemFiles(const std::string& dir, const StemArray& stems, const std::vector<float>& mix, double sampleRate);

}  // namespace stemscope::corpus
