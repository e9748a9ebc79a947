#pragma once
// Batch rendering of a synthetic Slakh-style corpus (see docs/corpus.md): standard splits,
// parallel workers, resumable, progress callback and cancel flag (for the app's first start).
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace stemscope::corpus {

struct SplitSpec {
    std::string name;
    int songs = 0;
    uint64_t seed = 0;         // base seed; song i uses mixSeed(seed, i)
    double minSeconds = 30.0;  // nominal song length range
    double maxSeconds = 60.0;
    int minActiveSegments = 0; // each required class active in at least this many 3 s segments
};
// train (180), test (20), separation (1000), demo (24): disjoint base seeds and name prefixes.
const std::vector<SplitSpec>& standardSplits();
const SplitSpec& standardSplit(const std::string& name); // throws CorpusError for unknown names

struct CorpusOptions {
    std::string outDir;
    std::string prefix = "song"; // song folders are <prefix>-<index, 4 digits>
    std::string split;           // tag written to meta.json
    int songs = 0;
    int firstIndex = 0;
    uint64_t seed = 1;
    int jobs = 1;
    double minSeconds = 30.0, maxSeconds = 60.0;
    int minActiveSegments = 0; // per required class (train/test: 40)
    std::vector<std::string> grooves;     // restrict to these groove files (stems); empty = all vetted
    std::vector<std::string> soundfonts;  // empty = installedSoundfonts()
    int soundfontShift = 0;               // RecipeOptions::soundfontShift
};
CorpusOptions optionsForSplit(const SplitSpec& split, const std::string& outDir, int jobs = 1);

struct CorpusProgress {
    int done = 0, total = 0, skipped = 0, failed = 0;
    double audioSeconds = 0.0, elapsedSeconds = 0.0;
    std::string stage;    // "vetting grooves" | "rendering"
    std::string lastSong;
};
using CorpusProgressCallback = std::function<void(const CorpusProgress&)>;

struct CorpusReport {
    int rendered = 0, skipped = 0, failed = 0;
    double audioSeconds = 0.0, wallSeconds = 0.0;
    bool cancelled = false;
    std::vector<std::string> errors;
    double realTimeFactor() const { return wallSeconds > 0 ? audioSeconds / wallSeconds : 0.0; }
};

// Renders songs [firstIndex, firstIndex + songs). Songs whose folder is complete are skipped;
// the callback is called from worker threads (serialised) after each song. `cancel` stops
// after the songs in flight.
CorpusReport renderCorpus(const CorpusOptions& options, const CorpusProgressCallback& progress = {},
                          const std::atomic<bool>* cancel = nullptr);

// The demo library of the app's first start: the "demo" split into `outDir`.
CorpusReport renderDemoLibrary(const std::string& outDir, const CorpusProgressCallback& progress = {},
                               const std::atomic<bool>* cancel = nullptr, int jobs = 2);

}  // namespace stemscope::corpus
