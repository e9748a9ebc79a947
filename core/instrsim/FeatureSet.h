#pragma once
// Log-mel segments of a whole corpus for one focus, computed once and kept in a binary cache file.
// Corpus layout: one folder per song holding mix.flac, drums.flac, bass.flac, piano.flac, guitar.flac
// (any decodable extension), optionally meta.json. Songs are taken in folder-name order.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "embedding/Focus.h"
#include "embedding/TrackEmbedding.h"

namespace stemscope {

struct FeatureSet {
    int bands = 0;
    int frames = 0;
    std::vector<std::string> songs;   // song folder names
    std::vector<int> songOf;          // per segment: index into songs
    std::vector<float> data;          // segments x frames x bands, contiguous
    long long segmentCount() const { return (long long)songOf.size(); }
    const float* segment(long long i) const { return data.data() + i * (long long)frames * bands; }
    size_t perSegment() const { return size_t(frames) * size_t(bands); }
    void append(int song, const float* seg) { songOf.push_back(song); data.insert(data.end(), seg, seg + perSegment()); }
};

// Song folders of a corpus (sub-directories holding a mix or any stem), sorted by name.
std::vector<std::string> listCorpusSongs(const std::string& corpusDir);

using FeatureProgress = std::function<void(int done, int total, const std::string& song)>;

// Computes the features for every song (first `options.maxSegments` non-silent segments of the
// focus's stem; songs without any are skipped) using `threads` worker threads.
FeatureSet computeCorpusFeatures(const std::string& corpusDir, Focus focus, const SegmentFeatureOptions& options,
                                 int threads = 2, const FeatureProgress& progress = {},
                                 const std::atomic<bool>* cancel = nullptr);

// Binary cache (little-endian): "SSFEAT01", int32 bands, frames, songs, then per song
// (int32 name length, name bytes, int32 segment count), then float32 data. Throws on I/O errors.
void saveFeatureSet(const FeatureSet& f, const std::string& path);
FeatureSet loadFeatureSet(const std::string& path);

// Cache file name for (corpus, focus, options) inside cacheDir: <corpus-name>-<hash>-<focus>-m<bands>-f<frames>-s<max>.feat
std::string featureCachePath(const std::string& cacheDir, const std::string& corpusDir, Focus focus,
                             const SegmentFeatureOptions& options);

// Loads the cache if present and valid, otherwise computes and writes it. `cacheDir` empty: no cache.
FeatureSet cachedCorpusFeatures(const std::string& corpusDir, Focus focus, const SegmentFeatureOptions& options,
                                const std::string& cacheDir, int threads = 2, const FeatureProgress& progress = {},
                                const std::atomic<bool>* cancel = nullptr);

// $STEMSCOPE_CACHE/features, else $XDG_CACHE_HOME/stemscope/features, else ~/.cache/stemscope/features.
std::string defaultFeatureCacheDir();

}  // namespace stemscope
