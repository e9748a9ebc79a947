#pragma once
// A library of N made-up tracks with segment embeddings shaped like real ones, for measuring what
// size does to the window (open time, map drawing, pan and zoom) and to queries at 10k-100k tracks
// without analysing that much audio. Embeddings are a three-level hierarchy on the unit sphere:
// `genres` style centres, each track's centre near its genre's (cosine ~ 1 / (1 + trackSpread^2)),
// each segment near its track's (cosine ~ 1 / (1 + segmentSpread^2)); every focus draws its own
// genres, so the maps differ per focus. Tracks carry title, artist, album and genre tags; their
// paths point nowhere (nothing to play). Deterministic for a seed.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "embedding/Focus.h"
#include "library/LibraryStore.h"

namespace stemscope {

struct SyntheticModel {
    std::string modelId;
    int dimension = 64;
};

struct SyntheticLibraryOptions {
    int tracks = 10000;
    int segmentsPerTrack = 24;    // 3 s segments at 50 % overlap: a 37 s excerpt
    int genres = 16;
    double trackSpread = 1.0;     // same-genre tracks: cosine ~ 0.5
    double segmentSpread = 0.5;   // segments of one track: cosine ~ 0.8 (what our models give)
    uint64_t seed = 1;
    int firstIndex = 0;           // names run from track-<firstIndex> (appending to a library written before)
    std::map<Focus, SyntheticModel> models;  // the focuses to fill, with the model id they are stored under
};

struct SyntheticLibraryReport {
    int tracks = 0;
    int64_t segments = 0;
    bool cancelled = false;
};

SyntheticLibraryReport writeSyntheticLibrary(LibraryStore& store, const SyntheticLibraryOptions& options,
                                             const std::function<void(int done, int total)>& progress = {},
                                             const std::atomic<bool>* cancel = nullptr);

}  // namespace stemscope
