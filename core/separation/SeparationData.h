#pragma once
// Stems of a multitrack corpus held in memory for separator training and evaluation: one folder
// per song with <source>.flac (or .wav/.ogg) per source, decoded to mono at the separator's rate.
// A missing source file counts as silence (e.g. a song without an "other" part).
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace stemscope {

// Each stem is kept as 16-bit samples scaled to its own peak: half the memory of float, so the
// whole separation split (984 songs, 20 GB as float) fits in 10 GB; the rounding sits 96 dB under
// each stem's peak, far below any SDR we measure.
struct SeparationSong {
    std::string name;
    int stemCount() const { return int(packed_.size()); }
    long long length() const { return packed_.empty() ? 0 : (long long)packed_[0].size(); }
    // Stores `x` as stem s (s == stemCount() appends); every stem must have the song's length.
    void setStem(int s, const std::vector<float>& x);
    std::vector<float> stem(int s) const;  // decoded
    // dst[i] = gain * stem s at (offset + i), for i < n.
    void copyStem(int s, long long offset, long long n, float gain, float* dst) const;
    std::vector<float> mix() const;  // the sum of the stems

private:
    std::vector<std::vector<int16_t>> packed_;
    std::vector<float> scale_;  // per stem: the float value of one step
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
