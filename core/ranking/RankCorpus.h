#pragma once
// A tagged corpus for learning to rank: one folder per song holding <focus>.flac stems (mix.flac,
// drums.flac, ...) and its tags, read from meta.json (tagsFromMeta) and/or tags.txt (a user's
// key=value list, parseTagList; added to the meta.json tags). Folders without either are skipped.
//
// CQT cache: the log-power CQT (Cqt.h defaults: 96 bins, 12/octave, fMin 32.70 Hz, hop 1024 at
// 44.1 kHz) of each song's focus file is stored once as <cacheDir>/<song>.<focus>.cqt:
//   char[8] "SSRKCQT1", int32 rows, int32 cols, int64 source size, int64 source mtime (ns),
//   float64 sampleRate, int32 hop, int32 nBins, then rows*cols float32 (rows = frames).
// A cache entry whose source size/mtime or CQT configuration differs is recomputed.
#include <string>
#include <vector>

#include "dsp/Cqt.h"
#include "dsp/Matrix.h"
#include "ranking/TagVector.h"

namespace stemscope {

struct RankSong {
    std::string name; // folder name
    std::string dir;
    TagList tags;
};

// Songs sorted by name. Throws std::runtime_error when `dir` is not a directory.
std::vector<RankSong> scanRankCorpus(const std::string& dir);

void writeCqtCache(const std::string& path, const Matrix& m, long long sourceSize, long long sourceMtime,
                   const CqtConfig& cfg);
// False when the file is missing, unreadable or stale.
bool readCqtCache(const std::string& path, long long sourceSize, long long sourceMtime, const CqtConfig& cfg,
                  Matrix& out);

// CQT of <song.dir>/<focus>.flac (decoded mono at the CQT's sample rate), through the cache when
// cacheDir is not empty. Throws AudioError / std::runtime_error.
Matrix songCqt(const RankSong& song, const std::string& focus, const std::string& cacheDir, const Cqt& cqt);

}  // namespace stemscope
