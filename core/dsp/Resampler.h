#pragma once
// Band-limited sample-rate conversion: Kaiser-windowed sinc, polyphase for rational ratios with a
// small numerator, continuous-phase evaluation otherwise. Anti-aliasing cutoff sits just below the
// lower of the two Nyquist frequencies, so downsampling never folds energy back into the band.
#include <vector>

namespace stemscope {

struct ResamplerQuality {
    int zeroCrossings = 24;   // one-sided sinc lobes kept at the cutoff frequency
    double rolloff = 0.94;    // cutoff as a fraction of the lower Nyquist
    double kaiserBeta = 9.0;  // ~ -90 dB side lobes
};

class Resampler {
public:
    Resampler(double inputRate, double outputRate, ResamplerQuality quality = {});
    std::vector<float> process(const std::vector<float>& input) const;
    double inputRate() const { return inRate_; }
    double outputRate() const { return outRate_; }

private:
    double kernel(double t) const; // impulse response at t input samples from centre
    double inRate_, outRate_;
    ResamplerQuality q_;
    double cutoff_;      // cycles per input sample, relative to input Nyquist (0..1]
    double halfWidth_;   // kernel half width in input samples
    long up_ = 0, down_ = 0;        // reduced rational ratio when it is "small"
    std::vector<std::vector<float>> phases_; // polyphase bank (up_ phases)
    std::vector<int> phaseStart_;   // first input offset per phase
};

// One-call convenience.
std::vector<float> resample(const std::vector<float>& input, double inputRate, double outputRate);

}  // namespace stemscope
