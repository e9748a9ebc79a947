#include "corpus/GrooveLibrary.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "corpus/CorpusTypes.h"
#include "corpus/MmaRunner.h"
#include "util/AsciiLower.h"

namespace fs = std::filesystem;

namespace stemscope::corpus {

namespace {

std::string upper(std::string s)
{
    for (auto& c : s) c = char(std::toupper((unsigned char)c));
    return s;
}
bool startsWith(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }
bool contains(const std::string& s, const std::string& p) { return s.find(p) != std::string::npos; }

std::vector<std::string> split(const std::string& s, char sep)
{
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, sep))
        if (!item.empty()) out.push_back(item);
    return out;
}
std::string join(const std::vector<std::string>& v, char sep)
{
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) out += (i ? std::string(1, sep) : "") + v[i];
    return out;
}

}  // namespace

TrackRole trackRole(const MidiTrackInfo& track)
{
    const std::string n = upper(track.name);
    if (startsWith(n, "DRUM") || track.channel == 9) return TrackRole::Drums;
    const bool bassProgram = track.firstProgram >= 32 && track.firstProgram <= 39;
    if (startsWith(n, "BASS") || startsWith(n, "WALK"))
        return (bassProgram || n == "BASS" || n == "WALK") ? TrackRole::Bass : TrackRole::Other;
    if (startsWith(n, "CHORD") || startsWith(n, "ARPEGGIO") || startsWith(n, "PLECTRUM"))
        return TrackRole::Accompaniment;
    return TrackRole::Other;
}

std::string grooveFamily(const std::string& stemIn)
{
    const std::string s = asciiLower(stemIn);
    struct Rule { const char* family; std::vector<const char*> keys; };
    static const std::vector<Rule> rules = {
        {"ballad", {"ballad", "lullaby", "hymn", "spiritual"}},
        {"blues", {"blues", "boggie", "shuffle"}},
        {"latin", {"bossa", "samba", "salsa", "mambo", "rhumba", "chacha", "bolero", "beguine", "tango", "merengue",
                   "calypso", "afro", "cuban", "desert", "latin"}},
        {"country-folk", {"country", "bluegrass", "folk", "western", "zydeco", "polka", "hillcountry"}},
        {"jazz-swing", {"jazz", "bebop", "swing", "bigband", "dixie", "evans", "gypsy", "softshoe", "strut",
                        "charleston", "foxtrot", "quickstep", "broadway", "showtune", "ragtime"}},
        {"waltz-march", {"waltz", "march"}},
        {"rnb-funk", {"funk", "soul", "rb", "fusion"}},
        {"rock-pop", {"rock", "twist", "ska", "trance", "8beat", "jive", "boneym", "arpeggio", "pop"}},
    };
    if (s == "son") return "latin";
    for (const auto& r : rules)
        for (const char* k : r.keys)
            if (contains(s, k)) return r.family;
    return "other";
}

GrooveFile parseGrooveFile(const std::string& path)
{
    GrooveFile g;
    g.path = path;
    g.stem = fs::path(path).stem().string();
    g.family = grooveFamily(g.stem);
    std::ifstream in(path);
    std::string line;
    std::vector<std::string> names;
    bool timeSeen = false;
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::string word, arg;
        ss >> word >> arg;
        const std::string w = upper(word);
        if (w == "DEFGROOVE" && !arg.empty()) names.push_back(arg);
        if (w == "TIME" && !timeSeen && !arg.empty() && std::isdigit((unsigned char)arg[0])) {
            g.beatsPerBar = std::max(1, std::atoi(arg.c_str()));
            timeSeen = true;
        }
    }
    for (const auto& n : names) {
        const std::string u = upper(n);
        if (contains(u, "INTRO")) g.intros.push_back(n);
        else if (contains(u, "END")) g.endings.push_back(n);
        else if (contains(u, "FILL")) g.fills.push_back(n);
        else g.body.push_back(n);
    }
    return g;
}

namespace {

// One mma run playing 4 bars of every body groove; keeps those with drums, bass and >= 2
// sounding chord-type tracks.
void vetGrooveFile(GrooveFile& g, const std::string& workDir)
{
    if (g.body.empty()) return;
    static const char* chords[] = {"C", "G", "Am", "F"};
    std::string text = "// groove vetting\nRndSeed 1\nTempo 120\n";
    for (const auto& b : g.body) {
        text += "Groove " + b + "\n";
        for (const char* c : chords) text += std::string(c) + "\n";
    }
    const std::string base = (fs::path(workDir) / ("vet-" + g.stem)).string();
    MidiSong song;
    try {
        runMma(text, base + ".mma", base + ".mid");
        song = readMidiFile(base + ".mid");
    } catch (const CorpusError&) {
        g.body.clear();
    }
    std::error_code ec;
    fs::remove(base + ".mma", ec);
    fs::remove(base + ".mid", ec);
    if (g.body.empty()) return;
    const int64_t barTicks = int64_t(g.beatsPerBar) * song.ticksPerQuarter;
    std::vector<std::string> kept;
    for (size_t i = 0; i < g.body.size(); ++i) {
        const int64_t t0 = int64_t(i) * 4 * barTicks, t1 = t0 + 4 * barTicks;
        std::map<int, int> notesPerTrack;
        for (const auto& e : song.events)
            if (e.tick >= t0 && e.tick < t1 && e.isNoteOn()) ++notesPerTrack[e.track];
        int drums = 0, bass = 0, accomp = 0;
        for (const auto& [track, notes] : notesPerTrack) {
            if (notes < 2) continue;
            switch (trackRole(song.tracks[size_t(track)])) {
            case TrackRole::Drums: ++drums; break;
            case TrackRole::Bass: ++bass; break;
            case TrackRole::Accompaniment: ++accomp; break;
            default: break;
            }
        }
        if (drums > 0 && bass > 0 && accomp >= 2) kept.push_back(g.body[i]);
    }
    g.body = kept;
}

}  // namespace

std::vector<GrooveFile> vettedGrooves(const std::string& libDir, const std::string& workDir, int jobs,
                                      const std::vector<std::string>& only, const std::string& cachePath)
{
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(libDir, ec)) {
        if (entry.path().extension() != ".mma") continue;
        const std::string stem = entry.path().stem().string();
        if (startsWith(asciiLower(stem), "metronome") || asciiLower(stem) == "none") continue;
        if (!only.empty() && std::find(only.begin(), only.end(), stem) == only.end()) continue;
        files.push_back(entry.path().string());
    }
    if (ec) throw CorpusError("cannot read the MMA groove library " + libDir + ": " + ec.message());
    std::sort(files.begin(), files.end());

    // Cache: one line per file: stem, family, beats, body, intros, fills, endings.
    std::map<std::string, GrooveFile> cached;
    if (!cachePath.empty()) {
        std::ifstream in(cachePath);
        std::string line;
        while (std::getline(in, line)) {
            std::vector<std::string> f;
            std::stringstream ss(line);
            std::string cell;
            while (std::getline(ss, cell, '\t')) f.push_back(cell);
            if (f.size() != 8) continue;
            GrooveFile g;
            g.path = f[0];
            g.stem = fs::path(f[0]).stem().string();
            g.family = f[1];
            g.beatsPerBar = std::atoi(f[2].c_str());
            g.body = split(f[3], ',');
            g.intros = split(f[4], ',');
            g.fills = split(f[5], ',');
            g.endings = split(f[6], ',');
            cached[g.path] = g;
        }
    }

    std::vector<GrooveFile> all(files.size());
    std::atomic<size_t> next{0};
    auto worker = [&] {
        for (size_t i; (i = next++) < files.size();) {
            auto it = cached.find(files[i]);
            if (it != cached.end()) { all[i] = it->second; continue; }
            all[i] = parseGrooveFile(files[i]);
            vetGrooveFile(all[i], workDir);
        }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < std::max(1, jobs); ++t) threads.emplace_back(worker);
    for (auto& t : threads) t.join();

    if (!cachePath.empty()) {
        std::ofstream out(cachePath, std::ios::trunc);
        for (const auto& g : all)
            out << g.path << '\t' << g.family << '\t' << g.beatsPerBar << '\t' << join(g.body, ',') << '\t'
                << join(g.intros, ',') << '\t' << join(g.fills, ',') << '\t' << join(g.endings, ',') << "\tv1\n";
    }
    std::vector<GrooveFile> usable;
    for (auto& g : all)
        if (!g.body.empty()) usable.push_back(std::move(g));
    return usable;
}

}  // namespace stemscope::corpus
