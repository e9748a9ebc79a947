#pragma once
// A small tagged stand-in corpus for learning to rank, synthesised additively (no soundfont, no
// MIDI): one folder per song with mix/drums/bass/piano/guitar/other.flac (mono, 44.1 kHz) and a
// meta.json in the layout tagsFromMeta() reads (style_family, groove, tempo, key, programs per
// class, soundfont). Each tag changes the audio audibly: style -> chord progression, mode and
// instrument set; groove -> drum pattern; tempo -> bpm; key -> tonic; program -> waveform /
// envelope of its class; "soundfont" -> a global timbre variant (brightness, detune).
// For smoke tests and for when the rendered corpus is not available; deterministic per seed.
#include <cstdint>
#include <string>

namespace stemscope {

struct SyntheticCorpusConfig {
    int songs = 60;
    double seconds = 30.0;
    double sampleRate = 44100.0;
    uint64_t seed = 1;
    std::string namePrefix = "song";
};

// Writes <dir>/<prefix>NNN/{*.flac, meta.json}. Returns the number of songs written.
int writeSyntheticRankCorpus(const std::string& dir, const SyntheticCorpusConfig& config);

}  // namespace stemscope
