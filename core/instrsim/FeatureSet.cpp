#include "instrsim/FeatureSet.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "audio/AudioDecoder.h"
#include "util/AtomicFile.h"
#include "util/ParallelFor.h"

namespace stemscope {
namespace fs = std::filesystem;

std::vector<std::string> listCorpusSongs(const std::string& corpusDir)
{
    std::vector<std::string> out;
    if (!fs::is_directory(corpusDir)) throw std::runtime_error("corpus folder not found: " + corpusDir);
    for (const auto& e : fs::directory_iterator(corpusDir)) {
        if (!e.is_directory()) continue;
        bool any = false;
        for (Focus f : kInstrumentFocuses) any = any || !stemFileFor(e.path().string(), f).empty();
        if (any) out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

FeatureSet computeCorpusFeatures(const std::string& corpusDir, Focus focus, const SegmentFeatureOptions& o,
                                 int threads, const FeatureProgress& progress, const std::atomic<bool>* cancel)
{
    const auto songs = listCorpusSongs(corpusDir);
    std::vector<Matrix> perSong(songs.size());
    parallelForEach(
        songs.size(), threads,
        [&](size_t i) {
            const std::string file = stemFileFor((fs::path(corpusDir) / songs[i]).string(), focus);
            if (file.empty()) return;
            DecodeOptions d;
            d.targetSampleRate = 22050.0;
            perSong[i] = logMelSegments(defaultAudioDecoder()->decodeMono(file, d).samples, o);
        },
        [&](size_t i) { return songs[i]; },
        [&](size_t done, size_t i) {
            if (progress) progress(int(done), int(songs.size()), songs[i]);
        },
        cancel);
    if (cancel && *cancel) throw std::runtime_error("cancelled");
    FeatureSet f;
    f.bands = o.bands;
    f.frames = o.frames;
    for (size_t i = 0; i < songs.size(); ++i) {
        const Matrix& s = perSong[i];
        if (s.rows == 0) continue;
        const int id = int(f.songs.size());
        f.songs.push_back(songs[i]);
        for (int k = 0; k + o.frames <= s.rows; k += o.frames) f.append(id, s.row(k));
    }
    return f;
}

namespace {
void writeI32(std::ostream& out, int32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); }
int32_t readI32(std::ifstream& in)
{
    int32_t v = 0;
    in.read(reinterpret_cast<char*>(&v), 4);
    if (!in) throw std::runtime_error("feature cache: truncated");
    return v;
}
}  // namespace

void saveFeatureSet(const FeatureSet& f, const std::string& path)
{
    if (fs::path(path).has_parent_path()) fs::create_directories(fs::path(path).parent_path());
    writeFileAtomically(path, [&](std::ostream& out) {
        out.write("SSFEAT01", 8);
        writeI32(out, f.bands);
        writeI32(out, f.frames);
        writeI32(out, int32_t(f.songs.size()));
        std::vector<int32_t> counts(f.songs.size(), 0);
        for (int s : f.songOf) ++counts[size_t(s)];
        for (size_t i = 0; i < f.songs.size(); ++i) {
            writeI32(out, int32_t(f.songs[i].size()));
            out.write(f.songs[i].data(), std::streamsize(f.songs[i].size()));
            writeI32(out, counts[i]);
        }
        out.write(reinterpret_cast<const char*>(f.data.data()), std::streamsize(f.data.size() * sizeof(float)));
    });
}

FeatureSet loadFeatureSet(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    char magic[8];
    in.read(magic, 8);
    if (!in || std::memcmp(magic, "SSFEAT01", 8) != 0) throw std::runtime_error(path + ": not a feature cache");
    FeatureSet f;
    f.bands = readI32(in);
    f.frames = readI32(in);
    const int n = readI32(in);
    if (f.bands <= 0 || f.frames <= 0 || n < 0) throw std::runtime_error(path + ": bad header");
    for (int i = 0; i < n; ++i) {
        const int len = readI32(in);
        if (len < 0 || len > 4096) throw std::runtime_error(path + ": bad song name");
        std::string name(size_t(len), '\0');
        in.read(name.data(), len);
        const int count = readI32(in);
        f.songs.push_back(name);
        for (int k = 0; k < count; ++k) f.songOf.push_back(i);
    }
    f.data.resize(f.songOf.size() * f.perSegment());
    in.read(reinterpret_cast<char*>(f.data.data()), std::streamsize(f.data.size() * sizeof(float)));
    if (!in) throw std::runtime_error(path + ": truncated data");
    return f;
}

std::string featureCachePath(const std::string& cacheDir, const std::string& corpusDir, Focus focus,
                             const SegmentFeatureOptions& o)
{
    const std::string abs = fs::weakly_canonical(fs::absolute(corpusDir)).string();
    uint64_t h = 1469598103934665603ull; // FNV-1a of the absolute corpus path and segment settings
    auto mix = [&h](const std::string& s) {
        for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    };
    mix(abs);
    mix(std::to_string(o.segments.lengthSeconds) + "/" + std::to_string(o.segments.hopSeconds) + "/" +
        std::to_string(o.segments.silenceDb) + "/" + std::to_string(o.segments.dropSilent));
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", (unsigned long long)h);
    const std::string name = fs::path(abs).filename().string() + "-" + std::string(hex).substr(0, 10) + "-" +
                             focusName(focus) + "-m" + std::to_string(o.bands) + "-f" + std::to_string(o.frames) +
                             "-s" + std::to_string(o.maxSegments) + ".feat";
    return (fs::path(cacheDir) / name).string();
}

FeatureSet cachedCorpusFeatures(const std::string& corpusDir, Focus focus, const SegmentFeatureOptions& o,
                                const std::string& cacheDir, int threads, const FeatureProgress& progress,
                                const std::atomic<bool>* cancel)
{
    if (cacheDir.empty()) return computeCorpusFeatures(corpusDir, focus, o, threads, progress, cancel);
    const std::string path = featureCachePath(cacheDir, corpusDir, focus, o);
    if (fs::exists(path)) {
        try {
            FeatureSet f = loadFeatureSet(path);
            if (f.bands == o.bands && f.frames == o.frames) return f;
        } catch (const std::exception&) {
            // fall through: recompute a damaged cache
        }
    }
    FeatureSet f = computeCorpusFeatures(corpusDir, focus, o, threads, progress, cancel);
    saveFeatureSet(f, path);
    return f;
}

std::string defaultFeatureCacheDir()
{
    if (const char* s = std::getenv("STEMSCOPE_CACHE"); s && *s) return (fs::path(s) / "features").string();
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return (fs::path(x) / "stemscope/features").string();
    if (const char* h = std::getenv("HOME"); h && *h) return (fs::path(h) / ".cache/stemscope/features").string();
    return "stemscope-cache/features";
}

}  // namespace stemscope
