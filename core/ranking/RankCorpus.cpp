#include "ranking/RankCorpus.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "audio/AudioDecoder.h"
#include "util/AtomicFile.h"

namespace fs = std::filesystem;

namespace stemscope {
namespace {
// Version 2: the multirate CQT (version-1 files hold the full-rate one and are computed again).
constexpr char kMagic[8] = {'S', 'S', 'R', 'K', 'C', 'Q', 'T', '2'};

template <typename T>
void put(std::ostream& o, T v)
{
    o.write(reinterpret_cast<const char*>(&v), sizeof(T));
}
template <typename T>
bool get(std::istream& i, T& v)
{
    return bool(i.read(reinterpret_cast<char*>(&v), sizeof(T)));
}

std::string readText(const fs::path& p)
{
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

std::vector<RankSong> scanRankCorpus(const std::string& dir)
{
    if (!fs::is_directory(dir)) throw std::runtime_error("not a directory: " + dir);
    std::vector<RankSong> songs;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (!e.is_directory()) continue;
        const fs::path meta = e.path() / "meta.json", user = e.path() / "tags.txt";
        const bool hasMeta = fs::exists(meta), hasUser = fs::exists(user);
        if (!hasMeta && !hasUser) continue;
        RankSong s;
        s.name = e.path().filename().string();
        s.dir = e.path().string();
        if (hasMeta) s.tags = tagsFromMetaFile(meta.string());
        if (hasUser)
            for (auto& t : parseTagList(readText(user))) s.tags.push_back(std::move(t));
        std::sort(s.tags.begin(), s.tags.end());
        s.tags.erase(std::unique(s.tags.begin(), s.tags.end()), s.tags.end());
        songs.push_back(std::move(s));
    }
    std::sort(songs.begin(), songs.end(), [](const RankSong& a, const RankSong& b) { return a.name < b.name; });
    return songs;
}

void writeCqtCache(const std::string& path, const Matrix& m, long long size, long long mtime, const CqtConfig& cfg)
{
    // Atomic, through a temporary of its own: two trainings sharing the cache (the CV script's
    // parallel chains) may write one song at once, and readers never see a partial file.
    writeFileAtomically(path, [&](std::ostream& o) {
        o.write(kMagic, 8);
        put<int32_t>(o, m.rows);
        put<int32_t>(o, m.cols);
        put<int64_t>(o, size);
        put<int64_t>(o, mtime);
        put<double>(o, cfg.sampleRate);
        put<int32_t>(o, cfg.hop);
        put<int32_t>(o, cfg.nBins);
        o.write(reinterpret_cast<const char*>(m.data.data()), std::streamsize(m.data.size() * sizeof(float)));
    });
}

bool readCqtCache(const std::string& path, long long size, long long mtime, const CqtConfig& cfg, Matrix& out)
{
    std::ifstream i(path, std::ios::binary);
    if (!i) return false;
    char magic[8];
    int32_t rows = 0, cols = 0, hop = 0, bins = 0;
    int64_t s = 0, t = 0;
    double rate = 0;
    if (!i.read(magic, 8) || std::memcmp(magic, kMagic, 8) != 0) return false;
    if (!get(i, rows) || !get(i, cols) || !get(i, s) || !get(i, t) || !get(i, rate) || !get(i, hop) || !get(i, bins))
        return false;
    if (s != size || t != mtime || rate != cfg.sampleRate || hop != cfg.hop || bins != cfg.nBins || rows < 0 ||
        cols != cfg.nBins)
        return false;
    Matrix m(rows, cols);
    if (!i.read(reinterpret_cast<char*>(m.data.data()), std::streamsize(m.data.size() * sizeof(float)))) return false;
    out = std::move(m);
    return true;
}

Matrix songCqt(const RankSong& song, const std::string& focus, const std::string& cacheDir, const Cqt& cqt)
{
    const fs::path src = fs::path(song.dir) / (focus + ".flac");
    const long long size = (long long)fs::file_size(src);
    const long long mtime = (long long)fs::last_write_time(src).time_since_epoch().count();
    std::string cachePath;
    if (!cacheDir.empty()) {
        fs::create_directories(cacheDir);
        cachePath = (fs::path(cacheDir) / (song.name + "." + focus + ".cqt")).string();
        Matrix cached;
        if (readCqtCache(cachePath, size, mtime, cqt.config(), cached)) return cached;
    }
    DecodeOptions opts;
    opts.targetSampleRate = cqt.config().sampleRate;
    const auto audio = defaultAudioDecoder()->decodeMono(src.string(), opts);
    Matrix m = cqt.compute(audio.samples);
    if (!cachePath.empty()) writeCqtCache(cachePath, m, size, mtime, cqt.config());
    return m;
}

}  // namespace stemscope
