#include "corpus/CorpusBuilder.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

#include "corpus/CorpusTypes.h"
#include "corpus/GrooveLibrary.h"
#include "corpus/MmaRunner.h"
#include "corpus/SongRecipe.h"
#include "corpus/SongRenderer.h"

namespace fs = std::filesystem;

namespace stemscope::corpus {

const std::vector<SplitSpec>& standardSplits()
{
    // >= 61.5 s gives >= 40 segments of 3 s at 1.5 s hop per class for train/test.
    static const std::vector<SplitSpec> splits = {
        {"train", 180, 0x5354454D31303031ULL, 70.0, 82.0, 40},
        {"test", 20, 0x5354454D32303032ULL, 70.0, 82.0, 40},
        {"separation", 1000, 0x5354454D33303033ULL, 30.0, 60.0, 0},
        {"demo", 24, 0x5354454D34303034ULL, 28.0, 32.0, 0},
    };
    return splits;
}

const SplitSpec& standardSplit(const std::string& name)
{
    for (const auto& s : standardSplits())
        if (s.name == name) return s;
    throw CorpusError("unknown split '" + name + "' (train, test, separation, demo)");
}

CorpusOptions optionsForSplit(const SplitSpec& split, const std::string& outDir, int jobs)
{
    CorpusOptions o;
    o.outDir = outDir;
    o.prefix = split.name;
    o.split = split.name;
    o.songs = split.songs;
    o.seed = split.seed;
    o.jobs = jobs;
    o.minSeconds = split.minSeconds;
    o.maxSeconds = split.maxSeconds;
    o.minActiveSegments = split.minActiveSegments;
    return o;
}

CorpusReport renderCorpus(const CorpusOptions& options, const CorpusProgressCallback& progress,
                          const std::atomic<bool>* cancel)
{
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
    CorpusReport report;
    if (options.outDir.empty()) throw CorpusError("no output folder");
    if (!mmaAvailable()) throw CorpusError("the 'mma' program is not installed (Debian package 'mma')");
    fs::create_directories(options.outDir);
    const int jobs = std::max(1, options.jobs);
    std::mutex mutex;
    CorpusProgress state;
    state.total = options.songs;
    state.stage = "vetting grooves";
    if (progress) progress(state);

    const fs::path work = fs::path(options.outDir) / ".work";
    fs::create_directories(work);
    std::string cacheName = ".grooves-v1";
    for (const auto& g : options.grooves) cacheName += "-" + g;
    const auto grooves = vettedGrooves(defaultMmaLibraryDir(), work.string(), jobs, options.grooves,
                                       (fs::path(options.outDir) / (cacheName + ".tsv")).string());
    if (grooves.empty()) throw CorpusError("no usable MMA grooves in " + defaultMmaLibraryDir());
    RecipeOptions recipe;
    recipe.minSeconds = options.minSeconds;
    recipe.maxSeconds = options.maxSeconds;
    recipe.soundfonts = options.soundfonts.empty() ? installedSoundfonts() : options.soundfonts;
    recipe.soundfontShift = options.soundfontShift;
    if (recipe.soundfonts.empty())
        throw CorpusError("no General MIDI soundfont installed (fluid-soundfont-gm, timgm6mb-soundfont, "
                          "musescore-general-soundfont-small)");

    state.stage = "rendering";
    if (progress) progress(state);
    std::atomic<int> next{0};
    auto worker = [&] {
        for (int i; (i = next++) < options.songs;) {
            if (cancel && cancel->load()) {
                std::lock_guard<std::mutex> lock(mutex);
                report.cancelled = true;
                return;
            }
            char name[64];
            std::snprintf(name, sizeof name, "%s-%04d", options.prefix.c_str(), options.firstIndex + i);
            SongJob job;
            job.name = name;
            job.split = options.split;
            job.seed = mixSeed(options.seed, uint64_t(options.firstIndex + i));
            job.outDir = options.outDir;
            job.recipe = recipe;
            job.grooves = &grooves;
            job.minActiveSegments = options.minActiveSegments;
            SongResult r;
            try {
                r = renderSong(job);
            } catch (const std::exception& e) {
                r.error = std::string(name) + ": " + e.what();
            }
            std::lock_guard<std::mutex> lock(mutex);
            if (r.skipped) ++report.skipped, ++state.skipped;
            else if (r.ok) ++report.rendered;
            else {
                ++report.failed, ++state.failed;
                report.errors.push_back(r.error);
            }
            report.audioSeconds += r.audioSeconds;
            state.audioSeconds += r.audioSeconds;
            ++state.done;
            state.lastSong = name;
            state.elapsedSeconds = elapsed();
            if (progress) progress(state);
        }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < jobs; ++t) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
    std::error_code ec;
    fs::remove_all(work, ec);
    report.wallSeconds = elapsed();
    return report;
}

CorpusReport renderDemoLibrary(const std::string& outDir, const CorpusProgressCallback& progress,
                               const std::atomic<bool>* cancel, int jobs)
{
    return renderCorpus(optionsForSplit(standardSplit("demo"), outDir, jobs), progress, cancel);
}

}  // namespace stemscope::corpus
