#pragma once
// What the training wizard asks for, as plain data (Qt-free): where the songs come from, which
// focus and training mode, the front-end, pooling and hyper-parameters, and the train/test split.
// validateJob() turns a job into a verdict with clear messages *before* anything heavy runs:
// too few songs (< 4 train or < 2 test), songs missing the focus's stem, silent or unreadable
// files, unsupported combinations, no separator for mixes, not enough free disk space.
// docs/training-wizard.md describes the rules.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "embedding/Focus.h"
#include "instrsim/TripletTrainer.h"
#include "ranking/TripletMining.h"

namespace stemscope {
class AudioDecoder;
class Separator;
}  // namespace stemscope

namespace stemscope::training {

enum class DataSource { Multitrack, Mixes, LibraryTags };
enum class TrainMode { TrackTriplets, RankedList };
enum class FrontEnd { Mel, Cqt };
enum class Pooling { Max, AutoPool };

const char* dataSourceName(DataSource s);  // multitrack | mixes | library-tags
const char* trainModeName(TrainMode m);    // track-triplets | ranked-list
const char* frontEndName(FrontEnd f);      // mel | cqt
const char* poolingName(Pooling p);        // max | autopool
std::optional<DataSource> dataSourceFromName(const std::string& s);
std::optional<TrainMode> trainModeFromName(const std::string& s);
std::optional<FrontEnd> frontEndFromName(const std::string& s);
std::optional<Pooling> poolingFromName(const std::string& s);

inline constexpr int kMinTrainSongs = 4;
inline constexpr int kMinTestSongs = 2;

struct TrainingJob {
    DataSource source = DataSource::Multitrack;
    std::string dataDir;            // multitrack / tagged corpus folder (one folder per song), mixes folder,
                                    // or (LibraryTags) the library file
    Focus focus = Focus::Mix;
    TrainMode mode = TrainMode::TrackTriplets;
    FrontEnd frontEnd = FrontEnd::Mel;   // track-triplets: mel; ranked-list: cqt
    Pooling pooling = Pooling::Max;      // ranked-list only (track-triplets: mean+max, fixed)
    bool skipIncompleteSongs = true;     // false: any missing / silent stem refuses the job

    // track-triplets (instrument-similarity CNN, instrsim/TripletTrainer.h)
    TripletMining mining = TripletMining::BatchHard;
    int epochs = 6;
    double learningRate = 2e-3;
    double margin = 0.2;
    int batchSize = 64;
    int songsPerBatch = 16;
    int maxSegmentsPerSong = 40;
    int bands = 64;
    int dim = 128;
    std::array<int, 4> channels{128, 128, 128, 128};

    // ranked-list (learning to rank, ranking/RankPipeline.h)
    MiningStrategy rankMining = MiningStrategy::Random;
    int rankStepsPerEpoch = 50;
    int rankBatchSize = 16;
    int rankWidth = 8;
    double rankMargin = 0.5;

    // split by song
    double testFraction = 0.2;
    uint64_t seed = 1;

    int threads = 2;
    std::string workDir;  // checkpoints, feature caches, trained model; empty = defaultWorkDir(*this)

    ModelSpec modelSpec() const;
    std::string paramsJson() const;  // every field above, for training_runs.params and the model card
    // Songs held out for testing in ranked-list mode: the RankPipeline rule, every n-th song.
    int rankHoldoutEvery() const;
};

// Train/test split by song: the names sorted, shuffled with `seed`; the first
// max(kMinTestSongs, round(n * testFraction)) are the test songs (both lists sorted again).
struct SongSplit {
    std::vector<std::string> train, test;
};
SongSplit splitSongs(std::vector<std::string> songs, double testFraction, uint64_t seed);

struct ValidationEnv {
    std::shared_ptr<const AudioDecoder> decoder;        // null: defaultAudioDecoder()
    std::shared_ptr<const Separator> separator;         // null: mixes cannot be used
    bool checkAudio = true;                             // decode focus files (silence / unreadable)
    double silenceDb = -60.0;                           // a file whose peak is below this is silent
    // Free bytes at a path (tests inject small numbers); null: std::filesystem::space.
    std::function<std::uintmax_t(const std::string&)> freeSpace;
    std::string modelsDir;                              // also checked for space (empty: skip)
};

struct Validation {
    std::vector<std::string> errors;    // any: the job is refused
    std::vector<std::string> warnings;  // shown, not blocking
    std::vector<std::string> songs;     // usable songs (folder names)
    std::vector<std::string> skipped;   // songs left out (missing / silent / unreadable / untagged)
    SongSplit split;
    std::uintmax_t neededBytes = 0;
    bool ok() const { return errors.empty(); }
    std::string text() const;           // errors then warnings, one per line
};

Validation validateJob(const TrainingJob& job, const ValidationEnv& env = {});

// Disk space a job needs in its work folder (feature cache, checkpoints, models), with a margin.
std::uintmax_t estimateNeededBytes(const TrainingJob& job, int songs);

// $STEMSCOPE_TRAINING_DIR, else $XDG_CACHE_HOME/stemscope/training, else ~/.cache/stemscope/training,
// then <data folder name>-<focus>-<mode>-<hash of the parameters that shape the run>.
std::string defaultWorkDir(const TrainingJob& job);
std::string workDirOf(const TrainingJob& job);  // job.workDir or defaultWorkDir(job)
// The song folders a job trains on: dataDir, or for the library source (dataDir = the library
// file) the corpus exported from it into <work>/library-corpus (training/LibraryCorpus.h).
std::string effectiveDataDir(const TrainingJob& job);

}  // namespace stemscope::training
