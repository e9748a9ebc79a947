#pragma once
// Renders routed MIDI with libfluidsynth (C API), one pass, one dry mono stem per class:
// every route gets its own synth channel and fluidsynth's audio groups keep classes apart
// (synth channel = 5 * voice + class, group = channel % 5). Reverb and chorus are off so each
// stem depends only on its own notes; the result is deterministic.
#include <array>
#include <string>
#include <vector>

#include "corpus/CorpusTypes.h"
#include "corpus/TrackRouting.h"

namespace stemscope::corpus {

struct RenderedStems {
    double sampleRate = 44100.0;
    std::array<std::vector<float>, kNumStemClasses> stems; // equal lengths
    int drumKitUsed = 0;
};

// Throws CorpusError when the soundfont cannot be loaded. `tailSeconds` of release after the
// last event.
RenderedStems renderWithFluidsynth(const RoutedSong& song, const std::string& soundfont,
                                   double sampleRate = 44100.0, double tailSeconds = 1.5, double gain = 0.5);

}  // namespace stemscope::corpus
