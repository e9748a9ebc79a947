#pragma once
// What a person calls a track: title, artist, album and tags, from the track's stored tags JSON
// ({"title", "artist", "album", "genre", "style", "tags": [...] or "a, b"}; the importer fills
// it from the file's own tags), else from a multitrack corpus
// song's meta.json (style family, key, tempo), else from the file or folder name.
#include <string>
#include <vector>

#include "library/LibraryStore.h"

namespace stemscope {

struct TrackMetadata {
    std::string title, artist, album;
    std::vector<std::string> tags;
};

TrackMetadata trackMetadata(const TrackRecord& track);

}  // namespace stemscope
