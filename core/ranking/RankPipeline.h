#pragma once
// The learning-to-rank experiment end to end (what `stemscope-cli rank train|evaluate` runs).
//
// Split (deterministic): songs of the training corpus sorted by name; song i is *held out* when
// holdoutEvery > 0 and i % holdoutEvery == holdoutEvery - 1 (every 6th: 30 of 180). Training uses
// the others. The evaluation pool is the held-out training songs plus every song of the test
// corpus; each pool song is a query against the rest of the pool (the database).
// Oracle S for training: tag vectors over the training songs' vocabulary; for evaluation: over the
// pool's own vocabulary. Audio input: <focus>.flac of each song (mix or one stem), tags unchanged.
// Track representation at test time: mean over 8 evenly spaced 512-frame patches of the patch
// outputs (embeddings for tl; sigmoid tag probabilities for at, then S = cosine of the weighted
// predicted tag vectors, TagVocabulary::vectorFromScores).
#include <functional>
#include <string>
#include <vector>

#include "ranking/RankEvaluation.h"
#include "ranking/RankNet.h"
#include "ranking/RankTrainer.h"
#include "ranking/TripletMining.h"

namespace stemscope {

struct RankSong;

using RankLog = std::function<void(const std::string&)>;

// K-fold cross-validation over the songs of one or more corpora (issue #20: every song a query
// once). folds = 0: the holdout rule (every holdoutEvery-th song held out) instead.
struct RankFolds {
    int folds = 0;         // K (>= 2 to use folds)
    int fold = 0;          // which one is held out (0 .. K-1)
    uint64_t seed = 1;     // the shuffle that deals songs to folds (kFoldAssignment)
};

struct RankTrainRequest {
    std::string corpusDir;   // one folder, or several separated by commas (with folds)
    std::string out;
    std::string mode = "tl"; // tl | at
    MiningConfig mining;     // tl only
    TemporalPooling pooling = TemporalPooling::Max;
    std::string focus = "mix";
    std::string cacheDir;    // CQT cache ("" = no cache)
    // Tag fields the oracle (and the auto-tagger's outputs) use: empty = every field; e.g.
    // {"style", "groove"} for the musically narrower oracle of the issue #20 ablation.
    std::vector<std::string> oracleFields;
    int holdoutEvery = 6;
    RankFolds cv;            // folds > 0: train on every fold but cv.fold
    int width = 8;
    int dim = 128;
    TrainOptions train;
    // Learning curve: validateSongs > 0 sets that many of the training songs aside (evenly spaced
    // in name order, never the evaluation's held-out songs) and after every epoch scores the
    // model's ranking of them against their own tag oracle; rows go to curvePath (CSV) if set.
    int validateSongs = 0;
    std::string curvePath;
    // > 0 (needs validateSongs): train to the plateau. Stop once validation MAP@20 has not beaten its
    // best for `patience` epochs (or at the budget), and keep the best epoch's weights as the model
    // (they wait in <out>.best, so a resumed run still knows them).
    int patience = 0;
    // Checkpoint after every epoch at <out>.ckpt; resume continues from it (and appends to the curve).
    bool checkpoint = false;
    bool resume = false;
    RankLog log;
};

struct RankCurvePoint {
    int epoch = 0;
    int steps = 0;
    double seconds = 0;
    double loss = 0;
    double map = 0, ndcg = 0, rr = 0, recall = 0; // validation, mean over the validation queries
};

struct RankTrainResult {
    std::vector<RankCurvePoint> curve;  // this run's epochs (empty without validateSongs)
    int bestEpoch = -1;                 // with patience: the epoch whose weights the model holds
    int validationSongs = 0;
    RankCurvePoint validationChance;    // random rankings of the validation songs (the curve's floor)
    int trainTracks = 0;
    int triplets = 0;
    double featureSeconds = 0;
    TrainReport report;
};

RankTrainResult runRankTraining(const RankTrainRequest& request);

struct RankEvalRequest {
    std::vector<std::string> models;
    std::string trainCorpusDir; // held-out part joins the pool ("" = none); with folds: all corpora, comma-separated
    std::string testCorpusDir;  // "" = none
    int holdoutEvery = 6;
    RankFolds cv;               // folds > 0: the pool is fold cv.fold of trainCorpusDir's songs (testCorpusDir unused)
    std::string focus;          // "" = each model's own focus
    std::vector<std::string> oracleFields;  // the evaluation oracle's tag fields (empty = all)
    std::string cacheDir;
    RankingProtocol protocol;
    int patchesPerTrack = 8;
    bool includeChance = true;
    RankLog log;
};

struct RankEvalRow {
    std::vector<std::string> queries; // pool song folders, in the order of scores' per-query values
    std::string name;  // e.g. "TL random (max)"
    std::string model; // file
    std::string focus;
    RankingScores scores;
    double trainSeconds = 0;
    int steps = 0;
    int poolSize = 0;
};

std::vector<RankEvalRow> runRankEvaluation(const RankEvalRequest& request);
// Markdown table: method, MAP@k, Recall@k, RR@k, nDCG@k (mean +- 95 % half width), training time.
std::string formatRankTable(const std::vector<RankEvalRow>& rows, int k = 20);
// Rows with their per-query AP/Recall/RR/nDCG (JSON), for `rank compare` and for pooling folds.
std::string rankRowsJson(const std::vector<RankEvalRow>& rows, int k = 20);

// The split rule above, exposed for tests.
bool isHeldOut(int index, int holdoutEvery);
// The songs of comma-separated corpus folders, in order; and the held-out fold (heldOut) or the rest.
std::vector<RankSong> scanRankCorpora(const std::string& dirs);
std::vector<RankSong> foldSongs(const std::vector<RankSong>& all, const RankFolds& cv, bool heldOut);
// Default CQT cache folder: $XDG_CACHE_HOME/stemscope/rank-cqt or ~/.cache/stemscope/rank-cqt.
std::string defaultRankCacheDir();

}  // namespace stemscope
