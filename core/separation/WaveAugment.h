#pragma once
// Realism augmentations of one separator training excerpt, applied to the SOURCES so that the
// mixture (their sum) and the targets stay exact: per-source EQ (shelves and a bell), reverb,
// overdrive on the guitar, and a compressor whose gain is computed on the mixture and applied to
// every source alike (bus compression). Implemented with juce_dsp (core/juce/JuceWaveAugment.cpp);
// this header stays JUCE-free.
#include <random>
#include <string>
#include <vector>

namespace stemscope {

struct WaveAugmentConfig {
    double eqProb = 0.5, eqDb = 6;          // per source: low/high shelf and one bell, +- eqDb each
    double reverbProb = 0.2;                // per source: juce::dsp::Reverb, random room and wet level
    double overdriveProb = 0.3;             // the "guitar" source: tanh waveshaper, level matched
    double compressProb = 0.3;              // the bus: threshold 3-12 dB under the excerpt's RMS, ratio 2-8
};

// `sources[s]` points at `length` samples of source `names[s]`, augmented in place.
void augmentSources(const std::vector<float*>& sources, const std::vector<std::string>& names, int length,
                    double sampleRate, const WaveAugmentConfig& config, std::mt19937_64& rng);

}  // namespace stemscope
