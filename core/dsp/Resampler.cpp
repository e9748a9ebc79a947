#include "dsp/Resampler.h"

#include <cmath>
#include <numeric>
#include <stdexcept>

namespace stemscope {
namespace {

double besselI0(double x)
{
    double sum = 1.0, term = 1.0, half = x / 2.0;
    for (int k = 1; k < 64; ++k) {
        term *= (half / k) * (half / k);
        sum += term;
        if (term < 1e-12 * sum) break;
    }
    return sum;
}

constexpr long kMaxPolyphaseUp = 4096;
constexpr double kPi = 3.14159265358979323846;

}  // namespace

Resampler::Resampler(double inputRate, double outputRate, ResamplerQuality quality)
    : inRate_(inputRate), outRate_(outputRate), q_(quality)
{
    if (!(inputRate > 0) || !(outputRate > 0)) throw std::invalid_argument("Resampler: rates must be positive");
    const double ratio = outRate_ / inRate_;
    cutoff_ = std::min(1.0, ratio) * q_.rolloff;
    halfWidth_ = q_.zeroCrossings / cutoff_;

    // Integer rates with a small reduced numerator get an exact polyphase bank.
    if (std::floor(inRate_) == inRate_ && std::floor(outRate_) == outRate_) {
        const long in = long(inRate_), out = long(outRate_);
        const long g = std::gcd(in, out);
        if (out / g <= kMaxPolyphaseUp) {
            up_ = out / g;
            down_ = in / g;
            phases_.resize(size_t(up_));
            phaseStart_.resize(size_t(up_));
            for (long p = 0; p < up_; ++p) {
                // Output n has phase p = (n*down) mod up; its centre is at input t = n*down/up.
                const double frac = double(p) / double(up_);
                const int first = int(std::ceil(frac - halfWidth_));
                const int last = int(std::floor(frac + halfWidth_));
                auto& taps = phases_[size_t(p)];
                taps.reserve(size_t(last - first + 1));
                for (int k = first; k <= last; ++k) taps.push_back(float(kernel(frac - k)));
                phaseStart_[size_t(p)] = first;
            }
        }
    }
}

double Resampler::kernel(double t) const
{
    const double a = std::abs(t);
    if (a >= halfWidth_) return 0.0;
    const double x = cutoff_ * t;
    const double sinc = (std::abs(x) < 1e-12) ? 1.0 : std::sin(kPi * x) / (kPi * x);
    const double r = a / halfWidth_;
    const double w = besselI0(q_.kaiserBeta * std::sqrt(1.0 - r * r)) / besselI0(q_.kaiserBeta);
    return cutoff_ * sinc * w;
}

long long Resampler::outputLength(long long nIn) const
{
    return inRate_ == outRate_ ? nIn : (long long)std::llround(double(nIn) * outRate_ / inRate_);
}

std::pair<long long, long long> Resampler::inputSpan(long long outFirst, long long outCount) const
{
    const double step = inRate_ / outRate_;
    return {(long long)std::floor(double(outFirst) * step - halfWidth_) - 2,
            (long long)std::ceil(double(outFirst + outCount) * step + halfWidth_) + 2};
}

std::vector<float> Resampler::process(const std::vector<float>& x) const
{
    if (inRate_ == outRate_) return x;
    const long long nIn = (long long)x.size();
    std::vector<float> y(size_t(std::max(0LL, outputLength(nIn))));
    processBlock(x.data(), 0, nIn, nIn, 0, (long long)y.size(), y.data());
    return y;
}

void Resampler::processBlock(const float* x, long long xOffset, long long xLen, long long nIn, long long outFirst,
                             long long outCount, float* y) const
{
    // Input index k (global) lives at x[k - xOffset]; outside [0, nIn) the signal is zero.
    const long long lo = std::max(0LL, xOffset), hi = std::min(nIn, xOffset + xLen);  // readable [lo, hi)
    if (inRate_ == outRate_) {
        for (long long n = 0; n < outCount; ++n) {
            const long long k = outFirst + n;
            y[n] = k >= lo && k < hi ? x[k - xOffset] : 0.f;
        }
        return;
    }
    if (!phases_.empty()) {
        for (long long j = 0; j < outCount; ++j) {
            const long long n = outFirst + j;
            const long long num = n * down_;
            const long long base = num / up_;
            const long p = long(num % up_);
            const auto& taps = phases_[size_t(p)];
            const long long k0 = base + phaseStart_[size_t(p)];
            double acc = 0.0;
            const long long i0 = std::max(0LL, lo - k0), i1 = std::min<long long>((long long)taps.size(), hi - k0);
            for (long long i = i0; i < i1; ++i) acc += double(taps[size_t(i)]) * x[k0 + i - xOffset];
            y[j] = float(acc);
        }
        return;
    }
    const double step = inRate_ / outRate_;
    for (long long j = 0; j < outCount; ++j) {
        const double t = double(outFirst + j) * step;
        const long long first = std::max(lo, (long long)std::ceil(t - halfWidth_));
        const long long last = std::min(hi - 1, (long long)std::floor(t + halfWidth_));
        double acc = 0.0;
        for (long long k = first; k <= last; ++k) acc += kernel(t - double(k)) * x[k - xOffset];
        y[j] = float(acc);
    }
}

std::vector<float> resample(const std::vector<float>& input, double inputRate, double outputRate)
{
    if (inputRate == outputRate) return input;
    return Resampler(inputRate, outputRate).process(input);
}

}  // namespace stemscope
