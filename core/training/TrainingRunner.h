#pragma once
// Runs a validated TrainingJob end to end (Qt-free; the wizard calls it on a worker thread):
//   1. (mixes) separate every mix into stems with the installed separator, into <work>/separated;
//   2. features of every usable song (cached in <work>/features);
//   3. training, one epoch per trainer call with a checkpoint after each (<work>/checkpoint.ckpt),
//      so `pause` stops cleanly after the current epoch, `cancel` stops at once (the last epoch's
//      checkpoint is kept), and a later run of the same job resumes where it stopped - also after
//      a restart of the application (<work>/progress.json keeps the curves);
//   4. validation after every epoch: kNN song-ID accuracy (k = 5, leave-one-out) of the held-out
//      songs' segments;
//   5. final evaluation on the held-out songs beside the model installed for that focus
//      (<models root>/<focus>/model.pt) on the same songs; ranked-list mode: MAP/recall/nDCG@20
//      against the tag oracle (RankEvaluation), beside chance.
// installTrainedModel() then copies the model into <user models root>/<name>/ with a model card
// (model-card.md) and registers it in the library (models + training_runs tables);
// activateModel() makes it the model the analysis uses for its focus.
#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "training/TrainingJob.h"

namespace stemscope::training {

struct EpochReport {
    int epoch = 0;          // 1-based, total (including resumed epochs)
    int epochs = 0;
    double loss = 0;
    double validationKnn = std::numeric_limits<double>::quiet_NaN();  // NaN: not measured (ranked-list)
    double seconds = 0;     // this epoch
    double etaSeconds = 0;  // remaining epochs x mean epoch time of this run
};

struct TrainingCallbacks {
    std::function<void(const std::string& phase, double fraction)> phase;  // "features", "training", ...
    std::function<void(int epoch, int epochs, int step, int steps, double loss)> step;
    std::function<void(const EpochReport&)> epoch;
    std::function<void(const std::string&)> log;
};

struct ModelScores {
    std::string label;       // "trained", "installed bass model", "chance"
    std::string modelId;
    double knnAccuracy = std::numeric_limits<double>::quiet_NaN();
    double map = std::numeric_limits<double>::quiet_NaN(), recall = std::numeric_limits<double>::quiet_NaN(),
           ndcg = std::numeric_limits<double>::quiet_NaN();  // ranked-list, @20
};

struct TrainingOutcome {
    enum class Status { Done, Paused, Cancelled, Failed };
    Status status = Status::Failed;
    std::string error;
    std::string modelFile;             // the trained model (Done)
    int epochsDone = 0, epochs = 0, resumedFromEpoch = 0;
    std::vector<EpochReport> history;  // every epoch so far, including resumed ones
    std::vector<ModelScores> scores;   // [0] = the trained model, then the installed one / chance
    int trainSongs = 0, testSongs = 0, testSegments = 0;
    int64_t runId = 0;                 // training_runs row (0: no library)
    double seconds = 0;
    std::string metricsJson() const;
};
const char* statusName(TrainingOutcome::Status s);

struct TrainingEnvironment {
    std::string modelsRoot;      // installed focus models (<root>/<focus>/model.pt); empty = defaultModelsRoot()
    std::string libraryPath;     // training_runs bookkeeping; empty = none
    ValidationEnv validation;    // decoder, separator, ...
};

class TrainingRunner {
public:
    TrainingRunner(TrainingJob job, TrainingEnvironment env);

    const TrainingJob& job() const { return job_; }
    std::string workDir() const { return workDir_; }
    std::string checkpointPath() const;
    // An earlier, unfinished run of the same job: its epochs so far (0 = none).
    int checkpointEpoch() const;
    std::vector<EpochReport> savedHistory() const;
    void discardCheckpoint();  // start over

    // Validates, then runs; never throws (Failed + error instead). `pause`: stop after the
    // current epoch; `cancel`: stop now. Both keep the checkpoint.
    TrainingOutcome run(const TrainingCallbacks& cb = {}, const std::atomic<bool>* cancel = nullptr,
                        const std::atomic<bool>* pause = nullptr);

private:
    TrainingOutcome runTriplets(const Validation& v, const TrainingCallbacks& cb, const std::atomic<bool>* cancel,
                                const std::atomic<bool>* pause);
    TrainingOutcome runRanked(const Validation& v, const TrainingCallbacks& cb, const std::atomic<bool>* cancel);
    void saveHistory(const std::vector<EpochReport>& h) const;

    TrainingJob job_;
    TrainingEnvironment env_;
    std::string workDir_;
};

// $STEMSCOPE_USER_MODELS, else $XDG_DATA_HOME/Stemscope/models, else ~/.local/share/Stemscope/models.
std::string userModelsRoot();
// A folder name from a model name: letters, digits, '-', '_' kept, the rest becomes '-'.
std::string sanitizeModelName(const std::string& name);

struct InstallResult {
    std::string dir;        // <root>/<name>
    std::string modelFile;  // <dir>/model.pt
    std::string cardFile;   // <dir>/model-card.md
    std::string modelId;    // registered id
};

// Copies outcome.modelFile into <userRoot>/<name>/ with a model card and (libraryPath not empty)
// registers it: LibraryStore::registerModel + finishTrainingRun(runId, "registered", id, metrics).
// Throws std::runtime_error (e.g. the folder exists and `overwrite` is false).
InstallResult installTrainedModel(const TrainingJob& job, const TrainingOutcome& outcome, const std::string& name,
                                  const std::string& userRoot, const std::string& libraryPath,
                                  const std::string& notes = {}, bool overwrite = false);

// Makes an installed track-triplet model the one analysis uses for `focus`: copies it to
// <modelsRoot>/<focus>/model.pt, the previous model kept as model.pt.previous. Returns the model
// id the analysis will store. Throws std::runtime_error.
std::string activateModel(const std::string& installedDir, Focus focus, const std::string& modelsRoot);

std::string modelCardMarkdown(const TrainingJob& job, const TrainingOutcome& outcome, const std::string& name,
                              const std::string& modelId, const std::string& notes);

}  // namespace stemscope::training
