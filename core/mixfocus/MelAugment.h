#pragma once
// Augmentations applied to mel (or constant-Q) POWER blocks (frames x bands, row-major), the cheap stand-ins for
// waveform effects used when the multi-focus model is trained on pseudo-mixes: level, EQ, reverb
// (a per-band exponential energy decay, faster in high bands), compression (frame-level gain
// computer with attack/release), overdrive (dynamics squashed, energy spread to 2nd/3rd harmonics),
// pitch (frequency-axis resampling), tempo (time-axis resampling, at extraction) and a timbre warp
// (another instrument sound playing the same notes).
#include <random>
#include <vector>

namespace stemscope {

struct MelBlock {
    int frames = 0, bands = 0;
    std::vector<float> p;  // power
    MelBlock() = default;
    MelBlock(int f, int b) : frames(f), bands(b), p(size_t(f) * size_t(b), 0.f) {}
    float* row(int t) { return p.data() + size_t(t) * size_t(bands); }
    const float* row(int t) const { return p.data() + size_t(t) * size_t(bands); }
};

// Fractional source band for each output band when every frequency is multiplied by `ratio`
// (Slaney mel bands of a 22050 Hz, nFft 2048 front end, as the analysis uses).
std::vector<float> bandMapForRatio(int bands, double ratio, double sampleRate = 22050.0);
// The same for log-spaced bins (constant-Q): a shift by binsPerOctave * log2(ratio) bins.
std::vector<float> logBandMapForRatio(int bins, int binsPerOctave, double ratio);

// Reads `frames` output frames from `src` (srcFrames x bands) starting at fractional frame `start`
// and advancing `step` source frames per output frame (tempo), resampling bands through `bandMap`
// (empty: identity). Positions outside the source read as silence.
MelBlock extractBlock(const float* src, int srcFrames, int bands, double start, double step, int frames,
                      const std::vector<float>& bandMap = {});

void applyGainDb(MelBlock& b, double db);
void applyEq(MelBlock& b, std::mt19937_64& rng, double maxDb);          // tilt + two bell filters
void applyReverb(MelBlock& b, double rt60Seconds, double wet, double hopSeconds = 512.0 / 22050.0);
void applyCompression(MelBlock& b, double thresholdBelowMeanDb, double ratio, double hopSeconds = 512.0 / 22050.0);
void applyOverdrive(MelBlock& b, double amount, const std::vector<float>& octaveMap, const std::vector<float>& twelfthMap);
// Another instrument sound for the same notes, `amount` in [0, 1]: (1) partials re-weighted (energy at f
// from f/2, f/3, f/4 in random proportions: a brighter, buzzier or organ-like sound), (2) a smooth
// random spectral envelope (four cosine terms over the band axis, up to +-9 dB x amount: body and
// formants), (3) spectral contrast (power raised to 1 +- 0.25 x amount: pure against noisy tones) and
// (4) transient shaping (each band against its own 150 ms average, raised to +-0.5 x amount:
// plucked against bowed or pad-like). Total energy is kept; level is the gain augmentation's job.
// The maps are bandMap(2), bandMap(3), bandMap(4) of the block's frequency axis.
void applyTimbreWarp(MelBlock& b, std::mt19937_64& rng, double amount, const std::vector<float>& octaveMap,
                     const std::vector<float>& twelfthMap, const std::vector<float>& doubleOctaveMap,
                     double hopSeconds = 512.0 / 22050.0);
void addInto(MelBlock& dst, const MelBlock& src);

// 10 log10(max(p, 1e-10)) of frames [from, from + count) into `out` (count x bands floats): the
// analysis front end's dB scale (MelConfig::amin).
void toDb(const MelBlock& b, int from, int count, float* out);

}  // namespace stemscope
