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

std::vector<float> Resampler::process(const std::vector<float>& x) const
{
    if (inRate_ == outRate_) return x;
    const long long nIn = (long long)x.size();
    const long long nOut = (long long)std::llround(double(nIn) * outRate_ / inRate_);
    std::vector<float> y(size_t(std::max(0LL, nOut)));
    if (!phases_.empty()) {
        for (long long n = 0; n < nOut; ++n) {
            const long long num = n * down_;
            const long long base = num / up_;
            const long p = long(num % up_);
            const auto& taps = phases_[size_t(p)];
            const long long k0 = base + phaseStart_[size_t(p)];
            double acc = 0.0;
            const long long lo = std::max(0LL, -k0), hi = std::min<long long>((long long)taps.size(), nIn - k0);
            for (long long i = lo; i < hi; ++i) acc += double(taps[size_t(i)]) * x[size_t(k0 + i)];
            y[size_t(n)] = float(acc);
        }
        return y;
    }
    const double step = inRate_ / outRate_;
    for (long long n = 0; n < nOut; ++n) {
        const double t = double(n) * step;
        const long long first = std::max(0LL, (long long)std::ceil(t - halfWidth_));
        const long long last = std::min(nIn - 1, (long long)std::floor(t + halfWidth_));
        double acc = 0.0;
        for (long long k = first; k <= last; ++k) acc += kernel(t - double(k)) * x[size_t(k)];
        y[size_t(n)] = float(acc);
    }
    return y;
}

std::vector<float> resample(const std::vector<float>& input, double inputRate, double outputRate)
{
    if (inputRate == outputRate) return input;
    return Resampler(inputRate, outputRate).process(input);
}

}  // namespace stemscope
