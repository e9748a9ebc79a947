#include "separation/SeparationEvaluation.h"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "separation/SeparationMetrics.h"

namespace stemscope {
namespace {

double medianOf(const std::vector<SongSeparationScore>& songs, const std::string& source, bool si)
{
    std::vector<double> v;
    for (const auto& s : songs) {
        const auto& m = si ? s.siSdr : s.sdr;
        if (auto it = m.find(source); it != m.end()) v.push_back(it->second);
    }
    return medianFinite(std::move(v));
}

}  // namespace

double SeparationScores::medianSdr(const std::string& source) const { return medianOf(songs, source, false); }
double SeparationScores::medianSiSdr(const std::string& source) const { return medianOf(songs, source, true); }

SeparationScores scoreSeparator(const Separator& sep, const SeparationData& data, double maxSeconds,
                                const std::function<void(const SongSeparationScore&)>& songDone)
{
    SeparationScores out;
    const size_t cap = maxSeconds > 0 ? size_t(std::llround(maxSeconds * data.sampleRate)) : 0;
    for (const auto& song : data.songs) {
        auto mix = song.mix();
        if (cap && mix.size() > cap) mix.resize(cap);
        const auto t0 = std::chrono::steady_clock::now();
        const auto est = sep.separate(mix);
        out.separationSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        out.audioSeconds += double(mix.size()) / data.sampleRate;
        SongSeparationScore score;
        score.song = song.name;
        for (size_t s = 0; s < data.sources.size(); ++s) {
            const auto& name = data.sources[s];
            std::vector<float> ref(mix.size());
            song.copyStem(int(s), 0, (long long)mix.size(), 1.f, ref.data());
            double e = 0;
            for (float v : ref) e += double(v) * v;
            const double rmsDb = ref.empty() || e <= 0 ? -999 : 10 * std::log10(e / double(ref.size()));
            // A (nearly) silent reference has no meaningful SDR (the corpus' "other" may be empty).
            const bool silent = rmsDb < -60;
            const auto it = est.find(name);
            if (it == est.end()) throw std::runtime_error("the separator gives no '" + name + "' stem");
            score.sdr[name] = silent ? NAN : bssEvalSdr(ref, it->second);
            score.siSdr[name] = silent ? NAN : siSdr(ref, it->second);
            score.referenceRmsDb[name] = rmsDb;
        }
        if (songDone) songDone(score);
        out.songs.push_back(std::move(score));
    }
    return out;
}

}  // namespace stemscope
