#pragma once
// The library as a training corpus (the wizard's "library and its tags" data source): every track
// that is not missing or broken becomes a song folder <id>-<name>/ under `outDir`, holding links to
// its mix (mix.<ext>) and to the stems the library knows for it (<stem>.<ext>), the meta.json next
// to a corpus mix if there is one, and a tags.txt made from the track's library tags (genre/style
// -> style=..., "tags" entries -> their own key=value, or tag=<value>). Files the trainer cannot
// read directly (not FLAC/WAV/Ogg) are decoded once into FLAC instead of linked. Incremental: song
// folders already there are kept. Qt-free.
#include <string>
#include <vector>

namespace stemscope::training {

struct LibraryCorpusReport {
    int songs = 0;     // song folders in outDir after the export
    int tagged = 0;    // with a tags.txt or meta.json
    std::vector<std::string> problems;  // one line per track left out
};

LibraryCorpusReport exportLibraryCorpus(const std::string& libraryPath, const std::string& outDir);

// key=value tag list of a library tags JSON object ({"genre": .., "style": .., "tags": [..] | "a, b"}).
std::string libraryTagList(const std::string& tagsJson);

}  // namespace stemscope::training
