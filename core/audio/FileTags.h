#pragma once
// Title, artist, album and genre from a file's own tags (ID3, Vorbis comments, RIFF INFO, ...),
// read with TagLib. Empty fields where the file has none; never throws.
#include <string>

namespace stemscope {

struct FileTags {
    std::string title, artist, album, genre;
    bool empty() const { return title.empty() && artist.empty() && album.empty() && genre.empty(); }
};

FileTags readFileTags(const std::string& path);

}  // namespace stemscope
