#include "corpus/MidiFile.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "corpus/CorpusTypes.h"

namespace stemscope::corpus {

double MidiSong::secondsAt(int64_t tick) const
{
    double seconds = 0.0;
    int64_t lastTick = 0;
    double usPerQuarter = 500000.0;
    for (const auto& [t, us] : tempoChanges) {
        if (t >= tick) break;
        seconds += double(t - lastTick) * usPerQuarter / (1e6 * ticksPerQuarter);
        lastTick = t;
        usPerQuarter = us;
    }
    return seconds + double(tick - lastTick) * usPerQuarter / (1e6 * ticksPerQuarter);
}

namespace {

struct Reader {
    const std::vector<uint8_t>& b;
    size_t pos;
    size_t end;
    uint8_t u8()
    {
        if (pos >= end) throw CorpusError("MIDI: unexpected end of data");
        return b[pos++];
    }
    uint32_t be(int n)
    {
        uint32_t v = 0;
        for (int i = 0; i < n; ++i) v = (v << 8) | u8();
        return v;
    }
    uint32_t varLen()
    {
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            uint8_t c = u8();
            v = (v << 7) | (c & 0x7F);
            if (!(c & 0x80)) return v;
        }
        throw CorpusError("MIDI: bad variable-length quantity");
    }
};

}  // namespace

MidiSong parseMidi(const std::vector<uint8_t>& bytes)
{
    MidiSong song;
    Reader r{bytes, 0, bytes.size()};
    if (bytes.size() < 14 || r.be(4) != 0x4D546864) throw CorpusError("MIDI: not a Standard MIDI File");
    uint32_t headerLen = r.be(4);
    r.be(2); // format
    int ntracks = int(r.be(2));
    uint32_t division = r.be(2);
    if (division & 0x8000) throw CorpusError("MIDI: SMPTE time division not supported");
    song.ticksPerQuarter = int(division);
    r.pos = 8 + headerLen;
    for (int t = 0; t < ntracks && r.pos + 8 <= bytes.size(); ++t) {
        uint32_t tag = r.be(4);
        uint32_t len = r.be(4);
        size_t chunkEnd = r.pos + len;
        if (chunkEnd > bytes.size()) throw CorpusError("MIDI: truncated track");
        if (tag != 0x4D54726B) { r.pos = chunkEnd; --t; continue; }
        MidiTrackInfo info;
        const int trackIndex = int(song.tracks.size());
        Reader tr{bytes, r.pos, chunkEnd};
        int64_t tick = 0;
        uint8_t running = 0;
        while (tr.pos < chunkEnd) {
            tick += tr.varLen();
            uint8_t status = tr.u8();
            if (status == 0xFF) {
                uint8_t type = tr.u8();
                uint32_t n = tr.varLen();
                if (tr.pos + n > chunkEnd) throw CorpusError("MIDI: truncated meta event");
                if (type == 0x03 && info.name.empty())
                    info.name.assign(bytes.begin() + long(tr.pos), bytes.begin() + long(tr.pos + n));
                if (type == 0x51 && n == 3)
                    song.tempoChanges.emplace_back(
                        tick, double((uint32_t(bytes[tr.pos]) << 16) | (uint32_t(bytes[tr.pos + 1]) << 8) |
                                     bytes[tr.pos + 2]));
                tr.pos += n;
                if (type == 0x2F) break;
                continue;
            }
            if (status == 0xF0 || status == 0xF7) {
                tr.pos += tr.varLen();
                continue;
            }
            uint8_t d1;
            if (status & 0x80) {
                running = status;
                d1 = tr.u8();
            } else {
                if (!running) throw CorpusError("MIDI: running status without a status byte");
                d1 = status;
                status = running;
            }
            const int kind = status & 0xF0;
            uint8_t d2 = (kind == 0xC0 || kind == 0xD0) ? 0 : tr.u8();
            MidiEvent ev{tick, trackIndex, status, d1, d2};
            if (info.channel < 0) info.channel = ev.channel();
            if (kind == 0xC0 && info.firstProgram < 0) info.firstProgram = d1;
            if (ev.isNoteOn()) ++info.noteCount;
            song.events.push_back(ev);
        }
        song.tracks.push_back(info);
        r.pos = chunkEnd;
    }
    std::stable_sort(song.events.begin(), song.events.end(),
                     [](const MidiEvent& a, const MidiEvent& b) { return a.tick < b.tick; });
    std::stable_sort(song.tempoChanges.begin(), song.tempoChanges.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    return song;
}

MidiSong readMidiFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CorpusError("cannot read MIDI file " + path);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return parseMidi(bytes);
}

}  // namespace stemscope::corpus
