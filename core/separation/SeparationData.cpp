#include "separation/SeparationData.h"

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <thread>

#include "audio/AudioDecoder.h"
#include "instrsim/FeatureSet.h"

namespace stemscope {
namespace fs = std::filesystem;

std::vector<float> SeparationSong::mix() const
{
    std::vector<float> m(size_t(length()), 0.f);
    for (const auto& s : stems)
        for (size_t i = 0; i < m.size(); ++i) m[i] += s[i];
    return m;
}

std::string sourceFile(const std::string& songDir, const std::string& source)
{
    for (const char* ext : {".flac", ".wav", ".ogg", ".aiff", ".aif", ".mp3"}) {
        const fs::path p = fs::u8path(songDir) / (source + ext);
        if (fs::exists(p)) return p.u8string();
    }
    return {};
}

SeparationData loadSeparationData(const std::string& corpusDir, const std::vector<std::string>& sources,
                                  double sampleRate, int maxSongs, int threads,
                                  const std::function<void(int, int)>& progress, std::vector<std::string>* skipped,
                                  const std::atomic<bool>* cancel)
{
    auto names = listCorpusSongs(corpusDir);
    if (maxSongs > 0 && int(names.size()) > maxSongs) names.resize(size_t(maxSongs));
    std::vector<SeparationSong> songs(names.size());
    std::vector<std::string> errors(names.size());
    std::mutex m;
    size_t next = 0;
    int done = 0;
    auto worker = [&] {
        for (;;) {
            size_t i;
            {
                std::lock_guard<std::mutex> lock(m);
                if (next >= names.size() || (cancel && *cancel)) return;
                i = next++;
            }
            SeparationSong s;
            s.name = names[i];
            const std::string dir = (fs::u8path(corpusDir) / fs::u8path(names[i])).u8string();
            try {
                DecodeOptions o;
                o.targetSampleRate = sampleRate;
                long long len = 0;
                for (const auto& src : sources) {
                    const std::string f = sourceFile(dir, src);
                    s.stems.push_back(f.empty() ? std::vector<float>{} : defaultAudioDecoder()->decodeMono(f, o).samples);
                    len = std::max(len, (long long)s.stems.back().size());
                }
                if (len == 0) throw std::runtime_error("no stem files");
                for (auto& x : s.stems) x.resize(size_t(len), 0.f);
                songs[i] = std::move(s);
            } catch (const std::exception& e) {
                errors[i] = names[i] + ": " + e.what();
            }
            std::lock_guard<std::mutex> lock(m);
            ++done;
            if (progress) progress(done, int(names.size()));
        }
    };
    std::vector<std::thread> pool;
    for (int t = 0; t < std::max(1, threads); ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();

    SeparationData d;
    d.sources = sources;
    d.sampleRate = sampleRate;
    for (size_t i = 0; i < songs.size(); ++i) {
        if (!errors[i].empty()) {
            if (skipped) skipped->push_back(errors[i]);
        } else if (!songs[i].stems.empty()) {
            d.songs.push_back(std::move(songs[i]));
        }
    }
    return d;
}

}  // namespace stemscope
