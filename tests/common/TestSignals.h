#pragma once
// Deterministic test signals shared by tests (and mirrored exactly by tests/fixtures/*.py).
#include <cmath>
#include <complex>
#include <vector>

namespace stemscope::test {

inline std::vector<float> sine(double freq, double rate, double seconds, double amp = 0.5)
{
    std::vector<float> x(size_t(seconds * rate));
    for (size_t i = 0; i < x.size(); ++i) x[i] = float(amp * std::sin(2 * M_PI * freq * double(i) / rate));
    return x;
}

// Sum of partials plus a linear chirp: broadband but fully reproducible from its formula.
inline std::vector<float> fixtureSignal(double rate, double seconds)
{
    std::vector<float> x(size_t(seconds * rate));
    const double f0 = 110.0, f1 = 220.0 * 1.5, c0 = 60.0, c1 = 0.45 * rate;
    for (size_t i = 0; i < x.size(); ++i) {
        const double t = double(i) / rate;
        double v = 0.3 * std::sin(2 * M_PI * f0 * t) + 0.2 * std::sin(2 * M_PI * f1 * t) +
                   0.1 * std::sin(2 * M_PI * 1234.5 * t);
        const double phase = 2 * M_PI * (c0 * t + 0.5 * (c1 - c0) / seconds * t * t);
        v += 0.25 * std::sin(phase);
        x[i] = float(v);
    }
    return x;
}

// Amplitude of `freq` in x: a single-bin DFT with a Hann window, coherent gain removed.
inline double toneAmplitude(const std::vector<float>& x, double freq, double rate)
{
    std::complex<double> acc = 0;
    double wsum = 0;
    const size_t n = x.size();
    for (size_t i = 0; i < n; ++i) {
        const double w = 0.5 - 0.5 * std::cos(2 * M_PI * double(i) / double(n));
        acc += w * double(x[i]) * std::polar(1.0, -2 * M_PI * freq * double(i) / rate);
        wsum += w;
    }
    return 2.0 * std::abs(acc) / wsum;
}

}  // namespace stemscope::test
