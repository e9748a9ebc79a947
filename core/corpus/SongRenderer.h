#pragma once
// One corpus song end to end: recipe -> .mma -> mma -> MIDI -> routing -> fluidsynth stems ->
// audibility check (redraw on failure) -> FLAC stems + mix + meta.json, written to a temporary
// folder and renamed into place (a folder with meta.json is complete).
#include <cstdint>
#include <string>
#include <vector>

#include "corpus/GrooveLibrary.h"
#include "corpus/SongRecipe.h"

namespace stemscope::corpus {

constexpr const char* kCorpusFormat = "stemscope-corpus-1";

struct SongJob {
    std::string name;       // folder name, e.g. "train-0007"
    std::string split;      // tag only
    uint64_t seed = 0;      // song seed; attempt k draws its recipe from mixSeed(seed, k)
    std::string outDir;     // parent folder
    RecipeOptions recipe;
    const std::vector<GrooveFile>* grooves = nullptr;
    int maxAttempts = 12;
    int minActiveSegments = 0; // per required class, in addition to the 75 % rule
    double sampleRate = 44100.0;
};

struct SongResult {
    bool skipped = false;      // already complete
    bool ok = false;
    int attempts = 0;
    double audioSeconds = 0.0; // rendered duration (0 when skipped)
    std::string error;
};

bool songFolderComplete(const std::string& dir);
SongResult renderSong(const SongJob& job);

}  // namespace stemscope::corpus
