#pragma once
// Stems of a multitrack corpus held in memory for separator training and evaluation: one folder
// per song with <source>.flac (or .wav/.ogg) per source, decoded to mono at the separator's rate.
// A missing source file counts as silence (e.g. a song without an "other" part).
#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace stemscope {

struct SeparationSong {
    std::string name;
    std::vector<std::vector<float>> stems; // one per source, all of the same length
    long long length() const { return stems.empty() ? 0 : (long long)stems[0].size(); }
    std::vector<float> mix() const;        // the sum of the stems
};

struct SeparationData {
    std::vector<std::string> sources;
    double sampleRate = 22050.0;
    std::vector<SeparationSong> songs;
};

// The file of `source` in a song folder (any extension the decoder reads; .flac, .wav, .ogg tried
// first), or "" when there is none.
std::string sourceFile(const std::string& songDir, const std::string& source);

// Loads up to `maxSongs` songs (0 = all, folder-name order) with `threads` decoding threads.
// Songs whose stems cannot be decoded are skipped with a message to `skipped`.
SeparationData loadSeparationData(const std::string& corpusDir, const std::vector<std::string>& sources,
                                  double sampleRate, int maxSongs = 0, int threads = 2,
                                  const std::function<void(int done, int total)>& progress = {},
                                  std::vector<std::string>* skipped = nullptr,
                                  const std::atomic<bool>* cancel = nullptr);

}  // namespace stemscope
