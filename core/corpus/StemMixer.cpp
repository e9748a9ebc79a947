#include "corpus/StemMixer.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "audio/AudioDecoder.h"
#include "util/JsonFile.h"

namespace stemscope::corpus {

using Json = nlohmann::ordered_json;

double rmsDb(const std::vector<float>& x)
{
    if (x.empty()) return -200.0;
    double sum = 0.0;
    for (float v : x) sum += double(v) * v;
    const double rms = std::sqrt(sum / double(x.size()));
    return rms > 1e-10 ? 20.0 * std::log10(rms) : -200.0;
}

MixResult normaliseStems(StemArray& stems, double targetRmsDb, double peakCeiling)
{
    size_t len = 0;
    for (const auto& s : stems) len = std::max(len, s.size());
    for (auto& s : stems) s.resize(len, 0.0f);
    std::vector<double> sum(len, 0.0);
    for (const auto& s : stems)
        for (size_t i = 0; i < len; ++i) sum[i] += s[i];
    double sq = 0.0, peak = 0.0;
    for (double v : sum) { sq += v * v; peak = std::max(peak, std::fabs(v)); }
    const double rms = len ? std::sqrt(sq / double(len)) : 0.0;
    double gain = 1.0;
    if (rms > 1e-9) gain = std::pow(10.0, targetRmsDb / 20.0) / rms;
    // Peak-safe: leave room for the rounding of five stems (5 LSB) below the ceiling.
    if (peak * gain > peakCeiling) gain = peakCeiling / peak;

    constexpr double kScale = 8388608.0; // 2^23: JUCE's 24-bit FLAC grid
    std::vector<int64_t> acc(len, 0);
    for (auto& s : stems) {
        for (size_t i = 0; i < len; ++i) {
            int64_t q = std::llround(double(s[i]) * gain * kScale);
            q = std::clamp<int64_t>(q, -8388607, 8388607);
            acc[i] += q;
            s[i] = float(double(q) / kScale);
        }
    }
    MixResult r;
    r.mix.resize(len);
    for (size_t i = 0; i < len; ++i) {
        const int64_t q = std::clamp<int64_t>(acc[i], -8388607, 8388607);
        r.mix[i] = float(double(q) / kScale);
        r.mixPeak = std::max(r.mixPeak, double(std::fabs(r.mix[i])));
    }
    r.gainDb = 20.0 * std::log10(gain);
    r.mixRmsDb = rmsDb(r.mix);
    return r;
}

ClassLevel measureLevel(const std::vector<float>& x, double sampleRate)
{
    ClassLevel l;
    l.rmsDb = rmsDb(x);
    const size_t win = size_t(kSegmentSeconds * sampleRate), hop = size_t(kHopSeconds * sampleRate);
    const double threshold = std::pow(10.0, kActiveDb / 10.0); // mean square
    for (size_t start = 0; start + win <= x.size(); start += hop) {
        double sq = 0.0;
        for (size_t i = start; i < start + win; ++i) sq += double(x[i]) * x[i];
        ++l.segments;
        if (sq / double(win) >= threshold) ++l.activeSegments;
    }
    return l;
}

Json levelToJson(const ClassLevel& level, bool present)
{
    Json v = Json::object();
    v["present"] = present;
    v["rmsDb"] = jsonReal(std::round(level.rmsDb * 100.0) / 100.0);
    v["segments"] = level.segments;
    v["activeSegments"] = level.activeSegments;
    v["activeFraction"] = jsonReal(std::round(level.activeFraction() * 1000.0) / 1000.0);
    v["audible"] = level.audible();
    return v;
}

void writeStemFiles(const std::string& dir, const StemArray& stems, const std::vector<float>& mix, double sampleRate)
{
    namespace fs = std::filesystem;
    for (int c = 0; c < kNumStemClasses; ++c)
        writeAudio((fs::path(dir) / (std::string(stemClassNames()[size_t(c)]) + ".flac")).string(), {stems[size_t(c)]},
                   sampleRate, 24);
    writeAudio((fs::path(dir) / "mix.flac").string(), {mix}, sampleRate, 24);
}

}  // namespace stemscope::corpus
