#pragma once
// Band-limited sample-rate conversion: Kaiser-windowed sinc, polyphase for rational ratios with a
// small numerator, continuous-phase evaluation otherwise. Anti-aliasing cutoff sits just below the
// lower of the two Nyquist frequencies, so downsampling never folds energy back into the band.
#include <utility>
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
    // Output samples [outFirst, outFirst + outCount) of resampling an input of nTotalIn samples, of
    // which `x` holds [xOffset, xOffset + xLen): a stream can be resampled block by block with the
    // same result as process(). The block must cover inputSpan(outFirst, outCount).
    void processBlock(const float* x, long long xOffset, long long xLen, long long nTotalIn, long long outFirst,
                      long long outCount, float* y) const;
    // Input samples [first, last] the outputs [outFirst, outFirst + outCount) read (unclamped).
    std::pair<long long, long long> inputSpan(long long outFirst, long long outCount) const;
    long long outputLength(long long nIn) const;
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
