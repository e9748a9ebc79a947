#pragma once
// From MMA's MIDI to routed, timed synth events: each MIDI track gets a stem class and a program
// (drums -> channel 10 kit, bass 32-39, piano 0-7, guitar 24-31, anything else "other"), and the
// optional melody line is generated over the recipe's chords.
#include <array>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "corpus/CorpusTypes.h"
#include "corpus/MidiFile.h"
#include "corpus/SongRecipe.h"

namespace stemscope::corpus {

struct RoutedTrack {
    std::string name;
    int midiChannel = 0;
    StemClass cls = StemClass::Other;
    int program = 0;       // GM program (drum kit for drums)
    int voice = 0;         // synth voice slot within the class (0..15)
    int noteCount = 0;
};

struct SynthEvent {
    double seconds = 0.0;
    int route = 0; // index into RoutedSong::tracks
    uint8_t status = 0, data1 = 0, data2 = 0; // channel bits of status are ignored
};

struct RoutedSong {
    std::vector<RoutedTrack> tracks;
    std::vector<SynthEvent> events; // sorted by time; note-offs before note-ons at equal times
    double endSeconds = 0.0;        // last event
};

// Program changes and bank selects from the file are replaced by the routed programs.
RoutedSong routeSong(const MidiSong& midi, const SongRecipe& recipe);
nlohmann::ordered_json routingToJson(const RoutedSong& song);

}  // namespace stemscope::corpus
