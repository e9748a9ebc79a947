#include "separation/WaveAugment.h"

#include <juce_dsp/juce_dsp.h>

#include <algorithm>
#include <cmath>

namespace stemscope {
namespace {

using Filter = juce::dsp::IIR::Filter<float>;
using Coeffs = juce::dsp::IIR::Coefficients<float>;

void runFilter(float* x, int n, Coeffs::Ptr c)
{
    Filter f(c);
    f.reset();
    for (int i = 0; i < n; ++i) x[i] = f.processSample(x[i]);
}

void eq(float* x, int n, double rate, double maxDb, std::mt19937_64& rng)
{
    std::uniform_real_distribution<double> db(-maxDb, maxDb), u(0, 1);
    auto gain = [&] { return float(juce::Decibels::decibelsToGain(db(rng))); };
    // Corner frequencies stay under 0.4 x the rate: a biquad past Nyquist is unstable.
    auto hz = [&](double f) { return std::min(f, 0.4 * rate); };
    runFilter(x, n, Coeffs::makeLowShelf(rate, hz(80.0 + 220.0 * u(rng)), 0.7f, gain()));
    runFilter(x, n, Coeffs::makeHighShelf(rate, hz(2500.0 + 4500.0 * u(rng)), 0.7f, gain()));
    // A bell anywhere from 150 Hz to 6 kHz (log-uniform), Q 0.5-3.
    runFilter(x, n, Coeffs::makePeakFilter(rate, hz(150.0 * std::pow(40.0, u(rng))), float(0.5 + 2.5 * u(rng)), gain()));
}

void reverb(float* x, int n, double rate, std::mt19937_64& rng)
{
    std::uniform_real_distribution<double> u(0, 1);
    juce::dsp::Reverb r;
    juce::dsp::Reverb::Parameters p;
    p.roomSize = float(0.2 + 0.7 * u(rng));
    p.damping = float(0.2 + 0.6 * u(rng));
    p.wetLevel = float(0.1 + 0.4 * u(rng));
    p.dryLevel = 1.0f - 0.5f * p.wetLevel;
    p.width = 0.0f;
    r.setParameters(p);
    r.prepare({rate, juce::uint32(n), 1});
    float* channels[] = {x};
    juce::dsp::AudioBlock<float> block(channels, 1, size_t(n));
    r.process(juce::dsp::ProcessContextReplacing<float>(block));
}

double rms(const float* x, int n)
{
    double e = 0;
    for (int i = 0; i < n; ++i) e += double(x[i]) * x[i];
    return std::sqrt(e / std::max(1, n));
}

void overdrive(float* x, int n, std::mt19937_64& rng)
{
    const double before = rms(x, n);
    if (before <= 1e-9) return;
    const double drive = 2.0 + 18.0 * std::uniform_real_distribution<double>(0, 1)(rng);
    // Drive relative to the part's own level, so quiet and loud guitars distort alike.
    const float pre = float(drive * 0.3 / before);
    for (int i = 0; i < n; ++i) x[i] = std::tanh(pre * x[i]);
    const double after = rms(x, n);
    if (after > 0)
        for (int i = 0; i < n; ++i) x[i] *= float(before / after);
}

void busCompress(const std::vector<float*>& sources, int n, double rate, std::mt19937_64& rng)
{
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<float> mix(size_t(n), 0.f);
    for (float* s : sources)
        for (int i = 0; i < n; ++i) mix[size_t(i)] += s[i];
    const double level = rms(mix.data(), n);
    if (level <= 1e-9) return;
    const double thresholdDb = juce::Decibels::gainToDecibels(level) - (3 + 9 * u(rng));
    const double ratio = 2 + 6 * u(rng);
    juce::dsp::BallisticsFilter<float> env;
    env.setLevelCalculationType(juce::dsp::BallisticsFilterLevelCalculationType::RMS);
    env.setAttackTime(float(2 + 28 * u(rng)));
    env.setReleaseTime(float(50 + 250 * u(rng)));
    env.prepare({rate, juce::uint32(n), 1});
    env.reset();
    for (int i = 0; i < n; ++i) {
        const double e = juce::Decibels::gainToDecibels(double(env.processSample(0, mix[size_t(i)])) + 1e-12);
        const double over = e - thresholdDb;
        const float g = over > 0 ? float(juce::Decibels::decibelsToGain(-over * (1.0 - 1.0 / ratio))) : 1.f;
        for (float* s : sources) s[i] *= g;  // one gain for all: the sum is still the mix
    }
}

}  // namespace

void augmentSources(const std::vector<float*>& sources, const std::vector<std::string>& names, int length,
                    double sampleRate, const WaveAugmentConfig& c, std::mt19937_64& rng)
{
    std::uniform_real_distribution<double> u(0, 1);
    for (size_t s = 0; s < sources.size(); ++s) {
        float* x = sources[s];
        if (names[s] == "guitar" && u(rng) < c.overdriveProb) overdrive(x, length, rng);
        if (u(rng) < c.eqProb) eq(x, length, sampleRate, c.eqDb, rng);
        if (u(rng) < c.reverbProb) reverb(x, length, sampleRate, rng);
    }
    if (u(rng) < c.compressProb) busCompress(sources, length, sampleRate, rng);
}

}  // namespace stemscope
