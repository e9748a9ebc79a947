#include "library/TrackMetadata.h"
#include "library/StemLocator.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include <nlohmann/json.hpp>

namespace stemscope {
namespace {
namespace fs = std::filesystem;

std::string trim(std::string s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// Multitrack corpus songs (mix.* next to meta.json) carry their style in meta.json's "tags".
std::vector<std::string> corpusTags(const std::string& mixPath)
{
    static std::mutex mutex;
    static std::map<std::string, std::vector<std::string>> cache;
    if (!isCorpusMix(mixPath)) return {};
    const fs::path mix = fs::u8path(mixPath);
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = cache.find(mixPath); it != cache.end()) return it->second;
    std::vector<std::string> tags;
    const auto meta = mix.parent_path() / "meta.json";
    std::error_code ec;
    const auto size = fs::file_size(meta, ec);
    if (!ec && size < (1u << 20)) {
        std::ifstream in(meta);
        const auto j = nlohmann::json::parse(in, nullptr, false);
        if (j.is_object() && j.contains("tags") && j["tags"].is_object()) {
            const auto& t = j["tags"];
            for (const char* key : {"family", "key"})
                if (t.contains(key) && t[key].is_string() && !t[key].get<std::string>().empty()) tags.push_back(t[key]);
            if (t.contains("tempo") && t["tempo"].is_number())
                tags.push_back(std::to_string(std::lround(t["tempo"].get<double>())) + " bpm");
        }
    }
    cache[mixPath] = tags;
    return tags;
}

std::string stringField(const nlohmann::json& o, const char* key)
{
    return o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : std::string();
}

}  // namespace

TrackMetadata trackMetadata(const TrackRecord& t)
{
    TrackMetadata m;
    const auto o = nlohmann::json::parse(t.tags.empty() ? std::string("{}") : t.tags, nullptr, false);
    if (o.is_object()) {
        m.title = stringField(o, "title");
        m.artist = stringField(o, "artist");
        m.album = stringField(o, "album");
        for (const char* key : {"genre", "style"})
            if (auto v = stringField(o, key); !v.empty()) m.tags.push_back(v);
        if (o.contains("tags")) {
            const auto& tags = o["tags"];
            if (tags.is_array()) {
                for (const auto& v : tags)
                    if (v.is_string()) m.tags.push_back(v);
            } else if (tags.is_string()) {
                const std::string all = tags;
                for (size_t b = 0, e; b <= all.size(); b = e + 1) {
                    e = all.find(',', b);
                    if (e == std::string::npos) e = all.size();
                    m.tags.push_back(all.substr(b, e - b));
                }
            }
        }
    }
    std::vector<std::string> unique;
    for (auto& s : m.tags)
        if (auto v = trim(s); !v.empty() && std::find(unique.begin(), unique.end(), v) == unique.end()) unique.push_back(v);
    m.tags = std::move(unique);
    if (m.tags.empty()) m.tags = corpusTags(t.path);
    if (m.title.empty()) {
        // Multitrack folders hold mix.wav: the folder names the song.
        const fs::path p = fs::u8path(t.path);
        m.title = isCorpusMix(t.path) ? p.parent_path().filename().u8string() : p.stem().u8string();
    }
    return m;
}

}  // namespace stemscope
