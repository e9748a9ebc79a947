// `stemscope-cli rank train|evaluate`: learning to rank with triplet loss (Prétet, Richard &
// Peeters 2020) and its auto-tagger baseline. See docs/learning-to-rank.md.
#include <fstream>
#include <iostream>

#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "ranking/RankComparison.h"
#include "embedding/Focus.h"
#include "ranking/RankPipeline.h"
#include "ranking/SyntheticCorpus.h"
#include "ranking/TagVector.h"

namespace stemscope::cli {
namespace {

std::string focusArg(const CliArgs& a, const std::string& fallback)
{
    const std::string f = a.get("focus", fallback);
    const auto focus = f.empty() ? std::nullopt : focusFromName(f);
    if (!f.empty() && (!focus || *focus == Focus::Style))  // the input is <focus>.flac of each song
        throw UsageError("--focus takes mix, drums, bass, piano or guitar; not '" + f + "'");
    return f;
}

std::vector<std::string> oracleArg(const CliArgs& a)
{
    try {
        return parseFieldList(a.get("oracle", "all"));
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--oracle: ") + e.what());
    }
}

RankFolds foldsArg(const CliArgs& a)
{
    RankFolds cv;
    cv.folds = a.getInt("folds", 0);
    cv.fold = a.getInt("fold", 0);
    cv.seed = uint64_t(a.getInt("fold-seed", 1));
    if (cv.folds == 1 || cv.folds < 0) throw UsageError("--folds takes 2 or more (0: the holdout rule)");
    if (cv.folds > 0 && (cv.fold < 0 || cv.fold >= cv.folds)) throw UsageError("--fold must be 0 .. folds-1");
    return cv;
}

int train(int argc, char** argv)
{
    CliArgs a(argc, argv, {"resume"});
    RankTrainRequest r;
    r.corpusDir = a.get("corpus");
    r.out = a.get("out");
    if (r.corpusDir.empty() || r.out.empty()) throw UsageError("--corpus and --out are required");
    r.mode = a.get("mode", "tl");
    if (r.mode != "tl" && r.mode != "at") throw UsageError("--mode must be tl or at");
    const auto mining = miningFromName(a.get("mining", "random"));
    if (!mining) throw UsageError("--mining must be neighbors, random or distance");
    r.mining.strategy = *mining;
    r.mining.positives = a.getInt("np", 15);
    r.mining.negatives = a.getInt("nn", 250);
    r.mining.seed = uint64_t(a.getInt("seed", 1));
    if (!poolingFromName(a.get("pooling", "max"), r.pooling)) throw UsageError("--pooling must be max or autopool");
    r.focus = focusArg(a, "mix");
    r.cacheDir = a.get("cache", defaultRankCacheDir());
    r.oracleFields = oracleArg(a);
    r.holdoutEvery = a.getInt("holdout-every", 6);
    r.cv = foldsArg(a);
    r.width = a.getInt("width", 8);
    r.train.epochs = a.getInt("epochs", 10);
    r.train.stepsPerEpoch = a.getInt("steps", 50);
    r.train.batchSize = a.getInt("batch", 16);
    r.train.learningRate = a.getDouble("lr", 1e-3);
    r.train.margin = a.getDouble("margin", 0.5);
    r.train.timeBudgetSeconds = a.getDouble("budget", 0);
    r.train.threads = a.getInt("threads", 2);
    r.train.seed = uint64_t(a.getInt("seed", 1));
    r.validateSongs = a.getInt("validate-songs", 0);
    r.curvePath = a.get("curve");
    if (!r.curvePath.empty() && r.validateSongs == 0) throw UsageError("--curve needs --validate-songs N");
    r.patience = a.getInt("patience", 0);
    if (r.patience < 0) throw UsageError("--patience takes a number of epochs");
    if (r.patience > 0 && r.curvePath.empty()) throw UsageError("--patience needs --validate-songs N --curve FILE.csv");
    r.resume = a.has("resume");
    r.checkpoint = a.getInt("checkpoint", 1) != 0 || r.resume;
    r.log = [](const std::string& s) { std::cerr << s << std::endl; };
    const auto res = runRankTraining(r);
    std::cout << "trained " << r.mode << " on " << res.trainTracks << " songs: " << res.report.steps << " steps in "
              << res.report.seconds << " s (features " << res.featureSeconds << " s"
              << (res.report.resumedFromEpoch > 0 ? ", resumed after epoch " + std::to_string(res.report.resumedFromEpoch) : "")
              << (res.report.stoppedByBudget ? ", stopped by --budget" : "")
              << (res.report.stoppedEarly ? ", stopped at the plateau" : "")
              << (res.bestEpoch >= 0 ? "; model = epoch " + std::to_string(res.bestEpoch) : "") << ") -> " << r.out << "\n";
    return 0;
}

int evaluate(int argc, char** argv)
{
    CliArgs a(argc, argv, {"no-chance"});
    RankEvalRequest r;
    r.models = a.positional();
    if (r.models.empty()) throw UsageError("no model files");
    r.trainCorpusDir = a.get("corpus");
    r.testCorpusDir = a.get("test");
    if (r.trainCorpusDir.empty() && r.testCorpusDir.empty()) throw UsageError("--corpus and/or --test required");
    r.holdoutEvery = a.getInt("holdout-every", 6);
    r.cv = foldsArg(a);
    r.focus = focusArg(a, "");
    r.oracleFields = oracleArg(a);
    r.cacheDir = a.get("cache", defaultRankCacheDir());
    r.protocol.k = a.getInt("k", 20);
    r.protocol.relevantCount = a.getInt("relevant", 5);
    r.includeChance = !a.has("no-chance");
    r.log = [](const std::string& s) { std::cerr << s << std::endl; };
    const auto rows = runRankEvaluation(r);
    const std::string table = formatRankTable(rows, r.protocol.k);
    std::cout << table;
    if (a.has("out")) {
        std::ofstream o(a.get("out"));
        o << table;
        if (!o) throw std::runtime_error("cannot write " + a.get("out"));
    }
    if (a.has("json")) {
        std::ofstream o(a.get("json"));
        o << rankRowsJson(rows, r.protocol.k);
        if (!o) throw std::runtime_error("cannot write " + a.get("json"));
    }
    return 0;
}

int compare(int argc, char** argv)
{
    CliArgs a(argc, argv, {"pooled"});
    if (a.positional().empty()) throw UsageError("give one or more `rank evaluate --json` files");
    if (a.has("pooled")) {
        std::cout << formatPooledTable(a.positional(), a.getInt("resamples", 10000), uint64_t(a.getInt("seed", 1)));
        return 0;
    }
    const std::string metric = a.get("metric", "ap");
    const auto methods = loadRankValues(a.positional(), metric);
    std::cout << formatPairedComparisons(methods, metric, a.getInt("resamples", 10000), uint64_t(a.getInt("seed", 1)));
    return 0;
}

int synth(int argc, char** argv)
{
    CliArgs a(argc, argv);
    if (!a.has("out")) throw UsageError("--out DIR is required");
    SyntheticCorpusConfig c;
    c.songs = a.getInt("songs", 60);
    c.seconds = a.getDouble("seconds", 30.0);
    c.seed = uint64_t(a.getInt("seed", 1));
    c.namePrefix = a.get("prefix", "song");
    std::cout << writeSyntheticRankCorpus(a.get("out"), c) << " songs written to " << a.get("out") << "\n";
    return 0;
}

const CommandRegistration regSynth(
    {"rank synth-corpus", "write a small additive-synthesis tagged corpus (stand-in for the rendered one)",
     "stemscope-cli rank synth-corpus --out DIR [--songs 60] [--seconds 30] [--seed 1] [--prefix song]",
     synth});
const CommandRegistration regTrain(
    {"rank train", "train a learning-to-rank model (triplet loss or auto-tagger baseline) on a tagged corpus",
     "stemscope-cli rank train --corpus DIR --mode tl|at --out FILE [options]\n"
     "  --mining neighbors|random|distance  triplet mining (tl; default random)\n"
     "  --pooling max|autopool              temporal pooling (default max)\n"
     "  --focus mix|drums|bass|piano|guitar audio input: <focus>.flac of each song (default mix)\n"
     "  --epochs N --steps N --batch N      schedule (default 10 x 50 steps of 16; --epochs 0: the untrained\n"
     "                                      network, the floor a trained one must beat)\n"
     "  --lr X --margin X --budget SECONDS  Adam rate, triplet margin (0.5), training-time cap (summed over --resume)\n"
     "  --np N --nn N                       positives per anchor (15), negatives per pair (250)\n"
     "  --holdout-every N                   every N-th song (sorted) is held out for evaluation (6)\n"
     "  --folds K --fold I [--fold-seed S]  cross-validation instead: --corpus A,B,... all songs dealt to K\n"
     "                                      folds (seeded shuffle); train on every fold but I\n"
     "  --validate-songs N [--curve FILE.csv]  set N training songs aside; validation MAP/nDCG@20 after every\n"
     "                                      epoch (the learning curve; never the evaluation's songs)\n"
     "  --patience N                        with --curve: train to the plateau: stop when validation MAP@20 has\n"
     "                                      not beaten its best for N epochs; the model is the best epoch's\n"
     "  --oracle all|FIELD,...              tag fields of the oracle and the tagger's outputs (e.g. style,groove)\n"
     "  --resume                            continue from OUT.ckpt (written after every epoch; --checkpoint 0: none)\n"
     "  --width N --threads N --seed N --cache DIR",
     train});
const CommandRegistration regEval(
    {"rank evaluate", "rank held-out and test songs with trained models; MAP/Recall/RR/nDCG@k table",
     "stemscope-cli rank evaluate MODEL... --corpus TRAIN_DIR [--test TEST_DIR] [options]\n"
     "  pool = held-out songs of TRAIN_DIR (see rank train --holdout-every) + all of TEST_DIR;\n"
     "  every pool song queries the rest; relevant = the 5 first of its oracle (tag) ranking\n"
     "  --focus F        override the models' audio focus\n"
     "  --oracle all|FIELD,...  the oracle's tag fields (default all; e.g. style,groove)\n"
     "  --k N --relevant N --holdout-every N --cache DIR --no-chance\n"     "  --folds K --fold I [--fold-seed S]  the pool is fold I of --corpus A,B,... (as rank train dealt them)\n"
     "  --out FILE       also write the markdown table there\n"
     "  --json FILE      also write every method's per-query AP/Recall/RR/nDCG (for rank compare)",
     evaluate});
const CommandRegistration regCompare(
    {"rank compare", "paired bootstrap of the difference between every two methods, on the same queries",
     "stemscope-cli rank compare EVAL.json... [--metric ap|recall|rr|ndcg] [--resamples 10000] [--seed 1]\n"
     "  EVAL.json: `rank evaluate --json` files; folds add queries, seeds repeat them (averaged per query).\n"
     "  Per pair: mean difference, 95 % percentile interval, verdict (confirmed / refuted / undecided).\n"
     "  --pooled         instead, one row per method: every metric's mean over the queries, 95 % interval",
     compare});

}  // namespace
}  // namespace stemscope::cli
