#pragma once
// A song recipe: everything drawn from the seed before any audio exists (groove, form, chords,
// key, tempo, instrument programs, soundfont) and its MMA text.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "corpus/GrooveLibrary.h"

namespace stemscope::corpus {

struct SongSection {
    std::string kind;   // intro, verse, chorus, fill, ending
    std::string groove; // MMA groove name
    std::vector<std::string> chords; // one per bar
};

struct SongRecipe {
    uint64_t seed = 0;
    std::string grooveFile; // groove file stem, e.g. "50srock"
    std::string family;
    int beatsPerBar = 4;
    int tempo = 120;
    std::string key;  // e.g. "Eb"
    std::string mode; // major | minor
    std::vector<SongSection> sections;
    int pianoProgram = 0, guitarProgram = 24, bassProgram = 32, otherProgram = 73;
    int drumKit = 0;       // GM bank 128 program
    bool melody = false;   // an extra "other" melody line
    std::string soundfont; // path
    int totalBars() const;
    double nominalSeconds() const { return totalBars() * beatsPerBar * 60.0 / tempo; }
};

struct RecipeOptions {
    double minSeconds = 30.0; // nominal length (bars x beats / tempo) is drawn in this range
    double maxSeconds = 60.0;
    std::vector<std::string> soundfonts;
    // Play the song with the soundfont this many places after the drawn one in `soundfonts`: the
    // same music with other instrument sounds (real sound pairs for training).
    int soundfontShift = 0;
};

SongRecipe drawRecipe(uint64_t seed, const std::vector<GrooveFile>& grooves, const RecipeOptions& options);
std::string recipeToMma(const SongRecipe& recipe);
nlohmann::ordered_json recipeToJson(const SongRecipe& recipe);

// The General MIDI soundfonts installed by the Debian packages fluid-soundfont-gm,
// musescore-general-soundfont-small and timgm6mb-soundfont (those present on this machine).
std::vector<std::string> installedSoundfonts();

}  // namespace stemscope::corpus
