#pragma once
// Training loops of the two learning-to-rank modes (torch stays in RankTrainer.cpp):
//   trainTriplets: triplet loss max(0, |f(a) - f(p)| - |f(a) - f(n)| + margin) on L2-normalised
//                  embeddings (Euclidean distance), triplets drawn uniformly from the mined set,
//                  one random patch per track and per use (random crops are the augmentation);
//   trainTagger:   binary cross-entropy on the tag logits, one random patch per sampled track.
// Both use Adam and stop after epochs x stepsPerEpoch steps or when the time budget runs out.
// Each epoch draws from its own seed (seed, epoch), so a run resumed from a checkpoint takes the
// same draws as one that was never stopped; the budget counts training time across resumes.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "dsp/Matrix.h"
#include "ranking/RankNet.h"
#include "ranking/TripletMining.h"

namespace stemscope {

struct TrainOptions {
    int epochs = 10;
    int stepsPerEpoch = 50;
    int batchSize = 16;          // triplets (TL) or tracks (AT) per step
    double learningRate = 1e-3;
    double margin = 0.5;
    double timeBudgetSeconds = 0; // 0: no limit
    int threads = 0;             // > 0: torch::set_num_threads
    uint64_t seed = 1;
    // Called after each epoch (seconds: training time so far, resumed runs included).
    std::function<void(int epoch, double meanLoss, double seconds, int steps)> onEpoch;  // steps: so far
    // Asked after each epoch's onEpoch (and checkpoint): true ends training there (a validation plateau).
    std::function<bool()> stopAfterEpoch;
    // Non-empty: network, optimiser and progress are written here after every epoch (atomically);
    // with resume, a run continues from the file when it exists.
    std::string checkpointPath;
    bool resume = false;
};

struct TrainReport {
    int steps = 0;
    int epochs = 0;
    double seconds = 0;
    bool stoppedByBudget = false;
    bool stoppedEarly = false;    // stopAfterEpoch said so
    int resumedFromEpoch = 0;     // > 0: the epochs before came from the checkpoint
    std::vector<double> epochLoss;
};

// features[i]: the whole feature matrix (frames x bins) of track i.
TrainReport trainTriplets(RankNet& net, const std::vector<Matrix>& features, const std::vector<Triplet>& triplets,
                          const TrainOptions& options);
// targets[i]: 0/1 tag targets of track i (net.config().outputs entries).
TrainReport trainTagger(RankNet& net, const std::vector<Matrix>& features,
                        const std::vector<std::vector<float>>& targets, const TrainOptions& options);

}  // namespace stemscope
