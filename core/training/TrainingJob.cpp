#include "training/TrainingJob.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "audio/AudioDecoder.h"
#include "embedding/TrackEmbedding.h"
#include "instrsim/FeatureSet.h"
#include "ranking/RankCorpus.h"
#include "separation/Separator.h"
#include "training/LibraryCorpus.h"
#include "util/JsonFile.h"
#include "util/AsciiLower.h"

namespace stemscope::training {
namespace fs = std::filesystem;

const char* dataSourceName(DataSource s)
{
    switch (s) {
    case DataSource::Multitrack: return "multitrack";
    case DataSource::Mixes: return "mixes";
    case DataSource::LibraryTags: return "library-tags";
    }
    return "multitrack";
}
const char* trainModeName(TrainMode m) { return m == TrainMode::RankedList ? "ranked-list" : "track-triplets"; }
const char* frontEndName(FrontEnd f) { return f == FrontEnd::Cqt ? "cqt" : "mel"; }
const char* poolingName(Pooling p) { return p == Pooling::AutoPool ? "autopool" : "max"; }

std::optional<DataSource> dataSourceFromName(const std::string& s)
{
    for (auto v : {DataSource::Multitrack, DataSource::Mixes, DataSource::LibraryTags})
        if (s == dataSourceName(v)) return v;
    return std::nullopt;
}
std::optional<TrainMode> trainModeFromName(const std::string& s)
{
    for (auto v : {TrainMode::TrackTriplets, TrainMode::RankedList})
        if (s == trainModeName(v)) return v;
    return std::nullopt;
}
std::optional<FrontEnd> frontEndFromName(const std::string& s)
{
    for (auto v : {FrontEnd::Mel, FrontEnd::Cqt})
        if (s == frontEndName(v)) return v;
    return std::nullopt;
}
std::optional<Pooling> poolingFromName(const std::string& s)
{
    for (auto v : {Pooling::Max, Pooling::AutoPool})
        if (s == poolingName(v)) return v;
    return std::nullopt;
}

ModelSpec TrainingJob::modelSpec() const
{
    ModelSpec s;
    s.bands = bands;
    s.dim = dim;
    s.channels = channels;
    return s;
}

int TrainingJob::rankHoldoutEvery() const
{
    const double f = std::clamp(testFraction, 0.05, 0.5);
    return std::max(2, int(std::lround(1.0 / f)));
}

std::string TrainingJob::paramsJson() const
{
    // Reals at six significant digits, as this was always printed.
    nlohmann::ordered_json o = {{"source", dataSourceName(source)},
                                {"data", dataDir},
                                {"focus", focusName(focus)},
                                {"mode", trainModeName(mode)},
                                {"front_end", frontEndName(frontEnd)},
                                {"pooling", poolingName(pooling)},
                                {"test_fraction", jsonRounded(testFraction)},
                                {"seed", seed}};
    if (mode == TrainMode::TrackTriplets) {
        o["mining"] = tripletMiningName(mining);
        o["epochs"] = epochs;
        o["lr"] = jsonRounded(learningRate);
        o["margin"] = jsonRounded(margin);
        o["batch"] = batchSize;
        o["songs_per_batch"] = songsPerBatch;
        o["max_segments"] = maxSegmentsPerSong;
        o["model"] = modelSpec().describe();
    } else {
        o["mining"] = miningName(rankMining);
        o["epochs"] = epochs;
        o["steps_per_epoch"] = rankStepsPerEpoch;
        o["batch"] = rankBatchSize;
        o["lr"] = jsonRounded(learningRate);
        o["margin"] = jsonRounded(rankMargin);
        o["width"] = rankWidth;
        o["holdout_every"] = rankHoldoutEvery();
    }
    // Flat, so joined by hand in the old spacing ({"k": v, ...}): this text keys defaultWorkDir(),
    // and a checkpoint written before must still be found after an upgrade.
    std::string out = "{";
    for (const auto& el : o.items())
        out += (out.size() > 1 ? ", " : "") + dumpJson(el.key()) + ": " + dumpJson(el.value());
    return out + "}";
}

SongSplit splitSongs(std::vector<std::string> songs, double testFraction, uint64_t seed)
{
    std::sort(songs.begin(), songs.end());
    std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + 12345);
    // Fisher-Yates with our own index draws: identical on every standard library.
    for (size_t i = songs.size(); i > 1; --i) {
        const size_t j = size_t(rng() % i);
        std::swap(songs[i - 1], songs[j]);
    }
    const int n = int(songs.size());
    const int nTest = std::min(n, std::max(kMinTestSongs, int(std::lround(n * std::clamp(testFraction, 0.0, 1.0)))));
    SongSplit s;
    s.test.assign(songs.begin(), songs.begin() + nTest);
    s.train.assign(songs.begin() + nTest, songs.end());
    std::sort(s.test.begin(), s.test.end());
    std::sort(s.train.begin(), s.train.end());
    return s;
}

std::string Validation::text() const
{
    std::string t;
    for (const auto& e : errors) t += e + "\n";
    for (const auto& w : warnings) t += "Note: " + w + "\n";
    return t;
}

std::uintmax_t estimateNeededBytes(const TrainingJob& job, int songs)
{
    std::uintmax_t features;
    if (job.mode == TrainMode::TrackTriplets)
        features = std::uintmax_t(songs) * std::uintmax_t(std::max(1, job.maxSegmentsPerSong)) * 129u *
                   std::uintmax_t(std::max(1, job.bands)) * 4u;
    else
        features = std::uintmax_t(songs) * 96u * 4u * 44100u / 1024u * 300u; // ~5 min of CQT per song
    const std::uintmax_t models = 4u * 20u * 1024u * 1024u;                    // model, epoch model, checkpoint (+ Adam)
    return features + models + 64u * 1024u * 1024u;                           // margin
}

namespace {
std::string cacheBase()
{
    if (const char* e = std::getenv("STEMSCOPE_TRAINING_DIR"); e && *e) return e;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/stemscope/training";
    if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/stemscope/training";
    return ".stemscope-training";
}

uint64_t fnv(const std::string& s)
{
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
}

std::string lowerExt(const fs::path& p)
{
    return asciiLower(p.extension().string());
}

std::string joinShort(const std::vector<std::string>& v, size_t max = 5)
{
    std::string r;
    for (size_t i = 0; i < v.size() && i < max; ++i) r += (i ? ", " : "") + v[i];
    if (v.size() > max) r += ", ... (" + std::to_string(v.size() - max) + " more)";
    return r;
}

// The mixes of a mixes folder: audio files directly inside it, or song folders holding mix.*.
std::vector<std::pair<std::string, std::string>> listMixes(const std::string& dir, const AudioDecoder& dec)
{
    std::vector<std::pair<std::string, std::string>> out;
    const auto exts = dec.supportedExtensions();
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(fs::u8path(dir), ec)) {
        if (e.is_regular_file() && std::find(exts.begin(), exts.end(), lowerExt(e.path())) != exts.end())
            out.emplace_back(e.path().stem().u8string(), e.path().u8string());
        else if (e.is_directory()) {
            const auto mix = stemFileFor(e.path().u8string(), Focus::Mix);
            if (!mix.empty()) out.emplace_back(e.path().filename().u8string(), mix);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}
}  // namespace

std::string defaultWorkDir(const TrainingJob& job)
{
    // Only what shapes the checkpoint: the same job after a restart finds its checkpoint again.
    std::string dataName = fs::u8path(job.dataDir).lexically_normal().filename().u8string();
    if (dataName.empty()) dataName = fs::u8path(job.dataDir).lexically_normal().parent_path().filename().u8string();
    if (dataName.empty()) dataName = "data";
    std::string key = fs::absolute(fs::u8path(job.dataDir)).lexically_normal().u8string() + "|" + job.paramsJson();
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", (unsigned long long)fnv(key));
    return cacheBase() + "/" + dataName + "-" + focusName(job.focus) + "-" + trainModeName(job.mode) + "-" +
           std::string(hex).substr(0, 10);
}

std::string workDirOf(const TrainingJob& job) { return job.workDir.empty() ? defaultWorkDir(job) : job.workDir; }

std::string effectiveDataDir(const TrainingJob& job)
{
    if (job.source != DataSource::LibraryTags) return job.dataDir;
    return (fs::u8path(workDirOf(job)) / "library-corpus").u8string();
}

Validation validateJob(const TrainingJob& job, const ValidationEnv& env)
{
    Validation v;
    const auto decoder = env.decoder ? env.decoder : defaultAudioDecoder();
    std::error_code ec;

    // --- combinations
    if (job.mode == TrainMode::TrackTriplets && job.frontEnd != FrontEnd::Mel)
        v.errors.push_back("Track-based triplets train the instrument-similarity CNN, which reads log-mel "
                           "segments: choose the mel front-end (CQT goes with ranked lists).");
    if (job.mode == TrainMode::TrackTriplets && job.pooling != Pooling::Max)
        v.errors.push_back("Auto-pool is a ranked-list option: the track-triplet CNN pools with mean + max.");
    if (job.mode == TrainMode::RankedList && job.frontEnd != FrontEnd::Cqt)
        v.errors.push_back("Ranked-list training reads CQT patches: choose the CQT front-end.");
    if (job.mode == TrainMode::RankedList && job.source == DataSource::Mixes)
        v.errors.push_back("Ranked-list training needs tagged song folders: choose a multitrack folder with tags.");
    if (job.epochs < 1) v.errors.push_back("Epochs must be at least 1.");
    if (job.learningRate <= 0 || job.learningRate > 1) v.errors.push_back("The learning rate must be in (0, 1].");
    if (job.testFraction <= 0 || job.testFraction >= 0.75)
        v.errors.push_back("The test share must be between 0 and 75 % of the songs.");
    if (job.mode == TrainMode::TrackTriplets && (job.batchSize < 2 || job.maxSegmentsPerSong < 2))
        v.errors.push_back("Batch size and segments per song must be at least 2.");

    // --- data
    std::string dataDir = job.dataDir;
    if (job.source == DataSource::LibraryTags) {
        if (job.dataDir.empty() || !fs::is_regular_file(fs::u8path(job.dataDir), ec)) {
            v.errors.push_back("No library is open to train from" +
                               (job.dataDir.empty() ? std::string(".") : " (" + job.dataDir + " is not a library file)."));
            return v;
        }
        dataDir = effectiveDataDir(job);
        try {
            const auto rep = exportLibraryCorpus(job.dataDir, dataDir);
            for (const auto& p : rep.problems) v.warnings.push_back("left out: " + p);
            if (job.mode == TrainMode::RankedList && rep.tagged == 0)
                v.errors.push_back("No track of the library has tags (genre, style or tags), so there is nothing to "
                                   "rank by. Tag tracks, or choose track-based triplets.");
        } catch (const std::exception& e) {
            v.errors.push_back(std::string("Could not read the library: ") + e.what());
            return v;
        }
    } else if (job.dataDir.empty() || !fs::is_directory(fs::u8path(job.dataDir), ec)) {
        v.errors.push_back("The data folder " + (job.dataDir.empty() ? std::string("(none chosen)") : job.dataDir) +
                           " is not a folder.");
        return v;
    }

    std::vector<std::string> candidates;
    std::vector<std::pair<std::string, std::string>> files;  // song -> file to check
    std::vector<std::string> missing, silent, unreadable, untagged;
    if (job.source == DataSource::Mixes) {
        if (!env.separator) {
            v.errors.push_back("Mixes must be separated into stems first, and no separator model is installed "
                               "(<models>/separator). Use a multitrack folder, or install a separator.");
            return v;
        }
        if (job.focus != Focus::Mix) {
            const auto names = env.separator->stemNames();
            if (std::find(names.begin(), names.end(), focusName(job.focus)) == names.end())
                v.errors.push_back(std::string("The installed separator has no ") + focusName(job.focus) + " stem.");
        }
        for (const auto& [song, file] : listMixes(job.dataDir, *decoder)) {
            candidates.push_back(song);
            files.emplace_back(song, file);
        }
    } else {
        std::vector<std::string> tagged;
        if (job.mode == TrainMode::RankedList) {
            try {
                for (const auto& s : scanRankCorpus(dataDir)) tagged.push_back(s.name);
            } catch (const std::exception& e) {
                v.errors.push_back(e.what());
            }
        }
        for (const auto& song : listCorpusSongs(dataDir)) {
            candidates.push_back(song);
            if (job.mode == TrainMode::RankedList && std::find(tagged.begin(), tagged.end(), song) == tagged.end()) {
                untagged.push_back(song);
                continue;
            }
            const auto file = stemFileFor((fs::u8path(dataDir) / fs::u8path(song)).u8string(), job.focus);
            if (file.empty()) missing.push_back(song);
            else files.emplace_back(song, file);
        }
    }
    if (candidates.empty()) {
        v.errors.push_back("No songs found in " + dataDir +
                           (job.source == DataSource::Mixes
                                ? std::string(": expected audio files (one mix per song) or song folders with mix.*.")
                                : std::string(": expected one folder per song holding mix.*, drums.*, bass.*, "
                                              "piano.*, guitar.*.")));
        return v;
    }

    // --- audio: empty, unreadable or silent files
    const double threshold = std::pow(10.0, env.silenceDb / 20.0);
    for (const auto& [song, file] : files) {
        if (fs::file_size(fs::u8path(file), ec) == 0 || ec) {
            unreadable.push_back(song + " (empty file)");
            continue;
        }
        if (!env.checkAudio) {
            v.songs.push_back(song);
            continue;
        }
        try {
            DecodeOptions o;
            o.targetSampleRate = 22050;
            const auto audio = decoder->decodeMono(file, o);
            float peak = 0;
            for (float x : audio.samples) peak = std::max(peak, std::abs(x));
            if (audio.samples.empty() || peak < threshold) silent.push_back(song);
            else v.songs.push_back(song);
        } catch (const std::exception& e) {
            unreadable.push_back(song + " (" + e.what() + ")");
        }
    }

    const std::string stem = job.focus == Focus::Mix ? "mix" : std::string(focusName(job.focus)) + " stem";
    auto report = [&](const std::vector<std::string>& list, const std::string& what) {
        if (list.empty()) return;
        const std::string line = std::to_string(list.size()) + (list.size() == 1 ? " song " : " songs ") + what +
                                 ": " + joinShort(list);
        if (job.skipIncompleteSongs) v.warnings.push_back(line + " - left out.");
        else v.errors.push_back(line + ".");
        for (const auto& s : list) v.skipped.push_back(s);
    };
    report(missing, "have no " + stem + " (" + focusName(job.focus) + ".flac / .wav / .ogg)");
    report(silent, "have a silent " + stem + " (peak below " + std::to_string(int(env.silenceDb)) + " dBFS)");
    report(unreadable, "have an unreadable " + stem);
    if (!untagged.empty()) {
        v.warnings.push_back(std::to_string(untagged.size()) + " songs have no tags (meta.json or tags.txt) and are "
                             "left out of ranked-list training: " + joinShort(untagged));
        for (const auto& s : untagged) v.skipped.push_back(s);
    }

    // --- split
    const int n = int(v.songs.size());
    if (job.mode == TrainMode::RankedList) {
        std::vector<std::string> sorted = v.songs;
        std::sort(sorted.begin(), sorted.end());
        const int every = job.rankHoldoutEvery();
        for (int i = 0; i < n; ++i) (((i % every) == every - 1) ? v.split.test : v.split.train).push_back(sorted[size_t(i)]);
    } else {
        v.split = splitSongs(v.songs, job.testFraction, job.seed);
    }
    const int minTest = job.mode == TrainMode::RankedList ? 3 : kMinTestSongs; // ranking needs a pool of 3
    if (int(v.split.train.size()) < kMinTrainSongs || int(v.split.test.size()) < minTest) {
        std::string why = "Too few songs: " + std::to_string(n) + " usable (" + std::to_string(v.split.train.size()) +
                          " for training, " + std::to_string(v.split.test.size()) + " for testing); at least " +
                          std::to_string(kMinTrainSongs) + " training and " + std::to_string(minTest) +
                          " test songs are needed.";
        if (!v.skipped.empty()) why += " " + std::to_string(v.skipped.size()) + " were left out (see below).";
        v.errors.insert(v.errors.begin(), why);
    }

    // --- disk space
    v.neededBytes = estimateNeededBytes(job, n);
    auto freeAt = [&](const std::string& path) -> std::uintmax_t {
        fs::path p = fs::u8path(path);
        while (!p.empty() && !fs::exists(p, ec)) p = p.parent_path();
        if (p.empty()) p = fs::current_path(ec);
        if (env.freeSpace) return env.freeSpace(p.u8string());
        const auto s = fs::space(p, ec);
        return ec ? std::uintmax_t(-1) : s.available;
    };
    auto checkSpace = [&](const std::string& path, std::uintmax_t need, const std::string& what) {
        const std::uintmax_t free = freeAt(path);
        if (free < need)
            v.errors.push_back("Not enough disk space for " + what + " in " + path + ": " +
                               std::to_string(free / (1024 * 1024)) + " MB free, about " +
                               std::to_string(need / (1024 * 1024) + 1) + " MB needed.");
    };
    checkSpace(workDirOf(job), v.neededBytes, "the training files");
    if (!env.modelsDir.empty()) checkSpace(env.modelsDir, 64u * 1024u * 1024u, "the trained model");
    return v;
}

}  // namespace stemscope::training
