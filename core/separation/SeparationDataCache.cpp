#include "separation/SeparationDataCache.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <nlohmann/json.hpp>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "instrsim/FeatureSet.h"
#include "util/AtomicFile.h"

namespace stemscope {
namespace fs = std::filesystem;
namespace {

constexpr char kMagic[] = "STEMSCOPE-SEPDATA-1\n";
constexpr size_t kMagicSize = sizeof kMagic - 1;

}  // namespace

std::string separationDataSignature(const std::string& corpusDir, const std::vector<std::string>& sources,
                                    double sampleRate, int maxSongs)
{
    auto names = listCorpusSongs(corpusDir);
    if (maxSongs > 0 && int(names.size()) > maxSongs) names.resize(size_t(maxSongs));
    nlohmann::json songs = nlohmann::json::array();
    for (const auto& n : names) {
        nlohmann::json files = nlohmann::json::array();
        for (const auto& src : sources) {
            const std::string f = sourceFile((fs::u8path(corpusDir) / fs::u8path(n)).u8string(), src);
            if (f.empty()) {
                files.push_back(nullptr);
                continue;
            }
            std::error_code ec;
            const auto size = fs::file_size(fs::u8path(f), ec);
            const auto time = fs::last_write_time(fs::u8path(f), ec).time_since_epoch().count();
            files.push_back({fs::u8path(f).filename().u8string(), ec ? -1 : int64_t(size), int64_t(time)});
        }
        songs.push_back({n, files});
    }
    std::error_code ec;
    const auto abs = fs::absolute(fs::u8path(corpusDir), ec);
    return nlohmann::json{{"corpus", (ec ? fs::u8path(corpusDir) : abs).lexically_normal().u8string()},
                          {"sources", sources},
                          {"sampleRate", sampleRate},
                          {"maxSongs", maxSongs},
                          {"songs", songs}}
        .dump();
}

namespace {
// The cache's bytes in order, from a mapping of the whole file or from a stream: one open, one
// size and one bounds check whichever way it is read.
class CacheBytes {
public:
    // False when there is no file to read.
    bool open(const std::string& path, bool map)
    {
        path_ = path;
        if (!map) {
            in_.open(fs::u8path(path), std::ios::binary | std::ios::ate);
            if (!in_) return false;
            size_ = (long long)in_.tellg();
            in_.seekg(0);
            return true;
        }
        const int fd = ::open(path.c_str(), O_RDONLY);
        if (fd < 0) {
            if (errno == ENOENT) return false;
            throw damaged(std::string("cannot open to map: ") + std::strerror(errno));
        }
        struct stat st {};
        if (::fstat(fd, &st) != 0 || st.st_size <= 0) {
            ::close(fd);
            throw damaged("not a stem cache (empty file)");
        }
        size_ = (long long)st.st_size;
        void* p = ::mmap(nullptr, size_t(size_), PROT_READ, MAP_SHARED, fd, 0);
        const int err = errno;
        ::close(fd);  // the mapping keeps the file
        if (p == MAP_FAILED) throw damaged(std::string("cannot map: ") + std::strerror(err));
        const size_t n = size_t(size_);
        // Unmapped when the last song holding it goes.
        mapping_ = std::shared_ptr<const void>(p, [n](const void* q) { ::munmap(const_cast<void*>(q), n); });
        return true;
    }

    bool has(long long n) const { return n >= 0 && n <= size_ - offset_; }

    // Copies the next n bytes; false when the file ends first.
    bool read(void* dst, long long n)
    {
        if (!has(n)) return false;
        if (mapping_)
            std::memcpy(dst, static_cast<const char*>(mapping_.get()) + offset_, size_t(n));
        else if (!in_.read(static_cast<char*>(dst), std::streamsize(n)))
            return false;
        offset_ += n;
        return true;
    }

    // Mapped only: the next n bytes where they lie in the mapping (the caller checked has(n)).
    const char* take(long long n)
    {
        const char* p = static_cast<const char*>(mapping_.get()) + offset_;
        offset_ += n;
        return p;
    }

    const std::shared_ptr<const void>& mapping() const { return mapping_; }
    std::runtime_error damaged(const std::string& why) const
    {
        return std::runtime_error("stem cache " + path_ + ": " + why);
    }

private:
    std::string path_;
    std::ifstream in_;
    std::shared_ptr<const void> mapping_;
    long long size_ = 0, offset_ = 0;
};
}  // namespace

bool readSeparationDataCache(const std::string& path, const std::string& signature, SeparationData& out,
                             std::vector<std::string>* skipped, bool map)
{
    CacheBytes bytes;
    if (!bytes.open(path, map)) return false;
    auto damaged = [&](const std::string& why) { return bytes.damaged(why); };
    char magic[kMagicSize];
    uint64_t headerSize = 0;
    if (!bytes.read(magic, kMagicSize) || std::memcmp(magic, kMagic, kMagicSize) != 0)
        throw damaged("not a stem cache (or one of another version)");
    if (!bytes.read(&headerSize, sizeof headerSize) || headerSize > (1u << 30)) throw damaged("truncated header");
    std::string text(size_t(headerSize), '\0');
    if (!bytes.read(text.data(), (long long)headerSize)) throw damaged("truncated header");
    nlohmann::json h;
    try {
        h = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw damaged(std::string("unreadable header: ") + e.what());
    }
    if (h.value("signature", std::string()) != signature) return false;
    SeparationData d;
    try {
        d.sources = h.at("sources").get<std::vector<std::string>>();
        d.sampleRate = h.at("sampleRate").get<double>();
        if (skipped)
            for (const auto& s : h.value("skipped", std::vector<std::string>{})) skipped->push_back(s);
    } catch (const nlohmann::json::exception& e) {
        throw damaged(std::string("header: ") + e.what());
    }
    for (const auto& s : h.at("songs")) {
        SeparationSong song;
        int64_t length = 0;
        int stems = 0;
        try {
            song.name = s.at("name").get<std::string>();
            length = s.at("length").get<int64_t>();
            stems = s.at("stems").get<int>();
        } catch (const nlohmann::json::exception& e) {
            throw damaged(std::string("header: ") + e.what());
        }
        // Checked before allocating: a damaged length must not ask for terabytes.
        if (length < 0 || stems < 0 || !bytes.has((long long)length * stems * 2))
            throw damaged("truncated at song " + song.name);
        for (int k = 0; k < stems; ++k) {
            if (bytes.mapping()) {
                song.setMappedHalfBits(k, bytes.take(length * 2), length, bytes.mapping());
                continue;
            }
            std::vector<uint16_t> bits(static_cast<size_t>(length));
            if (!bytes.read(bits.data(), length * 2)) throw damaged("truncated at song " + song.name);
            song.setHalfBits(k, std::move(bits));
        }
        d.songs.push_back(std::move(song));
    }
    out = std::move(d);
    return true;
}

void writeSeparationDataCache(const std::string& path, const std::string& signature, const SeparationData& d,
                              const std::vector<std::string>& skipped)
{
    nlohmann::json songs = nlohmann::json::array();
    for (const auto& s : d.songs) {
        for (int k = 0; k < s.stemCount(); ++k)
            if (!s.halfData(k)) throw std::runtime_error("stem cache: song " + s.name + " is not held as half floats");
        songs.push_back({{"name", s.name}, {"length", s.length()}, {"stems", s.stemCount()}});
    }
    const std::string header =
        nlohmann::json{{"signature", signature}, {"sources", d.sources}, {"sampleRate", d.sampleRate}, {"songs", songs},
                       {"skipped", skipped}}
            .dump();
    const fs::path target = fs::u8path(path);
    if (target.has_parent_path()) fs::create_directories(target.parent_path());
    try {
        writeFileAtomically(path, [&](std::ostream& o) {
            const uint64_t n = header.size();
            o.write(kMagic, kMagicSize);
            o.write(reinterpret_cast<const char*>(&n), sizeof n);
            o.write(header.data(), std::streamsize(n));
            for (const auto& s : d.songs)
                for (int k = 0; k < s.stemCount(); ++k)
                    o.write(static_cast<const char*>(s.halfData(k)), std::streamsize(s.length() * 2));
        });
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("stem cache: ") + e.what() + " (disk full?)");
    }
}

SeparationData loadSeparationDataCached(const std::string& cachePath, const std::string& corpusDir,
                                        const std::vector<std::string>& sources, double sampleRate, int maxSongs,
                                        int threads, std::vector<std::string>* skipped,
                                        const std::atomic<bool>* cancel, std::string* note, bool map)
{
    const std::string signature = separationDataSignature(corpusDir, sources, sampleRate, maxSongs);
    SeparationData d;
    std::vector<std::string> skips;
    try {
        if (readSeparationDataCache(cachePath, signature, d, &skips, map)) {
            if (note) *note = "stems read from the cache " + cachePath;
            if (skipped) skipped->insert(skipped->end(), skips.begin(), skips.end());
            return d;
        }
    } catch (const std::exception& e) {  // any damage (bad header, short file, no memory): decode instead
        if (note) *note = std::string(e.what()) + "; decoding the corpus again";
    }
    skips.clear();
    d = loadSeparationData(corpusDir, sources, sampleRate, maxSongs, threads, {}, &skips, cancel, true);
    if (skipped) skipped->insert(skipped->end(), skips.begin(), skips.end());
    if (cancel && *cancel) return d;
    try {
        writeSeparationDataCache(cachePath, signature, d, skips);
        if (note && note->empty()) *note = "stems decoded and written to the cache " + cachePath;
        if (map) {  // held from the file from now on: the decoded copy goes
            SeparationData mapped;
            if (readSeparationDataCache(cachePath, signature, mapped, nullptr, true)) {
                d = std::move(mapped);
#ifdef __GLIBC__
                // The decoded songs were freed into the heap, not to the system: without this a
                // 1000-song corpus kept 8.5 GB resident beside its mapping (session 47, measured).
                ::malloc_trim(0);
#endif
            }
        }
    } catch (const std::exception& e) {
        if (note) *note = std::string(e.what()) + " (training goes on without it)";
    }
    return d;
}

}  // namespace stemscope
