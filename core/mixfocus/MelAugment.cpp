#include "mixfocus/MelAugment.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <utility>

#include "dsp/MelSpectrogram.h"

namespace stemscope {

std::vector<float> bandMapForRatio(int bands, double ratio, double sampleRate)
{
    // Slaney mel band m is centred on mel point m + 1 of bands + 2 points spread over [0, Nyquist].
    const double lo = hzToMelSlaney(0.0), hi = hzToMelSlaney(sampleRate / 2.0);
    const double step = (hi - lo) / double(bands + 1);
    std::vector<float> map(static_cast<size_t>(bands));
    for (int m = 0; m < bands; ++m) {
        const double hz = melToHzSlaney(lo + step * double(m + 1));
        map[size_t(m)] = float((hzToMelSlaney(hz / ratio) - lo) / step - 1.0);
    }
    return map;
}

std::vector<float> logBandMapForRatio(int bins, int binsPerOctave, double ratio)
{
    const double shift = double(binsPerOctave) * std::log2(ratio);
    std::vector<float> map(static_cast<size_t>(std::max(0, bins)));
    for (int k = 0; k < bins; ++k) map[size_t(k)] = float(double(k) - shift);
    return map;
}

MelBlock extractBlock(const float* src, int srcFrames, int bands, double start, double step, int frames,
                      const std::vector<float>& bandMap)
{
    MelBlock out(frames, bands);
    std::vector<float> tmp(static_cast<size_t>(bands));
    for (int r = 0; r < frames; ++r) {
        const double pos = start + step * double(r);
        const int i0 = int(std::floor(pos));
        const float w = float(pos - double(i0));
        auto at = [&](int i) -> const float* { return (i >= 0 && i < srcFrames) ? src + size_t(i) * size_t(bands) : nullptr; };
        const float* a = at(i0);
        const float* b = at(i0 + 1);
        for (int k = 0; k < bands; ++k) tmp[size_t(k)] = (a ? (1 - w) * a[k] : 0.f) + (b ? w * b[k] : 0.f);
        float* o = out.row(r);
        if (bandMap.empty()) {
            std::copy(tmp.begin(), tmp.end(), o);
            continue;
        }
        for (int k = 0; k < bands; ++k) {
            const float x = bandMap[size_t(k)];
            if (x < 0.f || x > float(bands - 1)) continue;
            const int j = std::min(int(x), bands - 2);
            const float v = x - float(j);
            o[k] = (1 - v) * tmp[size_t(j)] + v * tmp[size_t(j + 1)];
        }
    }
    return out;
}

namespace {
double totalPower(const MelBlock& b)
{
    double e = 0;
    for (float v : b.p) e += v;
    return e;
}

// Adds weighted copies of the block moved up the band axis by each map (extractBlock's band maps):
// the partials a note sounds above itself. Every copy is taken from the block as it was.
void addPartials(MelBlock& b, std::initializer_list<std::pair<float, const std::vector<float>*>> partials)
{
    std::vector<MelBlock> copies;
    for (const auto& part : partials) copies.push_back(extractBlock(b.p.data(), b.frames, b.bands, 0, 1, b.frames, *part.second));
    for (size_t i = 0; i < b.p.size(); ++i) {
        float sum = 0.f;
        size_t c = 0;
        for (const auto& part : partials) sum += part.first * copies[c++].p[i];
        b.p[i] += sum;
    }
}
}  // namespace

void applyGainDb(MelBlock& b, double db)
{
    const float g = float(std::pow(10.0, db / 10.0));
    for (auto& v : b.p) v *= g;
}

void applyEq(MelBlock& b, std::mt19937_64& rng, double maxDb)
{
    std::uniform_real_distribution<double> u(-1.0, 1.0), pos(0.0, 1.0);
    const double tilt = maxDb * u(rng);
    const double c1 = pos(rng) * b.bands, w1 = 2 + 10 * pos(rng), g1 = maxDb * u(rng);
    const double c2 = pos(rng) * b.bands, w2 = 2 + 10 * pos(rng), g2 = maxDb * u(rng);
    std::vector<float> gain(size_t(b.bands));
    for (int k = 0; k < b.bands; ++k) {
        const double x = double(k);
        const double db = tilt * (x / std::max(1, b.bands - 1) - 0.5) * 2 + g1 * std::exp(-0.5 * std::pow((x - c1) / w1, 2)) +
                          g2 * std::exp(-0.5 * std::pow((x - c2) / w2, 2));
        gain[size_t(k)] = float(std::pow(10.0, db / 10.0));
    }
    for (int t = 0; t < b.frames; ++t) {
        float* r = b.row(t);
        for (int k = 0; k < b.bands; ++k) r[k] *= gain[size_t(k)];
    }
}

void applyReverb(MelBlock& b, double rt60, double wet, double hop)
{
    // Energy decays 60 dB over rt60; high bands decay up to twice as fast (air absorption).
    std::vector<float> a(size_t(b.bands)), tail(size_t(b.bands), 0.f);
    for (int k = 0; k < b.bands; ++k) {
        const double t60 = rt60 / (1.0 + double(k) / std::max(1, b.bands - 1));
        a[size_t(k)] = float(std::pow(10.0, -6.0 * hop / t60));
    }
    for (int t = 0; t < b.frames; ++t) {
        float* r = b.row(t);
        for (int k = 0; k < b.bands; ++k) {
            tail[size_t(k)] = a[size_t(k)] * tail[size_t(k)] + (1 - a[size_t(k)]) * r[k];
            r[k] += float(wet) * tail[size_t(k)];
        }
    }
}

void applyCompression(MelBlock& b, double below, double ratio, double hop)
{
    std::vector<double> level(size_t(b.frames));
    double mean = 0;
    for (int t = 0; t < b.frames; ++t) {
        double e = 0;
        const float* r = b.row(t);
        for (int k = 0; k < b.bands; ++k) e += r[k];
        level[size_t(t)] = 10 * std::log10(std::max(e, 1e-10));
        mean += level[size_t(t)];
    }
    mean /= std::max(1, b.frames);
    const double thr = mean - below;
    const double attack = 1 - std::exp(-hop / 0.01), release = 1 - std::exp(-hop / 0.15);
    double gr = 0;  // current gain reduction, dB (<= 0)
    for (int t = 0; t < b.frames; ++t) {
        const double target = -std::max(0.0, level[size_t(t)] - thr) * (1 - 1 / ratio);
        gr += (target < gr ? attack : release) * (target - gr);
        const float g = float(std::pow(10.0, gr / 10.0));
        float* r = b.row(t);
        for (int k = 0; k < b.bands; ++k) r[k] *= g;
    }
}

void applyOverdrive(MelBlock& b, double amount, const std::vector<float>& octaveMap, const std::vector<float>& twelfthMap)
{
    const double before = totalPower(b);
    if (before <= 0) return;
    // Squashed dynamics: clipping flattens the envelope.
    const float expo = float(1.0 - 0.5 * amount);
    for (auto& v : b.p) v = std::pow(std::max(v, 0.f), expo);
    // Harmonics: energy at f from the partials at f/2 and f/3.
    addPartials(b, {{float(0.5 * amount), &octaveMap}, {float(0.25 * amount), &twelfthMap}});
    const float g = float(before / std::max(totalPower(b), 1e-20));
    for (auto& v : b.p) v *= g;
}

void applyTimbreWarp(MelBlock& b, std::mt19937_64& rng, double amount, const std::vector<float>& octaveMap,
                     const std::vector<float>& twelfthMap, const std::vector<float>& doubleOctaveMap, double hop)
{
    const double before = totalPower(b);
    if (before <= 0 || amount <= 0) return;
    std::uniform_real_distribution<double> u(0.0, 1.0), sym(-1.0, 1.0);
    // (1) Partials: what a note adds at its 2nd, 3rd and 4th harmonics.
    const float w2 = float(0.6 * amount * u(rng)), w3 = float(0.4 * amount * u(rng)), w4 = float(0.3 * amount * u(rng));
    addPartials(b, {{w2, &octaveMap}, {w3, &twelfthMap}, {w4, &doubleOctaveMap}});
    // (2) Envelope: a smooth curve over the band axis, coarser terms larger.
    std::vector<float> gain(size_t(b.bands), 1.f);
    double a[4], phase[4];
    for (int j = 0; j < 4; ++j) a[j] = 9.0 * amount * sym(rng) / double(j + 1), phase[j] = 6.283185307179586 * u(rng);
    for (int k = 0; k < b.bands; ++k) {
        const double x = double(k) / double(std::max(1, b.bands - 1));
        double db = 0;
        for (int j = 0; j < 4; ++j) db += a[j] * std::cos(3.141592653589793 * double(j + 1) * x + phase[j]);
        gain[size_t(k)] = float(std::pow(10.0, db / 10.0));
    }
    // (3) Contrast, relative to the block's mean power so the exponent does not move the level.
    const double mean = totalPower(b) / double(b.p.size());
    const float expo = float(1.0 + 0.25 * amount * sym(rng));
    const float ref = float(std::max(mean, 1e-20));
    // (4) Transients: each band against its own slow average (150 ms one-pole).
    const float beta = float(0.5 * amount * sym(rng));
    const float slow = float(std::exp(-hop / 0.15));
    std::vector<float> avg(size_t(b.bands), 0.f);
    for (int t = 0; t < b.frames; ++t) {
        float* r = b.row(t);
        for (int k = 0; k < b.bands; ++k) {
            float& m = avg[size_t(k)];
            m = t == 0 ? r[k] : slow * m + (1 - slow) * r[k];
            const float shaped = m > 0.f ? std::clamp(r[k] / m, 0.1f, 10.f) : 1.f;
            r[k] = ref * std::pow(std::max(r[k], 0.f) / ref, expo) * std::pow(shaped, beta) * gain[size_t(k)];
        }
    }
    const float g = float(before / std::max(totalPower(b), 1e-20));
    for (auto& v : b.p) v *= g;
}

void addInto(MelBlock& dst, const MelBlock& src)
{
    for (size_t i = 0; i < dst.p.size(); ++i) dst.p[i] += src.p[i];
}

void toDb(const MelBlock& b, int from, int count, float* out)
{
    for (int t = 0; t < count; ++t) {
        const float* r = b.row(from + t);
        for (int k = 0; k < b.bands; ++k) out[size_t(t) * size_t(b.bands) + size_t(k)] = 10.f * std::log10(std::max(r[k], 1e-10f));
    }
}

}  // namespace stemscope
