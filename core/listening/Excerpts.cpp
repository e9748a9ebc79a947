#include "listening/Excerpts.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "audio/AudioDecoder.h"

namespace stemscope::listening {

double rmsDb(const std::vector<float>& x)
{
    double s = 0;
    for (float v : x) s += double(v) * v;
    if (x.empty() || s <= 0) return -200;
    return 10 * std::log10(s / double(x.size()));
}

std::vector<double> matchedGains(const std::vector<std::vector<float>>& signals, double targetRmsDb, double peakLimit)
{
    // Common level L (dB): L <= target, and for every signal rms_i + (L - rms_i) + crest_i <= limit.
    double level = targetRmsDb;
    const double limitDb = 20 * std::log10(peakLimit);
    std::vector<double> rms(signals.size(), -200);
    for (size_t i = 0; i < signals.size(); ++i) {
        rms[i] = rmsDb(signals[i]);
        if (rms[i] <= -199) continue;
        float peak = 0;
        for (float v : signals[i]) peak = std::max(peak, std::abs(v));
        const double crestDb = 20 * std::log10(double(peak)) - rms[i];
        level = std::min(level, limitDb - crestDb);
    }
    std::vector<double> gains(signals.size(), 1.0);
    for (size_t i = 0; i < signals.size(); ++i)
        if (rms[i] > -199) gains[i] = std::pow(10.0, (level - rms[i]) / 20);
    return gains;
}

std::vector<PreparedExcerpt> prepareExcerpts(const AudioDecoder& decoder, const std::vector<ExcerptSource>& sources,
                                             const std::vector<std::string>& names, const std::string& outDir,
                                             const ExcerptOptions& options)
{
    if (names.size() != sources.size()) throw std::invalid_argument("prepareExcerpts: one name per source");
    std::filesystem::create_directories(std::filesystem::u8path(outDir));
    std::vector<std::vector<float>> signals;
    const size_t wanted = size_t(std::llround(options.lengthSeconds * options.sampleRate));
    for (const auto& src : sources) {
        DecodeOptions d;
        d.targetSampleRate = options.sampleRate;
        d.offsetSeconds = std::max(0.0, src.start);
        d.durationSeconds = options.lengthSeconds;
        auto audio = decoder.decodeMono(src.path, d);
        if (audio.samples.size() > wanted) audio.samples.resize(wanted);
        // 10 ms fades against clicks when looping.
        const size_t fade = std::min(audio.samples.size() / 2, size_t(options.sampleRate * 0.01));
        for (size_t i = 0; i < fade; ++i) {
            const float g = float(i) / float(fade);
            audio.samples[i] *= g;
            audio.samples[audio.samples.size() - 1 - i] *= g;
        }
        signals.push_back(std::move(audio.samples));
    }
    const auto gains = matchedGains(signals, options.targetRmsDb, options.peakLimit);
    std::vector<PreparedExcerpt> out;
    for (size_t i = 0; i < signals.size(); ++i) {
        PreparedExcerpt e;
        e.rmsDb = rmsDb(signals[i]);
        e.gainDb = 20 * std::log10(gains[i]);
        for (float& v : signals[i]) v = float(v * gains[i]);
        e.file = (std::filesystem::u8path(outDir) / std::filesystem::u8path(names[i] + ".wav")).u8string();
        writeMonoAudio(e.file, signals[i], options.sampleRate);
        out.push_back(e);
    }
    return out;
}

double chooseExcerptStart(double duration, double length, std::mt19937_64& rng)
{
    const double range = duration - length;
    if (!(range > 0)) return 0;
    const double u = double(rng() >> 11) * (1.0 / 9007199254740992.0);
    return std::round((0.1 * range + u * 0.8 * range) * 10) / 10;
}

}  // namespace stemscope::listening
