#pragma once
// Runs the `mma` program (Musical MIDI Accompaniment) as a subprocess: .mma text in, .mid out.
#include <string>

namespace stemscope::corpus {

// Default groove library of the Debian `mma` package.
std::string defaultMmaLibraryDir();
// True if the `mma` executable can be found on PATH.
bool mmaAvailable();
// Writes `mmaText` to `mmaPath` and converts it to `midiPath`. Throws CorpusError with the tail
// of mma's output when it fails or writes no MIDI file.
void runMma(const std::string& mmaText, const std::string& mmaPath, const std::string& midiPath);

}  // namespace stemscope::corpus
