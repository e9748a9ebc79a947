#pragma once
// Stems of a multitrack corpus held in memory for separator training and evaluation: one folder
// per song with <source>.flac (or .wav/.ogg) per source, decoded to mono at the separator's rate.
// A missing source file counts as silence (e.g. a song without an "other" part).
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace stemscope {

// One song's stems. Training sets can be held as IEEE half floats (setStem(..., true)): half the
// memory of float, so the whole separation split (984 songs, 20 GB as float) fits in 10 GB.
// Evaluation keeps float: the separator's output moves measurably with the noise floor of
// near-silent passages (up to 0.3 dB SDR per song with half floats, 0.5 dB with 16-bit integers,
// which round it to zeros), and a report must not move with the storage. Half floats can also stay
// in a mapped cache file (setMappedHalfBits): then the page cache holds them, not the process, and
// a training set larger than memory still trains (2164 songs, 21 GB as half floats).
struct SeparationSong {
    std::string name;
    int stemCount() const { return int(full_.size()); }
    long long length() const;
    // Stores `x` as stem s (s == stemCount() appends); every stem must have the song's length.
    void setStem(int s, const std::vector<float>& x, bool halfPrecision = false);
    std::vector<float> stem(int s) const;  // as float
    // dst[i] = gain * stem s at (offset + i), for i < n.
    void copyStem(int s, long long offset, long long n, float gain, float* dst) const;
    std::vector<float> mix() const;  // the sum of the stems
    // Half-float storage as it is (SeparationDataCache writes and reads it without converting):
    // length() values of 2 bytes each, not necessarily 2-byte aligned; nullptr for a float stem.
    const void* halfData(int s) const;
    void setHalfBits(int s, std::vector<uint16_t> bits);  // like setStem(s, x, true), from the bits
    // Like setHalfBits over `length` values at `bits` that `owner` keeps alive (a mapped file):
    // nothing is copied. Stems of one song are all mapped or all held.
    void setMappedHalfBits(int s, const void* bits, long long length, std::shared_ptr<const void> owner);

private:
    std::vector<std::vector<float>> full_;     // per stem: the samples, or empty when held in half_
    std::vector<std::vector<uint16_t>> half_;  // per stem: IEEE binary16 bits, or empty
    std::vector<const unsigned char*> mapped_; // per stem: IEEE binary16 bits in owner_'s memory, or null
    long long mappedLength_ = 0;
    std::shared_ptr<const void> owner_;
};

struct SeparationData {
    std::vector<std::string> sources;
    double sampleRate = 22050.0;
    std::vector<SeparationSong> songs;
};

// The file of `source` in a song folder (any extension the decoder reads; .flac, .wav, .ogg tried
// first), or "" when there is none.
std::string sourceFile(const std::string& songDir, const std::string& source);

// Loads up to `maxSongs` songs (0 = all, folder-name order) with `threads` decoding threads;
// `halfPrecision` holds the stems as half floats (training sets; see SeparationSong).
// Songs whose stems cannot be decoded are skipped with a message to `skipped`.
SeparationData loadSeparationData(const std::string& corpusDir, const std::vector<std::string>& sources,
                                  double sampleRate, int maxSongs = 0, int threads = 2,
                                  const std::function<void(int done, int total)>& progress = {},
                                  std::vector<std::string>* skipped = nullptr,
                                  const std::atomic<bool>* cancel = nullptr, bool halfPrecision = false);

}  // namespace stemscope
