#include "dsp/Stft.h"

#include <cmath>
#include <stdexcept>

#include "dsp/Fft.h"

namespace stemscope {
namespace {
constexpr double kPi = 3.14159265358979323846;

// Sample at index i of the (virtually) reflect-padded signal.
inline float paddedSample(const std::vector<float>& x, long long i)
{
    const long long n = (long long)x.size();
    if (n == 1) return x[0];
    while (i < 0 || i >= n) {
        if (i < 0) i = -i;
        if (i >= n) i = 2 * (n - 1) - i;
    }
    return x[size_t(i)];
}

template <typename PerFrame>
void forEachFrame(const std::vector<float>& x, const StftConfig& c, PerFrame&& perFrame)
{
    if (c.nFft < 2 || c.hop < 1) throw std::invalid_argument("STFT: bad nFft/hop");
    const int frames = stftFrameCount((long long)x.size(), c);
    if (frames <= 0) return;
    const auto window = hannWindow(c.nFft);
    RealFft fft(c.nFft);
    const long long offset = c.center ? c.nFft / 2 : 0;
    const long long n = (long long)x.size();
    for (int f = 0; f < frames; ++f) {
        float* in = fft.input();
        const long long start = (long long)f * c.hop - offset;
        if (start >= 0 && start + c.nFft <= n) {
            for (int i = 0; i < c.nFft; ++i) in[i] = x[size_t(start + i)] * window[size_t(i)];
        } else {
            for (int i = 0; i < c.nFft; ++i) in[i] = paddedSample(x, start + i) * window[size_t(i)];
        }
        perFrame(f, fft.forward());
    }
}
}  // namespace

std::vector<float> hannWindow(int n, bool periodic)
{
    std::vector<float> w(static_cast<size_t>(n));
    const double denom = periodic ? n : n - 1;
    for (int i = 0; i < n; ++i) w[size_t(i)] = float(0.5 - 0.5 * std::cos(2.0 * kPi * i / denom));
    return w;
}

int stftFrameCount(long long length, const StftConfig& c)
{
    if (length <= 0) return 0;
    if (c.center) return int(1 + length / c.hop);
    if (length < c.nFft) return 0;
    return int(1 + (length - c.nFft) / c.hop);
}

Matrix powerSpectrogram(const std::vector<float>& x, const StftConfig& c, float power)
{
    const int bins = c.nFft / 2 + 1;
    Matrix out(stftFrameCount((long long)x.size(), c), bins);
    forEachFrame(x, c, [&](int f, const std::complex<float>* spec) {
        float* row = out.row(f);
        if (power == 2.f) {
            for (int b = 0; b < bins; ++b) row[b] = std::norm(spec[b]);
        } else {
            for (int b = 0; b < bins; ++b) row[b] = std::pow(std::abs(spec[b]), power);
        }
    });
    return out;
}

ComplexSpectrogram stft(const std::vector<float>& x, const StftConfig& c)
{
    ComplexSpectrogram s;
    s.frames = stftFrameCount((long long)x.size(), c);
    s.bins = c.nFft / 2 + 1;
    s.data.resize(size_t(s.frames) * size_t(s.bins));
    forEachFrame(x, c, [&](int f, const std::complex<float>* spec) {
        std::copy(spec, spec + s.bins, s.data.begin() + (long)f * s.bins);
    });
    return s;
}

std::vector<float> istft(const ComplexSpectrogram& s, const StftConfig& c, long long length)
{
    if (s.bins != c.nFft / 2 + 1) throw std::invalid_argument("iSTFT: bins do not match nFft");
    const auto window = hannWindow(c.nFft);
    const long long offset = c.center ? c.nFft / 2 : 0;
    const long long total = (long long)(s.frames - 1) * c.hop + c.nFft;
    std::vector<double> acc(size_t(std::max(0LL, total)), 0.0), norm(acc.size(), 0.0);
    RealFft fft(c.nFft);
    for (int f = 0; f < s.frames; ++f) {
        std::copy(s.data.begin() + (long)f * s.bins, s.data.begin() + (long)(f + 1) * s.bins, fft.spectrum());
        const float* frame = fft.inverse();
        const long long start = (long long)f * c.hop;
        for (int i = 0; i < c.nFft; ++i) {
            const double w = window[size_t(i)];
            acc[size_t(start + i)] += frame[i] / double(c.nFft) * w;
            norm[size_t(start + i)] += w * w;
        }
    }
    std::vector<float> y(size_t(std::max(0LL, length)), 0.f);
    for (long long i = 0; i < length; ++i) {
        const long long j = i + offset;
        if (j < 0 || j >= total) continue;
        y[size_t(i)] = norm[size_t(j)] > 1e-8 ? float(acc[size_t(j)] / norm[size_t(j)]) : 0.f;
    }
    return y;
}

}  // namespace stemscope
