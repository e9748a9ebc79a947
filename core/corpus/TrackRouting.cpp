#include "corpus/TrackRouting.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "corpus/GrooveLibrary.h"

namespace stemscope::corpus {

using Json = nlohmann::ordered_json;

namespace {

int pitchClassOf(const std::string& name)
{
    static const std::map<std::string, int> pcs = {{"C", 0}, {"Db", 1}, {"C#", 1}, {"D", 2}, {"Eb", 3},
                                                   {"E", 4}, {"F", 5},  {"F#", 6}, {"Gb", 6}, {"G", 7},
                                                   {"Ab", 8}, {"A", 9}, {"Bb", 10}, {"B", 11}};
    std::string root = name.substr(0, name.size() > 1 && (name[1] == 'b' || name[1] == '#') ? 2 : 1);
    auto it = pcs.find(root);
    return it == pcs.end() ? 0 : it->second;
}

// Chord tones (pitch classes) of an MMA chord name like "Ebm7", "G7", "Bdim".
std::vector<int> chordTones(const std::string& chord)
{
    const int root = pitchClassOf(chord);
    const std::string q = chord.substr(chord.size() > 1 && (chord[1] == 'b' || chord[1] == '#') ? 2 : 1);
    int third = 4, fifth = 7;
    if (q.rfind("m", 0) == 0 && q.rfind("maj", 0) != 0) third = 3;
    if (q.find("dim") != std::string::npos || q.find("b5") != std::string::npos) { third = 3; fifth = 6; }
    std::vector<int> tones{root, (root + third) % 12, (root + fifth) % 12};
    if (q.find("maj7") != std::string::npos) tones.push_back((root + 11) % 12);
    else if (q.find('7') != std::string::npos) tones.push_back((root + 10) % 12);
    return tones;
}

// A simple singable line: chord tones on strong beats, scale steps between, some rests.
void addMelody(RoutedSong& out, int route, const MidiSong& midi, const SongRecipe& recipe)
{
    Rng rng(mixSeed(recipe.seed, 0x4D454C4FULL));
    const int ppq = midi.ticksPerQuarter;
    const int64_t barTicks = int64_t(recipe.beatsPerBar) * ppq;
    const int keyPc = pitchClassOf(recipe.key);
    static const int majorSteps[7] = {0, 2, 4, 5, 7, 9, 11};
    static const int minorSteps[7] = {0, 2, 3, 5, 7, 8, 10};
    const int* steps = recipe.mode == "minor" ? minorSteps : majorSteps;
    std::vector<int> scale; // MIDI notes of the key within the melody range
    for (int n = 62; n <= 86; ++n)
        for (int s = 0; s < 7; ++s)
            if ((n - keyPc - steps[s]) % 12 == 0) scale.push_back(n);
    // Rhythm cells in eighths per beat pair: durations in eighth notes (negative = rest).
    static const std::vector<std::vector<int>> cells = {
        {2, 2}, {1, 1, 2}, {3, 1}, {4}, {2, 1, 1}, {1, 1, 1, 1}, {-2, 2}, {2, -2}, {-4}};
    size_t idx = scale.size() / 2;
    int64_t barStart = 0;
    for (const auto& section : recipe.sections) {
        const bool sing = section.kind == "verse" || section.kind == "chorus";
        for (const auto& chord : section.chords) {
            if (sing) {
                const auto tones = chordTones(chord);
                int64_t t = barStart;
                const int64_t barEnd = barStart + barTicks;
                while (t < barEnd) {
                    for (int d : rng.pick(cells)) {
                        const int64_t len = int64_t(std::abs(d)) * ppq / 2;
                        if (t >= barEnd) break;
                        const int64_t end = std::min(barEnd, t + len);
                        if (d > 0) {
                            const bool strong = (t - barStart) % ppq == 0;
                            // Walk by step; on strong beats snap to the nearest chord tone.
                            int move = rng.uniformInt(-2, 2);
                            if (idx < 3) move = std::abs(move);
                            if (idx + 3 >= scale.size()) move = -std::abs(move);
                            idx = size_t(std::clamp(int(idx) + move, 0, int(scale.size()) - 1));
                            if (strong) {
                                for (int k = 0; k < 3; ++k) {
                                    const int pc = ((scale[idx] % 12) + 12) % 12;
                                    if (std::find(tones.begin(), tones.end(), pc) != tones.end()) break;
                                    if (idx + 1 < scale.size()) ++idx;
                                }
                            }
                            const uint8_t vel = uint8_t(rng.uniformInt(strong ? 84 : 70, strong ? 104 : 92));
                            const uint8_t note = uint8_t(scale[idx]);
                            out.events.push_back({midi.secondsAt(t), route, 0x90, note, vel});
                            out.events.push_back({midi.secondsAt(end - ppq / 16), route, 0x80, note, 0});
                            ++out.tracks[size_t(route)].noteCount;
                        }
                        t = end;
                    }
                }
            }
            barStart += barTicks;
        }
    }
}

}  // namespace

RoutedSong routeSong(const MidiSong& midi, const SongRecipe& recipe)
{
    RoutedSong out;
    Rng rng(mixSeed(recipe.seed, 0x524F555445ULL));
    // 1. Roles from MMA track names; tracks without notes are dropped.
    std::vector<int> trackRoute(midi.tracks.size(), -1);
    std::vector<size_t> accomp;
    std::map<int, int> drumRouteByChannel;
    for (size_t i = 0; i < midi.tracks.size(); ++i) {
        const auto& t = midi.tracks[i];
        if (t.noteCount == 0 || t.channel < 0) continue;
        RoutedTrack r;
        r.name = t.name;
        r.midiChannel = t.channel;
        r.noteCount = t.noteCount;
        switch (trackRole(t)) {
        case TrackRole::Drums: {
            // All MMA drum tracks share channel 10: one route.
            auto it = drumRouteByChannel.find(t.channel);
            if (it != drumRouteByChannel.end()) {
                trackRoute[i] = it->second;
                out.tracks[size_t(it->second)].noteCount += t.noteCount;
                out.tracks[size_t(it->second)].name += "+" + t.name;
                continue;
            }
            r.cls = StemClass::Drums;
            r.program = recipe.drumKit;
            drumRouteByChannel[t.channel] = int(out.tracks.size());
            break;
        }
        case TrackRole::Bass:
            r.cls = StemClass::Bass;
            r.program = recipe.bassProgram;
            break;
        case TrackRole::Accompaniment:
            accomp.push_back(out.tracks.size());
            r.cls = classOfProgram(std::max(0, t.firstProgram)); // provisional
            r.program = t.firstProgram;
            break;
        case TrackRole::Other:
            r.cls = StemClass::Other;
            // Keep the groove's own voice unless it would fall into another class's range.
            r.program = classOfProgram(std::max(0, t.firstProgram)) == StemClass::Other && t.firstProgram >= 0
                            ? t.firstProgram
                            : recipe.otherProgram;
            break;
        }
        trackRoute[i] = int(out.tracks.size());
        out.tracks.push_back(r);
    }
    // 2. Chord-type tracks become piano or guitar: keep the groove's choice where it is one of
    //    them, make sure both exist, extra non-piano/guitar pads go to "other".
    auto count = [&](StemClass c) {
        return std::count_if(accomp.begin(), accomp.end(), [&](size_t k) { return out.tracks[k].cls == c; });
    };
    std::vector<size_t> undecided;
    for (size_t k : accomp)
        if (out.tracks[k].cls != StemClass::Piano && out.tracks[k].cls != StemClass::Guitar) undecided.push_back(k);
    // Most active undecided tracks first (stable for equal counts).
    std::stable_sort(undecided.begin(), undecided.end(),
                     [&](size_t a, size_t b) { return out.tracks[a].noteCount > out.tracks[b].noteCount; });
    for (size_t k : undecided) {
        if (count(StemClass::Piano) == 0) out.tracks[k].cls = StemClass::Piano;
        else if (count(StemClass::Guitar) == 0) out.tracks[k].cls = StemClass::Guitar;
        else out.tracks[k].cls = rng.chance(0.5) ? StemClass::Other : (rng.chance(0.5) ? StemClass::Piano : StemClass::Guitar);
    }
    for (StemClass missing : {StemClass::Piano, StemClass::Guitar}) {
        if (count(missing) > 0) continue;
        const StemClass donor = missing == StemClass::Piano ? StemClass::Guitar : StemClass::Piano;
        if (count(donor) < 2) continue;
        for (auto it = accomp.rbegin(); it != accomp.rend(); ++it)
            if (out.tracks[*it].cls == donor) { out.tracks[*it].cls = missing; break; }
    }
    for (size_t k : accomp) {
        auto& t = out.tracks[k];
        if (t.cls == StemClass::Piano) t.program = recipe.pianoProgram;
        else if (t.cls == StemClass::Guitar) t.program = recipe.guitarProgram;
        else if (classOfProgram(std::max(0, t.program)) != StemClass::Other || t.program < 0) t.program = recipe.otherProgram;
    }
    // 3. Voice slots per class.
    std::array<int, kNumStemClasses> slots{};
    for (auto& t : out.tracks) t.voice = slots[size_t(t.cls)]++;
    // 4. Events: channel messages except program/bank changes.
    for (const auto& e : midi.events) {
        const int route = trackRoute[size_t(e.track)];
        if (route < 0) continue;
        const int kind = e.kind();
        if (kind == 0xC0) continue;
        if (kind == 0xB0 && (e.data1 == 0 || e.data1 == 32)) continue;
        out.events.push_back({midi.secondsAt(e.tick), route, e.status, e.data1, e.data2});
    }
    // 5. Optional melody on its own "other" voice.
    if (recipe.melody && slots[size_t(StemClass::Other)] < 16) {
        RoutedTrack m;
        m.name = "Melody";
        m.midiChannel = -1;
        m.cls = StemClass::Other;
        m.program = recipe.otherProgram;
        m.voice = slots[size_t(StemClass::Other)]++;
        out.tracks.push_back(m);
        addMelody(out, int(out.tracks.size()) - 1, midi, recipe);
    }
    std::stable_sort(out.events.begin(), out.events.end(), [](const SynthEvent& a, const SynthEvent& b) {
        if (a.seconds != b.seconds) return a.seconds < b.seconds;
        auto off = [](const SynthEvent& e) { return (e.status & 0xF0) == 0x80 || ((e.status & 0xF0) == 0x90 && e.data2 == 0); };
        return off(a) && !off(b);
    });
    out.endSeconds = out.events.empty() ? 0.0 : out.events.back().seconds;
    return out;
}

Json routingToJson(const RoutedSong& song)
{
    Json arr = Json::array();
    for (const auto& t : song.tracks) {
        Json v = Json::object();
        v["track"] = t.name;
        v["midiChannel"] = t.midiChannel + 1;
        v["class"] = stemClassName(t.cls);
        v["program"] = t.program;
        v["notes"] = t.noteCount;
        arr.push_back(v);
    }
    return arr;
}

}  // namespace stemscope::corpus
