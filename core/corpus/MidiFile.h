#pragma once
// A small Standard MIDI File reader: channel messages with their tick, per-track names and
// programs, and the tempo map. Enough for MMA's output (type 1, running status, meta events).
#include <cstdint>
#include <string>
#include <vector>

namespace stemscope::corpus {

struct MidiEvent {
    int64_t tick = 0;
    int track = 0;       // index into MidiSong::tracks
    uint8_t status = 0;  // channel message status byte (0x80..0xEF)
    uint8_t data1 = 0;
    uint8_t data2 = 0;
    int channel() const { return status & 0x0F; }
    int kind() const { return status & 0xF0; }
    bool isNoteOn() const { return kind() == 0x90 && data2 > 0; }
    bool isNoteOff() const { return kind() == 0x80 || (kind() == 0x90 && data2 == 0); }
};

struct MidiTrackInfo {
    std::string name;
    int channel = -1;      // first channel used, -1 if none
    int firstProgram = -1; // first program change, -1 if none
    int noteCount = 0;
};

struct MidiSong {
    int ticksPerQuarter = 480;
    std::vector<MidiTrackInfo> tracks;
    std::vector<MidiEvent> events;                       // sorted by tick (stable in file order)
    std::vector<std::pair<int64_t, double>> tempoChanges; // (tick, microseconds per quarter)
    double secondsAt(int64_t tick) const;
    int64_t lastTick() const { return events.empty() ? 0 : events.back().tick; }
};

// Throws CorpusError on malformed files.
MidiSong readMidiFile(const std::string& path);
MidiSong parseMidi(const std::vector<uint8_t>& bytes);

}  // namespace stemscope::corpus
