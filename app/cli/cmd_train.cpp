// `stemscope-cli train`: train one instrument-similarity embedding model (one focus) on a corpus.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "cli/ModelSpecCliOptions.h"
#include "embedding/Focus.h"
#include "instrsim/FeatureSet.h"
#include "instrsim/TripletTrainer.h"

namespace stemscope::cli {
namespace {
namespace fs = std::filesystem;

std::atomic<bool> gCancel{false};
extern "C" void onSigint(int) { gCancel = true; }

int run(int argc, char** argv)
{
    CliArgs args(argc, argv, {"resume", "quiet"});
    const std::string corpus = args.get("corpus");
    const std::string featureFile = args.get("features");
    if (corpus.empty() && featureFile.empty()) throw UsageError("--corpus is required");
    const auto focus = focusFromName(args.get("focus", "mix"));
    if (!focus) throw UsageError("unknown focus '" + args.get("focus") + "'");
    const auto mining = tripletMiningFromName(args.get("mining", "random"));
    if (!mining) throw UsageError("unknown mining '" + args.get("mining") + "' (random, batch-all, batch-hard)");
    std::string out = args.get("out");
    if (out.empty()) throw UsageError("--out is required (a model file *.pt or a folder)");
    if (fs::path(out).extension() != ".pt") out = (fs::path(out) / "model.pt").string();

    TrainConfig c;
    c.mining = *mining;
    c.spec.bands = args.getInt("bands", 64);
    c.spec.arch = ModelArch::Temporal;
    readModelShape(args, c.spec, {{ModelArch::Conv2d, {16, 32, 64, 64}}, {ModelArch::Hybrid, {16, 256, 256, 256}}});
    if (c.spec.arch == ModelArch::Harmonic)
        throw UsageError("--arch harmonic reads the constant-Q input, which this trainer does not make (train-mix --features cqt does)");
    c.weightDecay = args.getDouble("weight-decay", c.weightDecay);
    c.epochs = args.getInt("epochs", c.epochs);
    c.seed = uint64_t(args.getInt("seed", 1));
    c.batchSize = args.getInt("batch", 64);
    c.songsPerBatch = args.getInt("songs-per-batch", 16);
    c.learningRate = args.getDouble("lr", c.learningRate);
    c.margin = args.getDouble("margin", 0.2);
    c.threads = args.getInt("threads", 2);
    c.checkpointPath = args.get("checkpoint", out + ".ckpt");
    c.resume = args.has("resume");
    const bool quiet = args.has("quiet");

    SegmentFeatureOptions fo;
    fo.bands = c.spec.bands;
    fo.frames = c.spec.frames;
    fo.maxSegments = args.getInt("max-segments", 40);
    const std::string cacheDir = args.get("cache", defaultFeatureCacheDir());

    std::signal(SIGINT, onSigint);
    std::signal(SIGTERM, onSigint);
    const auto t0 = std::chrono::steady_clock::now();
    const FeatureSet data = !featureFile.empty() ? loadFeatureSet(featureFile) : cachedCorpusFeatures(
        corpus, *focus, fo, cacheDir, c.threads,
        [&](int done, int total, const std::string&) {
            if (!quiet && (done % 20 == 0 || done == total)) std::cerr << "features " << done << "/" << total << "\n";
        },
        &gCancel);
    const double featSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cerr << "features: " << data.songs.size() << " songs, " << data.segmentCount() << " segments ("
              << featSeconds << " s incl. cache)\n";

    const TrainResult r = trainEmbeddingModel(
        data, c, out,
        [&](const TrainProgress& p) {
            if (!quiet && p.epochEnd)
                std::fprintf(stderr, "epoch %d/%d  loss %.4f  active %.3f  %.1f s\n", p.epoch, p.epochs, p.loss,
                             p.activeFraction, p.elapsedSeconds);
        },
        &gCancel);
    if (r.cancelled) {
        std::cerr << "cancelled after epoch " << r.epochsDone << "; resume with --resume (checkpoint "
                  << c.checkpointPath << ")\n";
        return 130;
    }
    double trainSeconds = 0;
    for (double s : r.epochSeconds) trainSeconds += s;
    {
        std::ofstream info(fs::path(out).replace_extension(".train.json"));
        info << "{\n  \"focus\": \"" << focusName(*focus) << "\",\n  \"corpus\": \""
             << (corpus.empty() ? featureFile : fs::weakly_canonical(fs::absolute(corpus)).string()) << "\",\n  \"songs\": " << data.songs.size()
             << ",\n  \"segments\": " << data.segmentCount() << ",\n  \"mining\": \"" << tripletMiningName(c.mining)
             << "\",\n  \"seed\": " << c.seed << ",\n  \"epochs\": " << c.epochs << ",\n  \"batch\": " << c.batchSize
             << ",\n  \"margin\": " << c.margin << ",\n  \"lr\": " << c.learningRate << ",\n  \"threads\": "
             << c.threads << ",\n  \"model\": \"" << c.spec.describe() << "\",\n  \"resumed_from_epoch\": "
             << r.resumedFromEpoch << ",\n  \"train_seconds_this_call\": " << trainSeconds
             << ",\n  \"feature_seconds\": " << featSeconds << ",\n  \"epoch_loss\": [";
        for (size_t i = 0; i < r.epochLoss.size(); ++i) info << (i ? ", " : "") << r.epochLoss[i];
        info << "]\n}\n";
    }
    fs::remove(c.checkpointPath);
    std::cout << "wrote " << out << " (" << r.epochsDone << " epochs, " << trainSeconds << " s training)\n";
    return 0;
}

const CommandRegistration reg(
    {"train", "train an instrument-similarity embedding model for one focus (triplet loss)",
     "stemscope-cli train --corpus DIR --focus F --out DIR|FILE.pt [options]\n"
     "  --corpus DIR      one folder per song with mix.flac, drums.flac, bass.flac, piano.flac, guitar.flac\n"
     "  --focus F         mix | drums | bass | piano | guitar\n"
     "  --out PATH        model file (*.pt) or folder (writes model.pt and model.train.json)\n"
     "  --mining M        random (default, the paper) | batch-all | batch-hard\n"
     "  --seed S          random seed (default 1)\n"
     "  --epochs E        default 20;  --lr X (default 0.002);  --batch N (default 64);  --margin X (0.2)\n"
     "  --arch A          temporal (default: 1-D convs over time, mel bands as channels) | conv2d | hybrid\n"
     "  --channels a,b,c,d  conv block widths (default 128,128,128,128 temporal; use e.g. 16,32,64,64 for conv2d)\n"
     "  --bands N         mel bands (default 64);  --max-segments N  first N non-silent segments per song (40)\n"
     "  --cache DIR       feature cache folder (default ~/.cache/stemscope/features)\n"
     "  --features FILE   train on a feature cache file instead of --corpus\n"
     "  --threads N       torch / feature threads (default 2)\n"
     "  --resume          continue from the checkpoint (OUT.ckpt, kept after Ctrl-C)\n"
     "  --quiet           no per-epoch progress",
     run});

}  // namespace
}  // namespace stemscope::cli
