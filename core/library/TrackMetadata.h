#pragma once
// What a person calls a track: title, artist and tags, from the track's stored tags JSON
// ({"title", "artist", "genre", "style", "tags": [...] or "a, b"}), else from a multitrack corpus
// song's meta.json (style family, key, tempo), else from the file or folder name.
#include <string>
#include <vector>

#include "library/LibraryStore.h"

namespace stemscope {

struct TrackMetadata {
    std::string title, artist;
    std::vector<std::string> tags;
};

TrackMetadata trackMetadata(const TrackRecord& track);

}  // namespace stemscope
