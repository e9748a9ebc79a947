// `stemscope-cli corpus ...`: the synthetic Slakh-style multitrack corpus (docs/corpus.md):
// render / demo / stats / import.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <thread>
#include <iostream>
#include <mutex>

#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "corpus/CorpusBuilder.h"
#include "corpus/CorpusImport.h"
#include "corpus/CorpusStats.h"
#include "corpus/CorpusTypes.h"

namespace stemscope::cli {
namespace {

using namespace stemscope::corpus;

void drawBar(const CorpusProgress& p)
{
    static std::string lastStage;
    if (!lastStage.empty() && lastStage != p.stage) std::fprintf(stderr, "\n");
    lastStage = p.stage;
    constexpr int kWidth = 30;
    const double frac = p.total ? double(p.done) / p.total : 0.0;
    const int filled = int(frac * kWidth);
    const double speed = p.elapsedSeconds > 0 ? p.audioSeconds / p.elapsedSeconds : 0.0;
    std::fprintf(stderr, "\r%s [%s%s] %d/%d  %.1f min audio  %.1fx real time  %s   ", p.stage.c_str(),
                 std::string(size_t(filled), '#').c_str(), std::string(size_t(kWidth - filled), '.').c_str(), p.done,
                 p.total, p.audioSeconds / 60.0, speed, p.lastSong.c_str());
    std::fflush(stderr);
}

// Rendering is embarrassingly parallel (one song per job): all cores by default.
int defaultJobs() { return std::max(1, int(std::thread::hardware_concurrency())); }

int finish(const CorpusReport& r, const std::string& out)
{
    std::fprintf(stderr, "\n");
    std::cout << "rendered " << r.rendered << ", skipped (already complete) " << r.skipped << ", failed " << r.failed
              << (r.cancelled ? " (cancelled)" : "") << " -> " << out << "\n";
    std::cout << std::fixed << std::setprecision(1) << "audio " << r.audioSeconds / 60.0 << " min in "
              << r.wallSeconds << " s wall: " << std::setprecision(2) << r.realTimeFactor() << "x real time\n";
    for (const auto& e : r.errors) std::cerr << "error: " << e << "\n";
    return r.failed ? 3 : 0;
}

int runRender(int argc, char** argv)
{
    CliArgs args(argc, argv);
    const std::string out = args.get("out");
    if (out.empty()) throw UsageError("--out DIR is required");
    const int jobs = args.getInt("jobs", defaultJobs());
    CorpusOptions o;
    if (args.has("split")) {
        o = optionsForSplit(standardSplit(args.get("split")), out, jobs);
        if (args.has("songs")) o.songs = args.getInt("songs", o.songs);
        if (args.has("seed")) throw UsageError("--seed and --split are exclusive (each split has its own seed)");
    } else {
        if (!args.has("songs")) throw UsageError("--songs N is required without --split");
        o.outDir = out;
        o.songs = args.getInt("songs", 0);
        o.seed = uint64_t(std::stoull(args.get("seed", "1")));
        o.prefix = "s" + std::to_string(o.seed);
        o.jobs = jobs;
    }
    o.firstIndex = args.getInt("first", 0);
    o.minSeconds = args.getDouble("min-seconds", o.minSeconds);
    o.maxSeconds = args.getDouble("max-seconds", o.maxSeconds);
    o.minActiveSegments = args.getInt("min-active-segments", o.minActiveSegments);
    if (args.has("grooves")) o.grooves = splitList(args.get("grooves"));
    if (args.has("soundfonts")) {
        // Same recipes (the soundfont is the recipe's last draw), other instrument sounds: the
        // unseen-soundfont check of docs/results/focus-on-mixes.md.
        o.soundfonts = splitList(args.get("soundfonts"));
        for (const auto& f : o.soundfonts)
            if (!std::filesystem::is_regular_file(std::filesystem::u8path(f)))
                throw UsageError("--soundfonts: no such soundfont file: " + f);
    }
    o.soundfontShift = args.getInt("soundfont-shift", 0);
    if (o.soundfontShift < 0) throw UsageError("--soundfont-shift takes a count >= 0");
    if (o.songs <= 0) throw UsageError("--songs must be positive");
    if (o.maxSeconds < o.minSeconds) throw UsageError("--max-seconds < --min-seconds");
    return finish(renderCorpus(o, drawBar), out);
}

int runDemo(int argc, char** argv)
{
    CliArgs args(argc, argv);
    const std::string out = args.get("out");
    if (out.empty()) throw UsageError("--out DIR is required");
    return finish(renderDemoLibrary(out, drawBar, nullptr, args.getInt("jobs", defaultJobs())), out);
}

int runStats(int argc, char** argv)
{
    CliArgs args(argc, argv);
    if (args.positional().size() != 1) throw UsageError("expected exactly one corpus folder");
    try {
        std::cout << corpusStatsReport(args.positional()[0]);
    } catch (const CorpusError& e) {
        std::cerr << e.what() << "\n";
        return 3;
    }
    return 0;
}

int runImport(int argc, char** argv)
{
    CliArgs args(argc, argv);
    if (args.positional().size() != 1) throw UsageError("expected exactly one source folder");
    const std::string out = args.get("out");
    if (out.empty()) throw UsageError("--out DIR is required");
    ImportReport r;
    try {
        r = importMultitracks(args.positional()[0], out, [](int done, int total, const std::string& song) {
            std::fprintf(stderr, "\rimport %d/%d %s   ", done, total, song.c_str());
            std::fflush(stderr);
        });
    } catch (const CorpusError& e) {
        std::cerr << e.what() << "\n";
        return 3;
    }
    std::fprintf(stderr, "\n");
    std::cout << "imported " << r.imported << ", skipped (already complete) " << r.skipped << ", failed " << r.failed
              << " -> " << out << "\n";
    for (const auto& e : r.errors) std::cerr << "error: " << e << "\n";
    return r.failed ? 3 : 0;
}

const CommandRegistration regRender(
    {"corpus render", "render a synthetic multitrack corpus (MMA grooves + fluidsynth, per-class stems)",
     "stemscope-cli corpus render --out DIR (--split train|test|separation|demo | --songs N [--seed S])\n"
     "                            [--jobs J] [--first I] [--min-seconds A --max-seconds B] [--grooves a,b]\n"
     "                            [--soundfonts A.sf2,B.sf3] [--soundfont-shift N]\n"
     "  --split   a standard split (own seed and song count, see docs/corpus.md); --songs overrides the count\n"
     "  --songs   number of songs (folders <prefix>-0000...); --seed S: base seed (default 1, prefix sS)\n"
     "  --jobs    worker threads (default: one per core)\n"
     "  --first   index of the first song (default 0)\n"
     "  --grooves restrict to these MMA groove files (e.g. 50srock,bossanova)\n"
     "  --soundfonts draw each song's soundfont from these files instead of the three installed GM ones\n"
     "            (the songs' music stays the same: only the instrument sounds change)\n"
     "  --soundfont-shift N  play each song with the soundfont N places after its drawn one (the same music\n"
     "            with other sounds: render a split again into another folder for train-mix --twins)\n"
     "  --min-active-segments K  each of drums/bass/piano/guitar active in >= K 3 s segments (train/test: 40)\n"
     "Each song folder: drums/bass/piano/guitar/other.flac, mix.flac (exact sum), meta.json, song.mma/.mid.\n"
     "Complete folders are skipped, so an interrupted run resumes.",
     runRender});
const CommandRegistration regDemo({"corpus demo", "render the small demo library (24 songs of ~30 s)",
                                   "stemscope-cli corpus demo --out DIR [--jobs J]", runDemo});
const CommandRegistration regStats({"corpus stats", "print statistics of a corpus folder (markdown)",
                                    "stemscope-cli corpus stats DIR", runStats});
const CommandRegistration regImport(
    {"corpus import", "import your own multitrack folders into the corpus layout",
     "stemscope-cli corpus import SRC --out DIR\n"
     "  SRC holds one folder per song with drums.*, bass.*, piano.*, guitar.* (required), other.*, mix.*\n"
     "  (optional; without a mix the stems are summed), in any format the decoder reads.",
     runImport});

}  // namespace
}  // namespace stemscope::cli
