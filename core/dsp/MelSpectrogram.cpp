#include "dsp/MelSpectrogram.h"

#include <cmath>
#include <stdexcept>

namespace stemscope {
namespace {
constexpr double kFSp = 200.0 / 3.0;
constexpr double kMinLogHz = 1000.0;
constexpr double kMinLogMel = kMinLogHz / kFSp;
const double kLogStep = std::log(6.4) / 27.0;
}  // namespace

double hzToMelSlaney(double hz)
{
    return hz < kMinLogHz ? hz / kFSp : kMinLogMel + std::log(hz / kMinLogHz) / kLogStep;
}

double melToHzSlaney(double mel)
{
    return mel < kMinLogMel ? mel * kFSp : kMinLogHz * std::exp(kLogStep * (mel - kMinLogMel));
}

Matrix slaneyMelFilterbank(double sr, int nFft, int nMels, double fMin, double fMax)
{
    if (nMels < 1 || fMax <= fMin) throw std::invalid_argument("mel filterbank: bad band settings");
    const int bins = nFft / 2 + 1;
    // Bin centre frequencies span 0..floor(sr/2), matching torchaudio.
    const double nyq = std::floor(sr / 2.0);
    std::vector<double> freqs(static_cast<size_t>(bins));
    for (int b = 0; b < bins; ++b) freqs[size_t(b)] = nyq * b / double(bins - 1);
    const double mMin = hzToMelSlaney(fMin), mMax = hzToMelSlaney(fMax);
    std::vector<double> f(static_cast<size_t>(nMels + 2));
    for (int i = 0; i < nMels + 2; ++i) f[size_t(i)] = melToHzSlaney(mMin + (mMax - mMin) * i / double(nMels + 1));
    Matrix fb(bins, nMels);
    for (int m = 0; m < nMels; ++m) {
        const double lo = f[size_t(m)], mid = f[size_t(m + 1)], hi = f[size_t(m + 2)];
        const double enorm = 2.0 / (hi - lo);
        for (int b = 0; b < bins; ++b) {
            const double down = (freqs[size_t(b)] - lo) / (mid - lo);
            const double up = (hi - freqs[size_t(b)]) / (hi - mid);
            const double w = std::max(0.0, std::min(down, up));
            fb(b, m) = float(w * enorm);
        }
    }
    return fb;
}

MelSpectrogram::MelSpectrogram(MelConfig config) : cfg_(config)
{
    if (cfg_.fMax <= 0) cfg_.fMax = cfg_.sampleRate / 2.0;
    fb_ = slaneyMelFilterbank(cfg_.sampleRate, cfg_.nFft, cfg_.nMels, cfg_.fMin, cfg_.fMax);
}

Matrix MelSpectrogram::compute(const std::vector<float>& signal) const
{
    return fromPower(powerSpectrogram(signal, StftConfig{cfg_.nFft, cfg_.hop, true}, 2.f));
}

Matrix MelSpectrogram::fromPower(const Matrix& power) const
{
    if (power.cols != fb_.rows) throw std::invalid_argument("mel: spectrogram bins do not match filterbank");
    Matrix out(power.rows, cfg_.nMels);
    // Filters are sparse along bins: skip the zeros via per-mel [first,last] ranges.
    std::vector<int> first(size_t(cfg_.nMels), fb_.rows), last(size_t(cfg_.nMels), -1);
    for (int b = 0; b < fb_.rows; ++b)
        for (int m = 0; m < cfg_.nMels; ++m)
            if (fb_(b, m) != 0.f) {
                first[size_t(m)] = std::min(first[size_t(m)], b);
                last[size_t(m)] = std::max(last[size_t(m)], b);
            }
    for (int t = 0; t < power.rows; ++t) {
        const float* p = power.row(t);
        float* o = out.row(t);
        for (int m = 0; m < cfg_.nMels; ++m) {
            double acc = 0.0;
            for (int b = first[size_t(m)]; b <= last[size_t(m)]; ++b) acc += double(p[b]) * fb_(b, m);
            o[m] = cfg_.toDb ? float(10.0 * std::log10(std::max(acc, double(cfg_.amin)))) : float(acc);
        }
    }
    return out;
}

int MelSpectrogram::framesFor(double seconds) const
{
    return int(std::lround(seconds * cfg_.sampleRate / cfg_.hop));
}

}  // namespace stemscope
