#pragma once
// The library's stem cache: a separator's stems of a plain track (one without stem files of its
// own), written as mono FLAC at the analysis rate to <dir>/<track id>/<stem>.flac and recorded in
// the library with the separator's model id, so a new separator replaces them. What playback, the
// A/B/X panel and separate-then-embed focuses read. Filling it is its own job, after the
// embeddings (the mix models need no separation), or at once for a track about to be played.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace stemscope {

class AudioDecoder;
class LibraryStore;
class Separator;

class StemCache {
public:
    StemCache(std::shared_ptr<LibraryStore> store, std::shared_ptr<const Separator> separator, std::string dir);
    const Separator& separator() const { return *separator_; }
    // True when the track has stem files of its own (a multitrack's): those are played, never separated.
    bool hasOwnStems(int64_t trackId) const;
    // True when the track has no stem files of its own and lacks a readable file of this
    // separator for some stem.
    bool needed(int64_t trackId) const;
    // Separates `mix` (mono, analysis rate) window by window into the cache, recording each file;
    // returns stem name -> path. Throws on failure (a write error included); `checkpoint` runs
    // between windows and may throw to cancel. `progress` hears the share done, 0..1.
    std::map<std::string, std::string> fill(int64_t trackId, const std::vector<float>& mix,
                                            const std::function<void()>& checkpoint = {},
                                            const std::function<void(double)>& progress = {}) const;
    // Decodes the track's mix and fills the cache when needed() (under a per-track lock, so two
    // jobs never write one track's files at once). Returns false when nothing was needed.
    bool fillTrack(int64_t trackId, const AudioDecoder& decoder, const std::function<void()>& checkpoint = {},
                   const std::function<void(double)>& progress = {}) const;

private:
    std::shared_ptr<LibraryStore> store_;
    std::shared_ptr<const Separator> separator_;
    std::string dir_;
};

}  // namespace stemscope
