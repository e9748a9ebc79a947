#pragma once
// Multitrack corpus folders: a folder holding `mix.<ext>` next to `drums.<ext>`, `bass.<ext>`,
// `piano.<ext>`, `guitar.<ext>`, `other.<ext>` (any supported audio extension, any subset) is one
// track whose stems are already known. The stem files are not tracks of their own.
#include <map>
#include <string>
#include <vector>

namespace stemscope {

inline const std::vector<std::string>& corpusStemNames()
{
    // "other" (everything else, as the corpus renders it) is a stem too: never a track of its own.
    static const std::vector<std::string> names{"drums", "bass", "piano", "guitar", "other"};
    return names;
}

// True for `mix.<ext>`.
bool isCorpusMix(const std::string& path);
// True for a stem file (`drums.<ext>`...) that sits next to a `mix.*` file.
bool isCorpusStem(const std::string& path);
// Stem name -> path of the stem files next to a corpus mix (empty for an ordinary track).
std::map<std::string, std::string> findCorpusStems(const std::string& mixPath);

}  // namespace stemscope
