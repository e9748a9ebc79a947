#pragma once
// The MMA groove library, scanned and vetted at run time: a groove file is usable when its
// body grooves actually produce drums, a bass line and at least two chord-type tracks.
#include <string>
#include <vector>

#include "corpus/MidiFile.h"

namespace stemscope::corpus {

enum class TrackRole { Drums, Bass, Accompaniment, Other };
// Role of an MMA-generated MIDI track, from its MMA track name (Drum-*, Bass-*, Walk, Chord-*,
// Arpeggio-*, Plectrum-*, ...), its channel and its program.
TrackRole trackRole(const MidiTrackInfo& track);

struct GrooveFile {
    std::string path;      // .../stdlib/50srock.mma
    std::string stem;      // "50srock"
    std::string family;    // style family tag: rock, jazz, latin, ...
    int beatsPerBar = 4;   // MMA "Time"
    std::vector<std::string> body;    // vetted verse/chorus grooves (e.g. 50sRock, 50sRockSus)
    std::vector<std::string> intros;  // *Intro*
    std::vector<std::string> fills;   // *Fill*
    std::vector<std::string> endings; // *End*
};

// Style family of a groove file stem (keyword table).
std::string grooveFamily(const std::string& stem);

// Parses the DefGroove names and Time of one groove file (no vetting). Empty body on failure.
GrooveFile parseGrooveFile(const std::string& path);

// Scans `libDir` (sorted, deterministic), keeps files whose stem is in `only` (all if empty),
// and vets every body groove with one mma run per file in `workDir`. `jobs` threads.
// A small cache file (`cachePath`, optional) makes later scans instant.
std::vector<GrooveFile> vettedGrooves(const std::string& libDir, const std::string& workDir, int jobs,
                                      const std::vector<std::string>& only = {}, const std::string& cachePath = {});

}  // namespace stemscope::corpus
