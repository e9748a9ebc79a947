#include "library/StemLocator.h"
#include "util/AsciiLower.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace stemscope {
namespace fs = std::filesystem;

namespace {

bool isAudioExt(const std::string& ext)
{
    static const char* exts[] = {".wav", ".wave", ".aif", ".aiff", ".flac", ".ogg", ".oga", ".mp3"};
    const auto e = asciiLower(ext);
    return std::any_of(std::begin(exts), std::end(exts), [&](const char* x) { return e == x; });
}

bool hasSiblingNamed(const fs::path& dir, const std::string& stemName)
{
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto& p = it->path();
        if (asciiLower(p.stem().u8string()) == stemName && isAudioExt(p.extension().u8string()) && it->is_regular_file(ec))
            return true;
    }
    return false;
}

}  // namespace

bool isCorpusMix(const std::string& path)
{
    const auto p = fs::u8path(path);
    return asciiLower(p.stem().u8string()) == "mix" && isAudioExt(p.extension().u8string());
}

bool isCorpusStem(const std::string& path)
{
    const auto p = fs::u8path(path);
    const auto name = asciiLower(p.stem().u8string());
    if (!isAudioExt(p.extension().u8string())) return false;
    const auto& stems = corpusStemNames();
    if (std::find(stems.begin(), stems.end(), name) == stems.end()) return false;
    return hasSiblingNamed(p.parent_path(), "mix");
}

std::map<std::string, std::string> findCorpusStems(const std::string& mixPath)
{
    std::map<std::string, std::string> out;
    if (!isCorpusMix(mixPath)) return out;
    const auto dir = fs::u8path(mixPath).parent_path();
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec)) files.push_back(it->path());
    std::sort(files.begin(), files.end());
    for (const auto& p : files) {
        const auto name = asciiLower(p.stem().u8string());
        const auto& stems = corpusStemNames();
        if (isAudioExt(p.extension().u8string()) && std::find(stems.begin(), stems.end(), name) != stems.end() &&
            !out.count(name))
            out[name] = p.u8string();
    }
    return out;
}

}  // namespace stemscope
