#include "training/LibraryCorpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "audio/AudioDecoder.h"
#include "library/LibraryStore.h"
#include "ranking/TagVector.h"
#include "training/TrainingRunner.h"
#include "util/JsonFile.h"
#include "util/AsciiLower.h"

namespace stemscope::training {
namespace fs = std::filesystem;

namespace {
bool directlyReadable(const fs::path& p)
{
    const auto e = asciiLower(p.extension().string());
    return e == ".flac" || e == ".wav" || e == ".ogg";
}

// Links `src` as <dir>/<name><ext>, or decodes it into <dir>/<name>.flac.
void place(const fs::path& src, const fs::path& dir, const std::string& name, const AudioDecoder& dec)
{
    if (directlyReadable(src)) {
        fs::create_symlink(fs::absolute(src), dir / (name + asciiLower(src.extension().string())));
        return;
    }
    DecodeOptions o;
    o.targetSampleRate = 44100;
    const auto a = dec.decodeMono(src.u8string(), o);
    writeMonoAudio((dir / (name + ".flac")).u8string(), a.samples, a.sampleRate);
}
}  // namespace

std::string libraryTagList(const std::string& tagsJson)
{
    std::vector<std::string> out;
    auto add = [&](const std::string& field, const std::string& value) {
        const std::string v = normaliseTagValue(value);
        if (v.empty()) return;
        out.push_back(field + "=" + v);
    };
    try {
        const auto root = nlohmann::ordered_json::parse(tagsJson.empty() ? std::string("{}") : toValidUtf8(tagsJson));
        for (const char* key : {"genre", "style"})
            if (const auto& v = jsonMember(root, key); v.is_string()) add("style", v.get<std::string>());
        auto item = [&](std::string t) {
            t.erase(0, t.find_first_not_of(" \t"));
            t.erase(t.find_last_not_of(" \t") + 1);
            if (t.empty()) return;
            if (const auto eq = t.find('='); eq != std::string::npos && eq > 0)
                add(normaliseTagValue(t.substr(0, eq)), t.substr(eq + 1));
            else
                add("tag", t);
        };
        const auto& tags = jsonMember(root, "tags");
        if (tags.is_array()) {
            for (const auto& v : tags)
                if (v.is_string()) item(v.get<std::string>());
        } else if (tags.is_string()) {
            size_t start = 0;
            const std::string s = tags.get<std::string>();
            while (start <= s.size()) {
                const size_t comma = s.find(',', start);
                item(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
        }
    } catch (const std::exception&) {
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    std::string r;
    for (const auto& t : out) r += (r.empty() ? "" : ", ") + t;
    return r;
}

LibraryCorpusReport exportLibraryCorpus(const std::string& libraryPath, const std::string& outDir)
{
    LibraryCorpusReport rep;
    LibraryStore store(libraryPath, LibraryStore::Access::ReadOnly);
    const auto decoder = defaultAudioDecoder();
    fs::create_directories(fs::u8path(outDir));
    std::error_code ec;
    for (const auto& t : store.tracks()) {
        if (t.status == track_status::kMissing || t.status == track_status::kError) continue;
        const fs::path mix = fs::u8path(t.path);
        if (!fs::exists(mix, ec)) continue;
        // Corpus songs (song/mix.wav) are named by their folder, other files by their name.
        std::string base = asciiLower(mix.stem().u8string()) == "mix" ? mix.parent_path().filename().u8string()
                                                                 : mix.stem().u8string();
        const fs::path song = fs::u8path(outDir) / fs::u8path(std::to_string(t.id) + "-" + sanitizeModelName(base));
        if (fs::exists(song, ec)) {
            ++rep.songs;
            if (fs::exists(song / "tags.txt", ec) || fs::exists(song / "meta.json", ec)) ++rep.tagged;
            continue;
        }
        const fs::path tmp = song.u8string() + ".tmp";
        fs::remove_all(tmp, ec);
        try {
            fs::create_directories(tmp);
            place(mix, tmp, "mix", *decoder);
            for (const auto& [stem, path] : store.stems(t.id))
                if (stem != "mix" && fs::exists(fs::u8path(path), ec)) place(fs::u8path(path), tmp, stem, *decoder);
            bool tagged = false;
            if (const auto meta = mix.parent_path() / "meta.json"; asciiLower(mix.stem().u8string()) == "mix" && fs::exists(meta, ec)) {
                fs::create_symlink(fs::absolute(meta), tmp / "meta.json");
                tagged = true;
            }
            if (const auto tags = libraryTagList(t.tags); !tags.empty()) {
                std::ofstream(tmp / "tags.txt") << tags << "\n";
                tagged = true;
            }
            fs::rename(tmp, song);
            ++rep.songs;
            if (tagged) ++rep.tagged;
        } catch (const std::exception& e) {
            fs::remove_all(tmp, ec);
            rep.problems.push_back(t.path + ": " + e.what());
        }
    }
    return rep;
}

}  // namespace stemscope::training
