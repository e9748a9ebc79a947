#include "corpus/SongRecipe.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "corpus/CorpusTypes.h"

namespace stemscope::corpus {

using Json = nlohmann::ordered_json;

namespace {

const char* kNoteNames[12] = {"C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};

// Scale-degree chords. Quality: "" major, "m" minor, "7" dominant, "maj7", "m7", "dim".
struct Degree { int semitones; const char* triad; const char* seventh; };
const Degree kMajor[7] = {{0, "", "maj7"}, {2, "m", "m7"}, {4, "m", "m7"}, {5, "", "maj7"},
                          {7, "", "7"},    {9, "m", "m7"}, {11, "dim", "m7b5"}};
const Degree kMinor[7] = {{0, "m", "m7"}, {2, "dim", "m7b5"}, {3, "", "maj7"}, {5, "m", "m7"},
                          {7, "m", "7"},  {8, "", "maj7"},    {10, "", "7"}};

// Progressions as 0-based scale degrees, one chord per bar.
const std::vector<std::vector<int>> kMajorProgressions = {
    {0, 4, 5, 3}, {0, 5, 3, 4}, {1, 4, 0, 0}, {0, 3, 0, 4}, {5, 3, 0, 4}, {0, 3, 4, 3},
    {0, 0, 3, 3, 0, 0, 4, 4}, {0, 2, 3, 4}, {0, 4, 3, 4}, {0, 1, 4, 0}};
const std::vector<std::vector<int>> kMinorProgressions = {
    {0, 5, 2, 6}, {0, 3, 4, 0}, {0, 6, 5, 6}, {0, 3, 6, 2}, {0, 0, 3, 4}, {0, 5, 3, 4}};
const std::vector<int> kBlues = {0, 0, 0, 0, 3, 3, 0, 0, 4, 3, 0, 4};

std::string chordName(int keyPc, bool minor, int degree, bool sevenths, bool bluesDominant)
{
    const Degree& d = (minor ? kMinor : kMajor)[degree % 7];
    std::string quality = sevenths ? d.seventh : d.triad;
    if (bluesDominant) quality = minor ? "m7" : "7";
    return std::string(kNoteNames[(keyPc + d.semitones) % 12]) + quality;
}

struct TempoRange { int lo, hi; };
TempoRange tempoRange(const std::string& stem, const std::string& family)
{
    auto has = [&](const char* k) { return stem.find(k) != std::string::npos; };
    if (has("slow") || family == "ballad" || has("lullaby")) return {62, 88};
    if (has("fast") || has("quick") || has("bebop") || has("jive") || has("bluegrass")) return {150, 196};
    if (family == "waltz-march") return {96, 150};
    if (family == "latin") return {96, 140};
    return {88, 140};
}

}  // namespace

int SongRecipe::totalBars() const
{
    int n = 0;
    for (const auto& s : sections) n += int(s.chords.size());
    return n;
}

std::vector<std::string> installedSoundfonts()
{
    std::vector<std::string> out;
    for (const char* p : {"/usr/share/sounds/sf2/FluidR3_GM.sf2", "/usr/share/sounds/sf3/MuseScore_General_Lite.sf3",
                          "/usr/share/sounds/sf2/TimGM6mb.sf2"}) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(p, ec)) out.push_back(p);
    }
    return out;
}

SongRecipe drawRecipe(uint64_t seed, const std::vector<GrooveFile>& grooves, const RecipeOptions& options)
{
    if (grooves.empty()) throw CorpusError("no usable MMA grooves (is the Debian package 'mma' installed?)");
    if (options.soundfonts.empty()) throw CorpusError("no General MIDI soundfont found");
    Rng rng(seed);
    SongRecipe r;
    r.seed = seed;
    // Style family first (uniform over families), then a groove within it: keeps the tag
    // distribution balanced although the library has many more jazz than country grooves.
    std::vector<std::string> families;
    for (const auto& g : grooves)
        if (std::find(families.begin(), families.end(), g.family) == families.end()) families.push_back(g.family);
    std::sort(families.begin(), families.end());
    const std::string family = rng.pick(families);
    std::vector<const GrooveFile*> inFamily;
    for (const auto& g : grooves)
        if (g.family == family) inFamily.push_back(&g);
    const GrooveFile& g = *inFamily[size_t(rng.next() % inFamily.size())];
    r.grooveFile = g.stem;
    r.family = g.family;
    r.beatsPerBar = g.beatsPerBar;
    const TempoRange tr = tempoRange(g.stem, g.family);
    r.tempo = rng.uniformInt(tr.lo, tr.hi);
    const bool minor = g.family != "blues" && rng.chance(0.3);
    const int keyPc = rng.uniformInt(0, 11);
    r.key = kNoteNames[keyPc];
    r.mode = minor ? "minor" : "major";
    const bool sevenths = g.family == "jazz-swing" || (g.family == "latin" && rng.chance(0.5)) || rng.chance(0.15);
    const bool blues = g.family == "blues";

    const auto& progs = minor ? kMinorProgressions : kMajorProgressions;
    const std::vector<int> verseProg = blues ? kBlues : rng.pick(progs);
    const std::vector<int> chorusProg = blues ? kBlues : rng.pick(progs);
    auto chordsFor = [&](const std::vector<int>& prog, int bars, int offset) {
        std::vector<std::string> out;
        for (int b = 0; b < bars; ++b)
            out.push_back(chordName(keyPc, minor, prog[size_t(b + offset) % prog.size()], sevenths, blues));
        return out;
    };

    // Form: [intro] (verse chorus [fill])... ending, sized to the drawn target length.
    const double secPerBar = r.beatsPerBar * 60.0 / r.tempo;
    const double target = options.minSeconds + rng.uniform() * (options.maxSeconds - options.minSeconds);
    const int totalBars = std::max(4, int(std::lround(target / secPerBar)));
    const std::string verseGroove = rng.pick(g.body);
    const std::string chorusGroove = g.body.size() > 1 && rng.chance(0.7) ? rng.pick(g.body) : verseGroove;
    int bars = 0;
    auto add = [&](const std::string& kind, const std::string& groove, std::vector<std::string> chords) {
        bars += int(chords.size());
        r.sections.push_back({kind, groove, std::move(chords)});
    };
    const int endingBars = g.endings.empty() ? 0 : (totalBars >= 12 ? 2 : 1);
    if (!g.intros.empty() && totalBars >= 12) {
        const int n = totalBars >= 24 && rng.chance(0.5) ? 4 : 2;
        add("intro", rng.pick(g.intros), chordsFor(verseProg, n, 0));
    }
    bool chorus = false;
    const int blockBars = blues ? 12 : (rng.chance(0.5) ? 8 : 4);
    while (bars < totalBars - endingBars) {
        int n = std::min(blockBars, totalBars - endingBars - bars);
        const bool fill = !g.fills.empty() && n == blockBars && n >= 4 && rng.chance(0.6);
        if (fill) --n;
        add(chorus ? "chorus" : "verse", chorus ? chorusGroove : verseGroove,
            chordsFor(chorus ? chorusProg : verseProg, n, 0));
        if (fill) add("fill", rng.pick(g.fills), chordsFor(chorus ? chorusProg : verseProg, 1, n));
        chorus = !chorus;
    }
    if (endingBars) add("ending", rng.pick(g.endings), std::vector<std::string>(size_t(endingBars), chordName(keyPc, minor, 0, false, false)));

    r.pianoProgram = rng.uniformInt(0, 7);
    r.guitarProgram = rng.uniformInt(24, 31);
    r.bassProgram = rng.uniformInt(32, 39);
    // "Other" melody voices: organ, strings, ensemble, brass, reeds, pipes, leads, chromatic perc.
    static const std::vector<int> otherVoices = {11, 12, 16, 17, 19, 21, 22, 40, 41, 42, 48, 49, 52, 56, 57, 60,
                                                 61, 64, 65, 66, 68, 71, 73, 74, 75, 80, 81, 82, 88, 89};
    r.otherProgram = rng.pick(otherVoices);
    r.melody = rng.chance(0.6);
    static const std::vector<int> kits = {0, 0, 8, 16, 24, 25, 32, 40};
    r.drumKit = rng.pick(kits);
    const size_t n = options.soundfonts.size();
    r.soundfont = options.soundfonts.at((size_t(rng.next() % n) + size_t(std::max(0, options.soundfontShift))) % n);
    return r;
}

std::string recipeToMma(const SongRecipe& r)
{
    std::string t;
    t += "// Stemscope corpus recipe, seed " + std::to_string(r.seed) + "\n";
    t += "// groove file " + r.grooveFile + " (" + r.family + "), key " + r.key + " " + r.mode + "\n";
    t += "RndSeed " + std::to_string(r.seed % 1000000007ULL) + "\n";
    t += "Tempo " + std::to_string(r.tempo) + "\n";
    t += "KeySig " + r.key + (r.mode == "minor" ? " minor" : " major") + "\n";
    int bar = 1;
    for (const auto& s : r.sections) {
        t += "\n// " + s.kind + "\nGroove " + s.groove + "\n";
        for (const auto& c : s.chords) t += std::to_string(bar++) + " " + c + "\n";
    }
    return t;
}

Json recipeToJson(const SongRecipe& r)
{
    Json v = Json::object();
    v["seed"] = r.seed;
    v["grooveFile"] = r.grooveFile;
    v["family"] = r.family;
    v["beatsPerBar"] = r.beatsPerBar;
    v["tempo"] = r.tempo;
    v["key"] = r.key;
    v["mode"] = r.mode;
    v["bars"] = r.totalBars();
    Json sections = Json::array();
    for (const auto& s : r.sections) {
        Json sv = Json::object();
        sv["kind"] = s.kind;
        sv["groove"] = s.groove;
        Json chords = Json::array();
        for (const auto& c : s.chords) chords.push_back(c);
        sv["chords"] = chords;
        sections.push_back(sv);
    }
    v["sections"] = sections;
    Json programs = Json::object();
    programs["piano"] = r.pianoProgram;
    programs["guitar"] = r.guitarProgram;
    programs["bass"] = r.bassProgram;
    programs["other"] = r.otherProgram;
    programs["drumKit"] = r.drumKit;
    v["programs"] = programs;
    v["melody"] = r.melody;
    v["soundfont"] = std::filesystem::path(r.soundfont).filename().string();
    return v;
}

}  // namespace stemscope::corpus
