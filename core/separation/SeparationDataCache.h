#pragma once
// A training set's stems as one file of half floats, so a resumed separator training reads in
// seconds what decoding and resampling a thousand songs' stems takes minutes to make. The file
// records what it was made from (corpus folder, sources, rate, song count and every stem file's
// size and modification time): a changed corpus is decoded again and the file rewritten.
#include <string>
#include <vector>

#include "separation/SeparationData.h"

namespace stemscope {

// What the cache must match: the corpus as it is on disk now (its song folders, each source
// file's size and time), the sources, the rate and maxSongs.
std::string separationDataSignature(const std::string& corpusDir, const std::vector<std::string>& sources,
                                    double sampleRate, int maxSongs);

// True and `out` filled when `path` holds a cache with this signature; false when there is no
// file or it was made from something else. `skipped` gets the songs the decoding that made it
// skipped (with their reasons). Throws std::runtime_error on a damaged file. With `map`, the
// songs' half floats stay in the file, mapped read-only (SeparationSong::setMappedHalfBits):
// memory then holds what the page cache can, and a set larger than memory still loads.
bool readSeparationDataCache(const std::string& path, const std::string& signature, SeparationData& out,
                             std::vector<std::string>* skipped = nullptr, bool map = false);

// Writes `d` (every stem held as half floats) and the songs its decoding skipped to `path`
// atomically. Throws std::runtime_error.
void writeSeparationDataCache(const std::string& path, const std::string& signature, const SeparationData& d,
                              const std::vector<std::string>& skipped = {});

// loadSeparationData(..., halfPrecision = true) through the cache at `cachePath`: read when it
// matches, else decoded and written (a failed write costs the cache, not the load: `note` says so).
// `note` gets one line saying which. With `map` the songs come back mapped from the file (a corpus
// decoded now is held in memory only until its cache is written).
SeparationData loadSeparationDataCached(const std::string& cachePath, const std::string& corpusDir,
                                        const std::vector<std::string>& sources, double sampleRate, int maxSongs,
                                        int threads, std::vector<std::string>* skipped,
                                        const std::atomic<bool>* cancel, std::string* note, bool map = false);

}  // namespace stemscope
