#pragma once
// Trainer of the instrument-similarity embedding CNN (Hashizume, Li & Toda): triplet loss with
// cosine distance d = 1 - a.b and margin 0.2, batch 64; positive = another segment of the anchor's
// song, negative = a segment of another song (no tags). Mining:
//   Random    : the paper's setting. Every segment is an anchor once per epoch, with a uniformly drawn
//               positive (same song, other segment) and negative (other song); loss = mean over the batch.
//   BatchAll  : online mining (Hermans et al. 2017): a batch = P songs x K segments (P*K = batch);
//               all valid triplets in the batch; loss = mean over the triplets with positive loss.
//   BatchHard : same batches; per anchor the farthest positive and the nearest negative.
// Adam, cosine-decayed learning rate, deterministic for a given seed and thread count. Checkpoints
// after every epoch (and resume from them); progress callback; cooperative cancel flag.
// LibTorch stays inside TripletTrainer.cpp.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "embedding/ModelSpec.h"
#include "instrsim/FeatureSet.h"

namespace stemscope {

enum class TripletMining { Random, BatchAll, BatchHard };
const char* tripletMiningName(TripletMining m);
std::optional<TripletMining> tripletMiningFromName(const std::string& name); // "random", "batch-all", "batch-hard"

struct TrainConfig {
    ModelSpec spec{};
    TripletMining mining = TripletMining::Random;
    double margin = 0.2;
    int batchSize = 64;          // triplets per step (Random) or segments per step (batch mining)
    int songsPerBatch = 16;      // P for batch mining (K = batchSize / P segments per song)
    int epochs = 20;
    double learningRate = 2e-3;  // peak; cosine decay to 5 % over `epochs`
    double weightDecay = 1e-4;
    uint64_t seed = 1;
    int threads = 2;             // torch::set_num_threads
    std::string checkpointPath;  // written after every epoch when non-empty
    bool resume = false;         // continue from checkpointPath if it exists
    int stopAfterEpochs = 0;     // > 0: stop (as if cancelled, checkpoint kept) after this many epochs in this call
    std::string epochModelPath;  // non-empty: the model after every epoch is written here too (validation curves)
};

struct TrainProgress {
    int epoch = 0;          // 1-based
    int epochs = 0;
    int step = 0;           // 1-based within the epoch
    int steps = 0;
    double loss = 0;        // running mean loss of this epoch
    double activeFraction = 0; // share of triplets with positive loss (running, this epoch)
    double elapsedSeconds = 0; // since train() started
    bool epochEnd = false;
};
using TrainProgressFn = std::function<void(const TrainProgress&)>;

struct TrainResult {
    int epochsDone = 0;        // total, including resumed ones
    int resumedFromEpoch = 0;  // 0 = fresh start
    bool cancelled = false;
    double seconds = 0;
    std::vector<double> epochLoss;     // this call's epochs
    std::vector<double> epochSeconds;
};

// Trains on `data` (segments labelled by song) and writes the final model to `modelPath` (unless
// cancelled; empty = don't write). Throws std::runtime_error on bad input.
TrainResult trainEmbeddingModel(const FeatureSet& data, const TrainConfig& config, const std::string& modelPath,
                                const TrainProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr);

// Writes a freshly initialised (untrained) model, e.g. for tests and baselines.
void writeUntrainedModel(const ModelSpec& spec, uint64_t seed, const std::string& modelPath);

}  // namespace stemscope
