// `stemscope-cli train-mix`: train the multi-focus mix model (one network on the mix, one subspace
// per focus, masked triplet loss on pseudo-mixed pieces), with checkpoints, --resume and a
// validation curve on held-out songs (pseudo-mix acc@1 / distractor@1 per focus).
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "cli/LearningCurveCsv.h"
#include "cli/ModelSpecCliOptions.h"
#include "analysis/SegmentFeatures.h"
#include "embedding/TorchEmbedder.h"
#include "instrsim/FeatureSet.h"
#include "mixfocus/MultiFocusTrainer.h"
#include "mixfocus/PartTimbre.h"
#include "mixfocus/PseudoMixBenchmark.h"
#include "mixfocus/PseudoMixSampler.h"
#include "mixfocus/StemBank.h"

namespace stemscope::cli {
namespace {
namespace fs = std::filesystem;

std::atomic<bool> gCancel{false};
extern "C" void onTrainMixSignal(int) { gCancel = true; }

constexpr std::array<Focus, 4> kParts{Focus::Drums, Focus::Bass, Focus::Piano, Focus::Guitar};

int run(int argc, char** argv)
{
    CliArgs args(argc, argv, {"resume", "quiet", "no-augment", "batch-hard", "keep-models"});
    const auto corpora = splitList(args.get("corpus"));
    if (corpora.empty()) throw UsageError("--corpus DIR[,DIR...] is required");
    std::string outDir = args.get("out");
    if (outDir.empty()) throw UsageError("--out DIR is required");
    const std::string modelFile = (fs::path(outDir) / "model.pt").string();

    MultiFocusTrainConfig c;
    c.steps = args.getInt("steps", c.steps);
    c.groups = args.getInt("groups", c.groups);
    c.learningRate = args.getDouble("lr", c.learningRate);
    c.margin = args.getDouble("margin", c.margin);
    c.seed = uint64_t(args.getInt("seed", 1));
    c.threads = args.getInt("threads", 2);
    c.checkpointEvery = args.getInt("checkpoint-every", c.checkpointEvery);
    c.checkpointPath = args.get("checkpoint", (fs::path(outDir) / "train.ckpt").string());
    c.resume = args.has("resume");
    c.keepCheckpointModels = args.has("keep-models");
    c.initModelPath = args.get("init");
    for (const auto& name : splitList(args.get("fresh-blocks"))) {
        const auto f = focusFromName(name);
        const int index = f ? instrumentFocusIndex(*f) : -1;
        if (index < 0) throw UsageError("--fresh-blocks takes mix, drums, bass, piano, guitar; not '" + name + "'");
        c.freshBlocks.push_back(index);
    }
    if (!c.freshBlocks.empty() && c.initModelPath.empty()) throw UsageError("--fresh-blocks needs --init MODEL.pt");
    c.stopAfterSteps = args.getInt("stop-after-steps", 0);
    c.stopAfterSeconds = args.getDouble("stop-after-minutes", 0) * 60.0;
    readModelShape(args, c.spec, {{ModelArch::Hybrid, {16, 384, 384, 384}}, {ModelArch::Harmonic, {8, 384, 384, 384}}});
    c.spec.dim = 5 * args.getInt("subspace-dim", c.spec.subspaceDim());
    const std::string features = args.get("features", "mel");
    if (features == "cqt") {
        c.spec.features = EmbedderFeatures::Cqt;
        c.spec.bands = cqtConfigAt(kAnalysisSampleRate).nBins;
    } else if (features != "mel") {
        throw UsageError("--features takes mel or cqt, not '" + features + "'");
    }
    if (c.spec.arch == ModelArch::Harmonic && c.spec.features != EmbedderFeatures::Cqt)
        throw UsageError("--arch harmonic reads the constant-Q input: add --features cqt");
    // --focuses piano,guitar: a specialist; validation and the curve cover the trained parts only.
    std::vector<bool> trained(5, true);
    if (args.has("focuses")) {
        trained.assign(5, false);
        for (const auto& name : splitList(args.get("focuses"))) {
            const auto f = focusFromName(name);
            const int index = f ? instrumentFocusIndex(*f) : -1;
            if (index < 0) throw UsageError("--focuses takes mix, drums, bass, piano, guitar; not '" + name + "'");
            c.mix.focusCycle.push_back(index);
            trained[size_t(index)] = true;
        }
    }
    c.mix.augment = !args.has("no-augment");
    c.mix.quietPartProb = args.getDouble("quiet-part-prob", c.mix.quietPartProb);
    c.mix.quietPartDb = args.getDouble("quiet-part-db", c.mix.quietPartDb);
    c.mix.sameTimbreNegativeProb = args.getDouble("same-timbre-negatives", 0.0);
    c.mix.soloProb = args.getDouble("solo-prob", c.mix.soloProb);
    c.mix.timbreProb = args.getDouble("timbre-prob", c.mix.timbreProb);
    c.mix.timbreAmount = args.getDouble("timbre-amount", c.mix.timbreAmount);
    if (c.mix.timbreProb < 0 || c.mix.timbreProb > 1 || c.mix.timbreAmount < 0 || c.mix.timbreAmount > 1)
        throw UsageError("--timbre-prob and --timbre-amount take values in [0, 1]");
    const auto twinDirs = splitList(args.get("twins"));
    c.mix.twinProb = args.getDouble("twin-prob", twinDirs.empty() ? 0.0 : 0.5);
    if (c.mix.twinProb < 0 || c.mix.twinProb > 1) throw UsageError("--twin-prob takes a value in [0, 1]");
    if (c.mix.twinProb > 0 && twinDirs.empty()) throw UsageError("--twin-prob needs --twins DIR[,DIR...]");
    c.maskLossWeight = args.getDouble("mask-loss", 0.0);
    c.maskLayer = args.getInt("mask-layer", c.maskLayer);
    if (c.maskLossWeight < 0) throw UsageError("--mask-loss takes a weight >= 0");
    if (c.maskLayer < 0 || c.maskLayer > 3) throw UsageError("--mask-layer takes 0..3 (a temporal layer)");
    c.mix.maskTargets = c.maskLossWeight > 0;
    c.soloTeacherWeight = args.getDouble("solo-teacher", 0.0);
    if (c.soloTeacherWeight < 0) throw UsageError("--solo-teacher takes a weight >= 0");
    c.mix.soloTargets = c.soloTeacherWeight > 0;
    c.confidenceLossWeight = args.getDouble("confidence-loss", 0.0);
    c.confidenceFloor = args.getDouble("confidence-floor", c.confidenceFloor);
    if (c.confidenceLossWeight < 0 || c.confidenceFloor <= 0)
        throw UsageError("--confidence-loss takes a weight >= 0, --confidence-floor a value > 0");
    c.setSegments = args.getInt("set-segments", c.setSegments);
    c.setHop = args.getInt("set-hop", c.setHop);
    if (c.setSegments < 1 || c.setHop < 1) throw UsageError("--set-segments and --set-hop take a count >= 1");
    c.mix.frames = c.itemFrames();
    c.batchHard = args.has("batch-hard");
    c.curriculumDb = args.getDouble("curriculum-db", c.curriculumDb);
    c.curriculumFraction = args.getDouble("curriculum-fraction", c.curriculumFraction);
    const bool quiet = args.has("quiet");
    const std::string bankPath = args.get("bank", (fs::path(outDir) / "stems.bank").string());

    std::signal(SIGINT, onTrainMixSignal);
    std::signal(SIGTERM, onTrainMixSignal);
    std::vector<std::string> bankCorpora = corpora;
    bankCorpora.insert(bankCorpora.end(), twinDirs.begin(), twinDirs.end());
    const StemBank bank = cachedStemBank(
        bankCorpora, c.spec.bands, bankPath, args.getInt("bank-threads", c.threads),
        [&](int done, int total, const std::string&) {
            if (!quiet && (done % 20 == 0 || done == total)) std::cerr << "stem bank " << done << "/" << total << "\n";
        },
        c.spec.features);
    const std::string valDir = args.get("validate");
    // Twins only ever play a positive's part, in place of the song they render again.
    const std::vector<int> notValidation =
        bankSongsExcept(bank, valDir.empty() ? std::vector<std::string>{} : listCorpusSongs(valDir));
    const std::vector<int> songs = bankSongsOutside(bank, notValidation, twinDirs);
    const size_t heldOut = bank.songs.size() - notValidation.size();
    const auto twins = twinDirs.empty() ? std::vector<std::vector<int>>{} : bankTwins(bank, twinDirs, readRecipeKeys(bank, bankCorpora));
    int twinned = 0;
    for (int s : songs) twinned += !twins.empty() && !twins[size_t(s)].empty();
    std::cerr << "stem bank: " << bank.songs.size() << " songs (" << bankPath << "), " << songs.size()
              << " for training (" << heldOut << " held out: in the validation set)\n";
    if (!twinDirs.empty()) {
        std::cerr << "real sound pairs: " << twinned << " of the " << songs.size() << " training songs have a twin ("
                  << notValidation.size() - songs.size() << " twin songs)\n";
        if (twinned == 0)
            throw UsageError("--twins: no song of these corpora renders a training song (same folder name and recipe)");
    }
    std::vector<std::array<int, kBankStems>> timbre;
    if (c.mix.sameTimbreNegativeProb > 0) {
        timbre = readPartTimbres(bank, corpora);
        int known = 0;
        for (const auto& t : timbre) known += t[3] >= 0;
        std::cerr << "same-timbre negatives: instrument sounds known for " << known << " of " << timbre.size()
                  << " songs (meta.json tags)\n";
    }
    const PseudoMixSampler sampler(bank, songs, c.mix, timbre, twins);

    // Validation: pseudo-mix benchmark on held-out songs, mix input, at every checkpoint.
    const double valSeconds = args.getDouble("validate-seconds", 14.0);
    std::vector<PseudoMixSet> valSets;
    if (!valDir.empty()) {
        const auto corpus = loadPseudoMixCorpus(valDir, valSeconds, args.getInt("validate-songs", 16));
        const double valPartDb = args.getDouble("validate-part-db", 0.0);
        for (size_t i = 0; i < kParts.size(); ++i)
            if (trained[i + 1]) valSets.push_back(makePseudoMixSet(corpus, kParts[i], 1, 3, valPartDb));
        std::cerr << "validation: " << corpus.songs.size() << " songs of " << valDir << ", T = " << valSeconds
                  << " s, part " << valPartDb << " dB\n";
    }
    fs::create_directories(outDir);
    std::string header = "step,seconds,loss_mix,loss_drums,loss_bass,loss_piano,loss_guitar";
    for (Focus f : kParts) header += std::string(",val_acc1_") + focusName(f) + ",val_distractor1_" + focusName(f);
    auto curveFile = openLearningCurve((fs::path(outDir) / "learning_curve.csv").string(), c.resume, header);
    std::ofstream& curve = curveFile.out;
    const double secondsBefore = curveFile.secondsBefore;
    std::array<double, 5> lossSum{};
    int lossCount = 0;
    const auto r = trainMultiFocusModel(
        sampler, c, modelFile,
        [&](const MultiFocusProgress& p) {
            for (int f = 0; f < 5; ++f) lossSum[size_t(f)] += p.loss[size_t(f)];
            ++lossCount;
            if (!quiet)
                std::fprintf(stderr,
                             "step %d/%d  loss/active mix %.3f/%.2f drums %.3f/%.2f bass %.3f/%.2f piano %.3f/%.2f "
                             "guitar %.3f/%.2f  mask %.3f  solo %.3f  confidence %.3f  %.0f s\n",
                             p.step, p.steps, p.loss[0], p.active[0], p.loss[1], p.active[1], p.loss[2], p.active[2],
                             p.loss[3], p.active[3], p.loss[4], p.active[4], p.maskLoss, p.soloLoss, p.confidenceLoss,
                             p.elapsedSeconds);
            if (!p.checkpoint) return;
            curve << p.step << "," << secondsBefore + p.elapsedSeconds;
            for (int f = 0; f < 5; ++f) curve << "," << lossSum[size_t(f)] / std::max(1, lossCount);
            lossSum.fill(0);
            lossCount = 0;
            size_t next = 0;  // valSets holds the trained parts, in kParts order
            for (Focus part : kParts) {
                if (next == valSets.size() || valSets[next].focus != part) {
                    curve << ",,";
                    continue;
                }
                const auto& set = valSets[next++];
                MixPipeline pipe;
                pipe.name = "mixfocus";
                pipe.embedder = std::make_shared<TorchEmbedder>(modelFile, "", set.focus);
                std::vector<TrackEmbedding> q, g;
                for (const auto& t : set.queries) q.push_back(embedPseudoMix(t, set.focus, pipe));
                for (const auto& t : set.gallery) g.push_back(embedPseudoMix(t, set.focus, pipe));
                const auto s = scorePseudoMix(q, g, set.distractor);
                curve << "," << s.acc1 << "," << s.distractor1;
                if (!quiet) std::fprintf(stderr, "  val %s acc@1 %.3f distractor@1 %.3f\n", focusName(set.focus), s.acc1, s.distractor1);
            }
            curve << "\n" << std::flush;
        },
        &gCancel);
    nlohmann::json info;
    info["model"] = c.spec.describe();
    info["corpora"] = corpora;
    info["songs"] = songs.size();
    info["held_out_songs"] = heldOut;
    info["steps"] = r.stepsDone;
    info["target_steps"] = c.steps;
    info["groups_per_step"] = c.groups;
    info["items_per_group"] = c.mix.positives + 1;
    info["margin"] = c.margin;
    info["mining"] = c.batchHard ? "batch-hard" : "batch-all";
    info["curriculum_db"] = c.curriculumDb;
    info["curriculum_fraction"] = c.curriculumFraction;
    info["lr"] = c.learningRate;
    info["seed"] = c.seed;
    info["augment"] = c.mix.augment;
    info["quiet_part_prob"] = c.mix.quietPartProb;
    info["quiet_part_db"] = c.mix.quietPartDb;
    info["same_timbre_negatives"] = c.mix.sameTimbreNegativeProb;
    info["solo_prob"] = c.mix.soloProb;
    if (c.mix.timbreProb > 0) info["timbre_warp"] = {{"prob", c.mix.timbreProb}, {"amount", c.mix.timbreAmount}};
    if (c.mix.twinProb > 0) info["real_sound_pairs"] = {{"prob", c.mix.twinProb}, {"twins", twinDirs}, {"songs_with_twin", twinned}};
    if (c.maskLossWeight > 0) info["mask_loss"] = {{"weight", c.maskLossWeight}, {"layer", c.maskLayer}};
    if (c.soloTeacherWeight > 0) info["solo_teacher"] = c.soloTeacherWeight;
    if (c.confidenceLossWeight > 0) info["confidence_loss"] = {{"weight", c.confidenceLossWeight}, {"floor", c.confidenceFloor}};
    if (c.setSegments > 1) info["set_level_loss"] = {{"segments", c.setSegments}, {"hop_frames", c.setHop}};
    info["threads"] = c.threads;
    info["features"] = features;
    if (!c.mix.focusCycle.empty()) info["focuses"] = splitList(args.get("focuses"));
    info["seconds_this_call"] = r.seconds;
    info["resumed_from_step"] = r.resumedFromStep;
    if (!c.initModelPath.empty()) info["initialised_from"] = c.initModelPath;
    if (!c.freshBlocks.empty()) info["fresh_blocks"] = splitList(args.get("fresh-blocks"));
    info["validation"] = valDir.empty() ? nlohmann::json() : nlohmann::json(valDir);
    std::ofstream(fs::path(outDir) / "model.train.json") << info.dump(2) << "\n";
    if (!r.finished) {
        std::cerr << "stopped at step " << r.stepsDone << "/" << c.steps << "; continue with --resume (checkpoint "
                  << c.checkpointPath << ")\n";
        return gCancel ? 130 : 0;
    }
    std::cout << "wrote " << modelFile << " (" << r.stepsDone << " steps)\n";
    return 0;
}

const CommandRegistration reg(
    {"train-mix", "train the multi-focus mix model (one network on the mix, a subspace per focus) on pseudo-mixes",
     "stemscope-cli train-mix --corpus DIR[,DIR...] --out DIR [options]\n"
     "  --corpus DIRS     corpus folders (one folder per song with drums/bass/piano/guitar[/other] stems)\n"
     "  --out DIR         writes model.pt, model.train.json, learning_curve.csv, train.ckpt, stems.bank\n"
     "  --steps N         total steps (default 6000; the learning rate decays over them)\n"
     "  --groups N        groups per step (default 24: 3 items sharing a part + 1 hard negative each)\n"
     "  --validate DIR    held-out songs: pseudo-mix acc@1 per focus at every checkpoint (never the test split)\n"
     "  --validate-seconds T (14)  --validate-songs N (16)  --validate-part-db D (0: parts at their own level)\n"
     "  --checkpoint-every N (200)  --resume  --stop-after-steps N  --stop-after-minutes M\n"
     "  --keep-models     also keep each checkpoint's model as model-<step>.pt (inputs of `model average`)\n"
     "  --init MODEL.pt   start from these weights (same shape; ignored when a checkpoint is resumed)\n"
     "  --fresh-blocks F,... with --init: these focuses' output blocks start fresh (e.g. a block the\n"
     "                    init model never trained: weight decay left it near zero, where it cannot learn)\n"
     "  --arch temporal|hybrid|harmonic|conv2d (temporal)  --channels a,b,c,d (256,256,256,256; hybrid 16,384,384,384;\n"
     "                    harmonic 8,384,384,384: the constant-Q input stacked at its harmonics, needs --features cqt)\n"
     "  --subspace-dim D (64)  --lr X (0.001)  --margin X (0.2)\n"
     "  --features mel|cqt (mel: 64 log-mel bands; cqt: the analysis CQT, 96 bins, 12 per octave, which\n"
     "                    resolves the notes below 1 kHz; needs a bank of its own)\n"
     "  --focuses F,...   train only these focuses' blocks (e.g. piano,guitar: a specialist; default all)\n"
     "  --batch-hard      hardest positive/negative per anchor (default: batch-all)\n"
     "  --curriculum-db D (18)  --curriculum-fraction F (0.4): accompaniment D dB down at first, at its\n"
     "                    own level after F of the steps\n"
     "  --quiet-part-prob P (0)  --quiet-part-db D (12): with probability P an item's focus part a further\n"
     "                    0..D dB down (parts buried in the band)\n"
     "  --solo-prob P (0.08): an item's accompaniment muted (the part alone, as clean stems sound)\n"
     "  --timbre-prob P (0)  --timbre-amount A (1): each stem, with probability P, played by another sound\n"
     "                    (harmonics, spectral envelope, contrast and attack warped by up to A)\n"
     "  --twins DIRS  --twin-prob P (0.5): real sound pairs; DIRS hold training songs rendered again with\n"
     "                    other soundfonts (corpus render --soundfont-shift, same folder names); each positive\n"
     "                    after a group's first takes, with probability P, its part from such a twin\n"
     "  --same-timbre-negatives P (0): with probability P a group's hard negative plays the part with the\n"
     "                    same instrument sound (patch + soundfont, from meta.json tags) as the anchor's\n"
     "  --mask-loss W (0)  --mask-layer L (1): auxiliary loss (weight W) of a training-only head on temporal\n"
     "                    layer L that predicts where each item's focus part is (its ratio mask)\n"
     "  --solo-teacher W (0): pull each item's focus block (1 - cosine, weight W) toward the network's own\n"
     "                    embedding of the item's part alone (no gradient through it)\n"
     "  --confidence-loss W (0)  --confidence-floor F (0.05): teach each focus block's length (the engine's\n"
     "                    segment weight in a track's centroid) to be 1 / (the item's own triplet loss + F)\n"
     "  --set-segments S (1)  --set-hop H (64): S > 1, the set-level loss: each item is S analysis windows H\n"
     "                    frames apart, compared by their length-weighted centroid (as the engine pools)\n"
     "  --seed S (1)  --threads N (2)  --no-augment  --bank FILE (stem bank cache, default OUT/stems.bank)\n"
     "  --bank-threads N (--threads): threads for building the stem bank (decoding) before training",
     run});

}  // namespace
}  // namespace stemscope::cli
