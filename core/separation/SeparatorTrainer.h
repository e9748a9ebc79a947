#pragma once
// Trains the mask separator (MaskNet.h) on in-memory stems. Each example is an excerpt of
// `excerptSeconds`; with probability `remixProbability` every source comes from a different
// random song and offset (on-the-fly remixing: new mixtures every step), otherwise all sources
// come from one song, aligned. Every source gets a random gain in [minGainDb, maxGainDb]. The
// mixture is the sum of the (gained) sources, so the targets are exact. Loss: L1 between the masked
// mixture magnitude and each source's magnitude. With `augment`, the sources of each excerpt also
// get the realism augmentations of WaveAugment.h (the targets stay exact). Adam with cosine decay over `steps`.
// Checkpoints every `checkpointEvery` steps (and resume from them); progress callback; cancel flag.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "separation/SeparationData.h"
#include "separation/SeparatorSpec.h"
#include "separation/WaveAugment.h"

namespace stemscope {

struct SeparatorTrainConfig {
    SeparatorSpec spec{};
    int steps = 2000;
    int batch = 16;
    double excerptSeconds = 3.0;
    double remixProbability = 0.5;
    double minGainDb = -6.0, maxGainDb = 3.0;
    bool augment = false;         // WaveAugment on every excerpt's sources (EQ, reverb, guitar overdrive, bus compression)
    WaveAugmentConfig wave{};
    double learningRate = 1e-3;   // peak; cosine decay to 5 %
    uint64_t seed = 1;
    int threads = 2;
    std::string checkpointPath;
    bool resume = false;
    // Non-empty: start from these weights (a model or checkpoint file of the same shape) with a fresh
    // optimiser, unless a checkpoint is resumed: continuing without the optimiser state.
    std::string initModelPath;
    int checkpointEvery = 100;
    int lossCurveEvery = 50;      // steps averaged into one SeparatorTrainResult::lossCurve point
    int stopAfterSteps = 0;       // > 0: stop (as if cancelled, checkpoint written) after this many steps in this call
    double stopAfterSeconds = 0;  // > 0: the same after this wall time
};

struct SeparatorTrainProgress {
    int step = 0, steps = 0;
    double loss = 0;              // mean over the last (up to) 50 steps
    double elapsedSeconds = 0;
    bool checkpoint = false;      // the checkpoint file was just written (it loads as a model: validate it)
};

struct SeparatorTrainResult {
    int stepsDone = 0;
    int resumedFromStep = 0;
    bool cancelled = false;
    double seconds = 0;
    std::vector<double> lossCurve; // mean loss per lossCurveEvery steps of this call
};

// Writes the final model to `modelPath` (not when cancelled). Throws std::runtime_error on bad input.
SeparatorTrainResult trainSeparator(const SeparationData& data, const SeparatorTrainConfig& config,
                                    const std::string& modelPath,
                                    const std::function<void(const SeparatorTrainProgress&)>& progress = {},
                                    const std::atomic<bool>* cancel = nullptr);

}  // namespace stemscope
