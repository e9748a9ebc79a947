#pragma once
// Log-mel spectrogram: power STFT -> Slaney mel filterbank (Slaney scale, area-normalised
// triangles, as librosa's default and torchaudio's norm="slaney", mel_scale="slaney") -> dB.
#include <vector>

#include "dsp/Matrix.h"
#include "dsp/Stft.h"

namespace stemscope {

struct MelConfig {
    double sampleRate = 22050.0;
    int nFft = 2048;
    int hop = 512;
    int nMels = 128;
    double fMin = 0.0;
    double fMax = 0.0;      // 0 = Nyquist
    float amin = 1e-10f;    // floor before log: dB = 10 log10(max(power, amin))
    bool toDb = true;
};

double hzToMelSlaney(double hz);
double melToHzSlaney(double mel);

// Filterbank as a (nFft/2+1) x nMels matrix (rows = FFT bins).
Matrix slaneyMelFilterbank(double sampleRate, int nFft, int nMels, double fMin, double fMax);

class MelSpectrogram {
public:
    explicit MelSpectrogram(MelConfig config = {});
    const MelConfig& config() const { return cfg_; }
    // rows = frames, cols = nMels. Mono signal at config().sampleRate.
    Matrix compute(const std::vector<float>& signal) const;
    // Applies the filterbank (and dB) to an existing power spectrogram.
    Matrix fromPower(const Matrix& power) const;
    // Frames spanning `seconds` of audio (the size of one analysis segment).
    int framesFor(double seconds) const;

private:
    MelConfig cfg_;
    Matrix fb_; // bins x mels
};

}  // namespace stemscope
