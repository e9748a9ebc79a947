#pragma once
// Constant-Q transform (log power), computed with the Brown–Puckette spectral-kernel method.
//
// Definition (this is what the code computes, up to the sparse-kernel approximation; the test
// fixture tests/data/cqt_ref.npy is a direct, slow evaluation of exactly these formulas):
//
//   Q    = filterScale / (2^(1/B) - 1)                       B = binsPerOctave
//   f_k  = fMin * 2^(k/B)                                     k = 0 .. nBins-1
//   N_k  = ceil(Q * sr / f_k)                                 window length in samples
//   m    = -floor(N_k/2) .. N_k - 1 - floor(N_k/2)            offsets from the frame centre
//   w_k(m) = 0.5 + 0.5 cos(2 pi m / N_k)                      Hann window centred on m = 0
//   X[n, k] = 1/S_k * sum_m x[n*hop + m] w_k(m) exp(-2 pi i f_k m / sr),   S_k = sum_m w_k(m)
//
// with x[i] = 0 outside the signal (zero padding, no reflection). Frame n is centred on sample
// n*hop; there are 1 + len/hop frames (as the centred STFT). Dividing by the window sum means a
// sinusoid A cos(2 pi f_k t) gives |X| ~= A/2. Output: 10 log10(max(|X|^2, amin)) dB
// (or |X|^2 when toDb is false) as a Matrix with rows = frames, cols = bins.
//
// Fast path: X[n, k] = sum_j FFT(frame)[j] * K_k[j] (Parseval), where K_k is the DFT of kernel k,
// precomputed in double once per configuration, then cut to the contiguous band of FFT bins
// where |K_k| >= sparsity * max|K_k| and stored in float. Bins are grouped by octave and each
// group uses its own FFT length (next power of two >= the group's longest window; the first
// group's is next_pow2(N_0)), so high bins do not pay for the lowest bin's resolution. Setting
// fftPerOctave = false uses the single FFT of next_pow2(N_0) for every bin (the textbook variant).
//
// Multirate (multirate = true, the default): an octave whose top frequency lies below 0.37 of a
// lower rate sr / D (D a power of two dividing hop) is computed from the signal decimated by D,
// with the kernels of that rate (N_k and the window sum at sr / D; frame n centred on sample
// n * hop / D). Decimation is a cascade of half-band stages (63-tap Kaiser-windowed sinc, zero
// phase, zero padding at the edges, as the definition). Every octave then needs an FFT of about
// the top octave's length instead of up to next_pow2(N_0): at 22050 Hz, hop 512, about 40x less
// work, for a mean deviation from the definition of a few hundredths of a dB where there is energy
// (tests/unit/tst_cqt). multirate = false evaluates the definition at the full rate.
#include <memory>
#include <vector>

#include "dsp/Matrix.h"

namespace stemscope {

struct CqtConfig {
    double sampleRate = 44100.0;
    int hop = 1024;
    double fMin = 32.70;       // C1
    int nBins = 96;            // 8 octaves: C1 .. B8 (f_95 ~ 7.9 kHz)
    int binsPerOctave = 12;
    double filterScale = 1.0;  // Q = filterScale / (2^(1/B) - 1)
    double sparsity = 1e-6;    // kernel band edge, relative to each kernel's peak magnitude
    bool fftPerOctave = true;
    bool multirate = true;     // low octaves from the decimated signal (see above)
    float amin = 1e-10f;       // floor before the log
    bool toDb = true;

    double q() const;
    double binFrequency(int k) const;
    int windowLength(int k) const;
};

class Cqt {
public:
    // Validates the configuration (throws std::invalid_argument: f_top must stay below Nyquist,
    // windows must be at least 2 samples) and builds or reuses the cached kernels.
    explicit Cqt(CqtConfig config = {});
    const CqtConfig& config() const { return cfg_; }
    // Mono signal at config().sampleRate. Thread-safe (const, no shared mutable state).
    Matrix compute(const std::vector<float>& signal) const;
    // Complex coefficients X[n, k] as (re, im) pairs: rows = frames, cols = 2 * nBins.
    Matrix computeComplex(const std::vector<float>& signal) const;
    int frameCount(long long signalLength) const;
    // Stored kernel coefficients summed over all bins (a cost measure: complex MACs per frame).
    long long kernelSize() const;
    // FFT lengths used, one per bin group, and the decimation factor of each group (1: full rate).
    std::vector<int> fftSizes() const;
    std::vector<int> decimations() const;

    struct Kernels; // opaque, shared between Cqt objects of equal configuration

private:
    template <typename Emit>
    void run(const std::vector<float>& signal, Emit&& emit) const;
    CqtConfig cfg_;
    std::shared_ptr<const Kernels> kernels_;
};

// Cuts a (frames x bins) feature matrix into fixed-length patches along time.
struct PatchConfig {
    int frames = 512;        // rows per patch (512 CQT frames at hop 1024 / 44.1 kHz ~ 11.9 s)
    int hop = 512;           // stride between patch starts (== frames: no overlap)
    bool padShort = true;    // a matrix shorter than one patch yields one patch, padded...
    float padValue = -100.f; // ...with this value (the log floor: 10 log10(1e-10))
};
// Only whole patches are returned (a trailing remainder shorter than `frames` is dropped),
// except when the whole input is shorter than one patch and padShort is set.
std::vector<Matrix> cutPatches(const Matrix& features, const PatchConfig& config = {});

}  // namespace stemscope
