#pragma once
// Playlists other players read: extended M3U (UTF-8; .m3u or .m3u8) and XSPF (XML with file://
// URIs). The format follows the file's extension.
#include <string>
#include <vector>

namespace stemscope {

struct PlaylistEntry {
    std::string path;  // absolute, UTF-8
    std::string title, artist, album;
    double durationSeconds = 0;  // <= 0: unknown
};

enum class PlaylistFormat { M3U, XSPF };

// By extension: .m3u/.m3u8 -> M3U, .xspf -> XSPF. Throws std::invalid_argument for any other.
PlaylistFormat playlistFormatFor(const std::string& path);
std::string formatPlaylist(const std::string& title, const std::vector<PlaylistEntry>& entries, PlaylistFormat format);
// Writes atomically (temporary file + rename). Throws std::runtime_error naming the problem.
void writePlaylist(const std::string& path, const std::string& title, const std::vector<PlaylistEntry>& entries);

}  // namespace stemscope
