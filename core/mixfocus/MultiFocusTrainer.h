#pragma once
// Trainer of the multi-focus mix model: one EmbeddingNet on the mix log-mel whose output is split
// into one unit-length block per focus (ModelSpec::subspaces = 5, kInstrumentFocuses order), trained with
// the masked triplet loss: for focus f only f's block enters the cosine distance. Batches come from
// PseudoMixSampler; per focus, every (anchor, positive, negative) of the batch under the focus's
// labels enters the loss (batch-all, mean over the active ones), so the designed hard negative
// (same accompaniment, another part) and every accidental one count. Adam with a cosine
// learning-rate decay over `steps`; the RNG streams depend on (seed, step) only, so a run resumed
// from a checkpoint continues exactly. LibTorch stays inside the .cpp.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "embedding/ModelSpec.h"
#include "mixfocus/PseudoMixSampler.h"

namespace stemscope {

struct MultiFocusTrainConfig {
    ModelSpec spec = defaultSpec();
    PseudoMixConfig mix{};
    int groups = 24;             // per step: 24 x (3 + 1) = 96 items
    int steps = 6000;
    double margin = 0.2;
    bool batchHard = false;      // hardest positive/negative per anchor instead of batch-all
    // Curriculum: the accompaniment starts `curriculumDb` down and reaches its own level (0 dB)
    // after `curriculumFraction` of the steps (without it the instrument subspaces did not leave
    // the margin in 900 steps: the part under a full band is too hard a first lesson).
    double curriculumDb = 18.0;
    double curriculumFraction = 0.4;
    double learningRate = 1e-3;  // peak; cosine decay to 5 % over `steps`
    double weightDecay = 1e-4;
    uint64_t seed = 1;
    int threads = 2;
    std::string checkpointPath;  // written every `checkpointEvery` steps and at the end of a call
    int checkpointEvery = 200;
    // Also keep each checkpoint's model as model-<step>.pt beside the model file (the inputs of a
    // checkpoint average, `model average`); otherwise each checkpoint overwrites the one model file.
    bool keepCheckpointModels = false;
    bool resume = false;
    // Non-empty: start from these weights (a model file of the same shape, e.g. the shipped model)
    // instead of a random network, unless a checkpoint is resumed. The optimiser starts fresh.
    std::string initModelPath;
    // With initModelPath: focus blocks (kInstrumentFocuses indices) whose output rows keep their
    // fresh random start instead of the init model's. A block a specialist never trained was only
    // ever pulled by weight decay and sits near zero, where its embeddings are all alike and the
    // triplet loss cannot move it.
    std::vector<int> freshBlocks;
    // > 0: an auxiliary loss (this weight) on a training-only head that reads temporal layer
    // `maskLayer` and predicts, for each instrument item, where its focus part is: its ratio mask
    // (PseudoMixBatch::partMask; the sampler must render them), binary cross-entropy. It asks the
    // shared layers to localise a buried part, not only to rank songs. The head is not in the model
    // file (inference does not change); it is in the checkpoint.
    double maskLossWeight = 0.0;
    int maskLayer = 1;
    // > 0: the solo teacher (this weight): each instrument item's block for its group's focus is
    // pulled (1 - cosine) toward the same network's embedding of the item's part alone
    // (PseudoMixBatch::soloLogMel; the sampler must render them), computed in eval mode without
    // gradient: "the same as if the band were silent", a target per item where the triplet loss only
    // orders pairs. (The teacher is the clean-stem model; this one shares the input features.)
    double soloTeacherWeight = 0.0;
    // > 0: the length as a learned confidence (this weight). The engine weighs each segment by its
    // focus block's length before normalisation (session 47); this term teaches that length to be
    // 1 / (the item's own triplet loss + confidenceFloor): sum of length x loss - log(length) over
    // the focus's anchors (Kendall & Gal's attenuation, with the loss held fixed, so it shapes the
    // length and never the direction the triplet loss compares). Inference does not change.
    double confidenceLossWeight = 0.0;
    double confidenceFloor = 0.05;
    // > 1: the set-level loss. Each item is `setSegments` analysis windows `setHop` frames apart (the
    // engine's 50 % overlap), and the triplet loss compares items by the normalised sum of their
    // windows' raw blocks, which is the engine's length-weighted track centroid of those windows
    // (WindowSetPooling.h): the network learns to pool as the engine pools, so a window that did not
    // hear the part can step back by its length. The sampler renders itemFrames() per item. Does not
    // combine with the mask, solo-teacher or confidence losses (each is defined per window).
    int setSegments = 1;
    int setHop = 64;
    int itemFrames() const { return spec.frames + (setSegments - 1) * setHop; }
    int stopAfterSteps = 0;      // > 0: stop (checkpointed) after this many steps in this call
    double stopAfterSeconds = 0; // > 0: same, after this wall time
    static ModelSpec defaultSpec()
    {
        ModelSpec s;
        s.channels = {256, 256, 256, 256};
        s.subspaces = 5;
        s.dim = 5 * 64;
        return s;
    }
};

struct MultiFocusProgress {
    int step = 0, steps = 0;                 // 1-based step just done
    std::array<double, 5> loss{};            // running mean per focus since the last report
    std::array<double, 5> active{};          // share of anchors with positive loss
    double maskLoss = 0;                     // running mean of the auxiliary mask loss (0 when off)
    double soloLoss = 0;                     // running mean of the solo teacher's 1 - cosine (0 when off)
    double confidenceLoss = 0;               // running mean of the confidence term (0 when off)
    double elapsedSeconds = 0;               // in this call
    bool checkpoint = false;                 // a checkpoint (and the model file) was just written
};
using MultiFocusProgressFn = std::function<void(const MultiFocusProgress&)>;

struct MultiFocusTrainResult {
    int stepsDone = 0;
    int resumedFromStep = 0;
    bool finished = false;    // reached `steps`
    double seconds = 0;
};

// Trains on `sampler`'s songs; writes the current model to `modelPath` at every checkpoint and at
// the end (eval mode, a file TorchEmbedder loads). Throws std::runtime_error on bad input.
MultiFocusTrainResult trainMultiFocusModel(const PseudoMixSampler& sampler, const MultiFocusTrainConfig& config,
                                           const std::string& modelPath, const MultiFocusProgressFn& progress = {},
                                           const std::atomic<bool>* cancel = nullptr);

}  // namespace stemscope
