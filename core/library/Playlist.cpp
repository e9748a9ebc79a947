#include "library/Playlist.h"
#include "util/AsciiLower.h"
#include "util/AtomicFile.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace stemscope {
namespace {
namespace fs = std::filesystem;

std::string xmlEscape(const std::string& s)
{
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out += c;
        }
    }
    return out;
}

// file:// URI of an absolute path: every byte outside RFC 3986's unreserved set and '/' is %XX
// (UTF-8 bytes included), as XSPF asks for.
std::string fileUri(const std::string& path)
{
    std::string out = "file://";
    char hex[4];
    for (unsigned char c : path) {
        if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') out += char(c);
        else {
            std::snprintf(hex, sizeof hex, "%%%02X", c);
            out += hex;
        }
    }
    return out;
}

// M3U lines end at a newline: keep titles on one line.
std::string oneLine(std::string s)
{
    std::replace(s.begin(), s.end(), '\n', ' ');
    std::replace(s.begin(), s.end(), '\r', ' ');
    return s;
}

}  // namespace

PlaylistFormat playlistFormatFor(const std::string& path)
{
    const std::string ext = asciiLower(fs::u8path(path).extension().u8string());
    if (ext == ".m3u" || ext == ".m3u8") return PlaylistFormat::M3U;
    if (ext == ".xspf") return PlaylistFormat::XSPF;
    throw std::invalid_argument("'" + path + "': a playlist file ends in .m3u, .m3u8 or .xspf");
}

std::string formatPlaylist(const std::string& title, const std::vector<PlaylistEntry>& entries, PlaylistFormat format)
{
    std::string out;
    if (format == PlaylistFormat::M3U) {
        out = "#EXTM3U\n";
        if (!title.empty()) out += "#PLAYLIST:" + oneLine(title) + "\n";
        for (const auto& e : entries) {
            const long seconds = e.durationSeconds > 0 ? std::lround(e.durationSeconds) : -1;
            const std::string name = e.artist.empty() ? e.title : e.artist + " - " + e.title;
            out += "#EXTINF:" + std::to_string(seconds) + "," + oneLine(name) + "\n" + e.path + "\n";
        }
        return out;
    }
    out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n";
    if (!title.empty()) out += "  <title>" + xmlEscape(title) + "</title>\n";
    out += "  <trackList>\n";
    for (const auto& e : entries) {
        out += "    <track>\n      <location>" + xmlEscape(fileUri(e.path)) + "</location>\n";
        if (!e.title.empty()) out += "      <title>" + xmlEscape(e.title) + "</title>\n";
        if (!e.artist.empty()) out += "      <creator>" + xmlEscape(e.artist) + "</creator>\n";
        if (!e.album.empty()) out += "      <album>" + xmlEscape(e.album) + "</album>\n";
        if (e.durationSeconds > 0) out += "      <duration>" + std::to_string(std::llround(e.durationSeconds * 1000)) + "</duration>\n";
        out += "    </track>\n";
    }
    out += "  </trackList>\n</playlist>\n";
    return out;
}

void writePlaylist(const std::string& path, const std::string& title, const std::vector<PlaylistEntry>& entries)
{
    const std::string text = formatPlaylist(title, entries, playlistFormatFor(path));
    try {
        writeFileAtomically(path, [&](std::ostream& out) { out << text; });
    } catch (const std::exception& e) {
        throw std::runtime_error("cannot write the playlist '" + path + "': " + e.what());
    }
}

}  // namespace stemscope
