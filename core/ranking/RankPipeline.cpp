#include "ranking/RankPipeline.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "dsp/Cqt.h"
#include "ranking/PatchSampling.h"
#include "ranking/RankCorpus.h"
#include "ranking/RankModelFile.h"
#include "ranking/RankedLists.h"
#include "ranking/TagVector.h"
#include "util/AtomicFile.h"
#include "util/PairedBootstrap.h"

namespace stemscope {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

void say(const RankLog& log, const std::string& s)
{
    if (log) log(s);
}

std::vector<Matrix> loadFeatures(const std::vector<RankSong>& songs, const std::string& focus,
                                 const std::string& cacheDir, const RankLog& log)
{
    const Cqt cqt;
    std::vector<Matrix> out;
    for (size_t i = 0; i < songs.size(); ++i) {
        out.push_back(songCqt(songs[i], focus, cacheDir, cqt));
        if ((i + 1) % 20 == 0 || i + 1 == songs.size())
            say(log, "features " + std::to_string(i + 1) + "/" + std::to_string(songs.size()));
    }
    return out;
}

// A track for ranking: the mean of the model's outputs on `patches` evenly spaced patches; for the
// auto-tagger, the weighted tag vector of those mean probabilities (cosine then compares tags).
std::vector<float> trackRepresentation(RankNet& net, const Matrix& features, bool tagger, const TagVocabulary& vocab,
                                       int patches)
{
    const auto mean = meanRow(net.infer(evenPatches(features, net.config().frames, patches)));
    return tagger ? vocab.vectorFromScores(mean) : mean;
}

Matrix oracleFor(const std::vector<RankSong>& songs, const TagVocabulary& vocab)
{
    std::vector<std::vector<float>> rows;
    for (const auto& s : songs) rows.push_back(vocab.vector(s.tags));
    return cosineSimilarity(stackRows(rows));
}

std::vector<TagList> tagsOf(const std::vector<RankSong>& songs)
{
    std::vector<TagList> t;
    for (const auto& s : songs) t.push_back(s.tags);
    return t;
}

std::string fmt(const MeanCi& m)
{
    char b[64];
    std::snprintf(b, sizeof b, "%.3f ± %.3f", m.mean, m.halfWidth);
    return b;
}

}  // namespace

bool isHeldOut(int index, int every) { return every > 0 && index % every == every - 1; }

std::vector<RankSong> scanRankCorpora(const std::string& dirs)
{
    std::vector<RankSong> all;
    std::stringstream list(dirs);
    for (std::string dir; std::getline(list, dir, ',');)
        if (!dir.empty())
            for (auto& s : scanRankCorpus(dir)) all.push_back(std::move(s));
    return all;
}

std::vector<RankSong> foldSongs(const std::vector<RankSong>& all, const RankFolds& cv, bool heldOut)
{
    if (cv.fold < 0 || cv.fold >= cv.folds) throw std::invalid_argument("--fold must be in 0 .. folds-1");
    const auto fold = kFoldAssignment(int(all.size()), cv.folds, cv.seed);
    std::vector<RankSong> out;
    for (size_t i = 0; i < all.size(); ++i)
        if ((fold[i] == cv.fold) == heldOut) out.push_back(all[i]);
    return out;
}

std::string defaultRankCacheDir()
{
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/stemscope/rank-cqt";
    if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/stemscope/rank-cqt";
    return ".stemscope-rank-cqt";
}

RankTrainResult runRankTraining(const RankTrainRequest& r)
{
    if (r.mode != "tl" && r.mode != "at") throw std::invalid_argument("mode must be tl or at");
    auto all = r.cv.folds > 0 ? scanRankCorpora(r.corpusDir) : scanRankCorpus(r.corpusDir);
    for (auto& s : all) s.tags = keepFields(s.tags, r.oracleFields);
    std::vector<RankSong> songs;
    if (r.cv.folds > 0) songs = foldSongs(all, r.cv, false);
    else
        for (int i = 0; i < int(all.size()); ++i)
            if (!isHeldOut(i, r.holdoutEvery)) songs.push_back(all[size_t(i)]);
    RankTrainResult res;
    std::vector<RankSong> validation;
    if (r.validateSongs > 0) {
        if (r.validateSongs < 3 || size_t(r.validateSongs) * 2 > songs.size())
            throw std::runtime_error("--validate-songs must be between 3 and half of the " + std::to_string(songs.size()) +
                                     " training songs");
        std::vector<RankSong> keep;
        const double step = double(songs.size()) / r.validateSongs;
        size_t next = 0;
        for (size_t i = 0; i < songs.size(); ++i) {
            const bool val = next < size_t(r.validateSongs) && i == size_t(step * double(next) + step / 2);
            (val ? validation : keep).push_back(songs[i]);
            if (val) ++next;
        }
        songs = std::move(keep);
        res.validationSongs = int(validation.size());
    }
    if (songs.size() < 3) throw std::runtime_error("need at least 3 training songs in " + r.corpusDir);
    say(r.log, std::to_string(songs.size()) + " training songs (" + std::to_string(all.size() - songs.size()) +
                   " held out" + (validation.empty() ? "" : ", " + std::to_string(validation.size()) + " of them for validation") +
                   "), focus " + r.focus);

    res.trainTracks = int(songs.size());
    const auto t0 = Clock::now();
    const auto features = loadFeatures(songs, r.focus, r.cacheDir, r.log);
    const auto valFeatures = validation.empty() ? std::vector<Matrix>{} : loadFeatures(validation, r.focus, r.cacheDir, r.log);
    res.featureSeconds = since(t0);
    const Matrix valOracle = validation.empty() ? Matrix() : oracleFor(validation, TagVocabulary(tagsOf(validation)));
    if (!validation.empty()) {
        const auto c = randomRankingScores(valOracle);
        res.validationChance.map = c.map.mean;
        res.validationChance.ndcg = c.ndcg.mean;
        res.validationChance.rr = c.rr.mean;
        res.validationChance.recall = c.recall.mean;
        char b[160];
        std::snprintf(b, sizeof b, "validation chance (random rankings): MAP@20 %.3f nDCG@20 %.3f", c.map.mean, c.ndcg.mean);
        say(r.log, b);
    }

    const TagVocabulary vocab(tagsOf(songs));
    RankNetConfig cfg;
    cfg.width = r.width;
    cfg.dim = r.dim;
    cfg.pooling = r.pooling;
    RankModelInfo info;
    info.mode = r.mode;
    info.focus = r.focus;
    info.vocabulary = vocab.tags();
    if (vocab.size() == 0) throw std::runtime_error("the training songs have no tags of the oracle's fields");
    if (!r.oracleFields.empty()) {
        info.oracle.clear();
        for (const auto& f : r.oracleFields) info.oracle += (info.oracle.empty() ? "" : ",") + f;
    }
    if (r.mode == "at") cfg.outputs = vocab.size();
    info.net = cfg;
    if (r.mode == "tl") info.mining = miningName(r.mining.strategy);
    RankNet net(cfg, r.train.seed);

    TrainOptions opts = r.train;
    if (r.checkpoint) opts.checkpointPath = r.out + ".ckpt";
    opts.resume = r.resume;
    const bool appendCurve = r.resume && r.checkpoint && std::filesystem::exists(opts.checkpointPath);
    // Train to the plateau: the best validation MAP so far, where it was, and its weights on disk.
    struct {
        double map = -1;
        int epoch = -1, steps = 0, lastEpoch = -1;
        double seconds = 0;
    } best;
    const std::string bestPath = r.out + ".best";
    if (r.patience > 0) {
        if (validation.empty()) throw std::runtime_error("--patience needs --validate-songs N");
        if (r.curvePath.empty()) throw std::runtime_error("--patience needs --curve FILE (a resumed run reads its plateau there)");
        if (appendCurve) {
            // The best so far is what <out>.best says (its first line); the last epoch is the curve's.
            std::ifstream bestIn(bestPath, std::ios::binary);
            std::string head;
            if (!bestIn || !std::getline(bestIn, head) ||
                std::sscanf(head.c_str(), "stemscope-rank-best %d %d %lf %lf", &best.epoch, &best.steps, &best.seconds,
                            &best.map) != 4)
                throw std::runtime_error("cannot resume to the plateau: " + bestPath +
                                         " (the best epoch's weights) is missing or damaged");
            std::ifstream in(r.curvePath);
            std::string line;
            std::getline(in, line);  // header
            while (std::getline(in, line)) {
                int e = -1;
                if (std::sscanf(line.c_str(), "%d,", &e) == 1) best.lastEpoch = std::max(best.lastEpoch, e);
            }
        }
    }
    std::ofstream curve;
    if (!r.curvePath.empty() && !validation.empty()) {
        curve.open(r.curvePath, appendCurve ? std::ios::app : std::ios::trunc);
        if (!curve) throw std::runtime_error("cannot write " + r.curvePath);
        if (!appendCurve) curve << "epoch,steps,seconds,loss,val_map,val_ndcg,val_rr,val_recall\n";
    }
    const auto userOnEpoch = r.train.onEpoch;
    // One validation point; epoch 0 is the network as initialised (no loss yet: written empty).
    auto validate = [&](int e, double loss, double seconds, int steps) {
        RankCurvePoint p;
        p.epoch = e;
        p.steps = steps;
        p.seconds = seconds;
        p.loss = loss;
        std::vector<std::vector<float>> reps;
        for (const auto& f : valFeatures) reps.push_back(trackRepresentation(net, f, r.mode == "at", vocab, 8));
        const auto sc = evaluateRanking(valOracle, cosineSimilarity(stackRows(reps)));
        p.map = sc.map.mean;
        p.ndcg = sc.ndcg.mean;
        p.rr = sc.rr.mean;
        p.recall = sc.recall.mean;
        res.curve.push_back(p);
        best.lastEpoch = e;
        if (r.patience > 0 && p.map > best.map) {
            best = {p.map, e, steps, e, seconds};
            // One file, renamed into place: the weights and which epoch they are can never disagree.
            writeFileAtomically(bestPath, [&](std::ostream& f) {
                char head[160];
                std::snprintf(head, sizeof head, "stemscope-rank-best %d %d %.17g %.17g\n", best.epoch, best.steps,
                              best.seconds, best.map);
                f << head;
                net.save(f);
            });
        }
        if (curve.is_open()) {
            curve << e << "," << p.steps << "," << seconds << ",";
            if (e > 0) curve << loss;
            curve << "," << p.map << "," << p.ndcg << "," << p.rr << "," << p.recall << "\n";
            curve.flush();
        }
        return p;
    };
    // The floor every later point is read against (a fresh run only: a resumed one has it already).
    if (!validation.empty() && !appendCurve) {
        const auto p = validate(0, 0, 0, 0);
        char b[160];
        std::snprintf(b, sizeof b, "epoch 0 (untrained)  validation MAP@20 %.3f nDCG@20 %.3f", p.map, p.ndcg);
        say(r.log, b);
    }
    opts.onEpoch = [&](int e, double loss, double seconds, int steps) {
        char b[200];
        if (!validation.empty()) {
            const auto p = validate(e, loss, seconds, steps);
            std::snprintf(b, sizeof b, "epoch %d loss %.4f (%.0f s)  validation MAP@20 %.3f nDCG@20 %.3f", e, loss,
                          seconds, p.map, p.ndcg);
        } else {
            std::snprintf(b, sizeof b, "epoch %d loss %.4f (%.0f s)", e, loss, seconds);
        }
        say(r.log, b);
        if (userOnEpoch) userOnEpoch(e, loss, seconds, steps);
    };
    if (r.patience > 0)
        opts.stopAfterEpoch = [&] { return best.epoch >= 0 && best.lastEpoch - best.epoch >= r.patience; };
    if (r.mode == "tl") {
        const Matrix s = oracleFor(songs, vocab);
        const auto triplets = mineTriplets(s, rankedLists(s), r.mining);
        res.triplets = int(triplets.size());
        say(r.log, std::to_string(triplets.size()) + " triplets (" + miningName(r.mining.strategy) + ")");
        res.report = trainTriplets(net, features, triplets, opts);
    } else {
        std::vector<std::vector<float>> targets;
        for (const auto& s : songs) targets.push_back(vocab.multiHot(s.tags));
        res.report = trainTagger(net, features, targets, opts);
    }
    info.trainSeconds = res.report.seconds;
    info.steps = res.report.steps;
    info.stepsRun = res.report.steps;
    if (r.patience > 0 && best.epoch >= 0) {
        // The model is the best epoch's network; the file says how long that one had trained.
        std::ifstream f(bestPath, std::ios::binary);
        std::string head;
        std::getline(f, head);
        std::stringstream weights(std::string(std::istreambuf_iterator<char>(f), {}));
        net.load(weights);
        net.setTraining(false);
        res.bestEpoch = best.epoch;
        info.trainSeconds = best.seconds;
        info.steps = best.steps;
        char b[160];
        std::snprintf(b, sizeof b, "best validation MAP@20 %.3f at epoch %d (%d steps): kept as the model", best.map,
                      best.epoch, best.steps);
        say(r.log, b);
    }
    info.trainTracks = res.trainTracks;
    saveRankModel(r.out, info, net);
    return res;
}

std::vector<RankEvalRow> runRankEvaluation(const RankEvalRequest& r)
{
    std::vector<RankSong> pool;
    if (r.cv.folds > 0) {
        pool = foldSongs(scanRankCorpora(r.trainCorpusDir), r.cv, true);
    } else if (!r.trainCorpusDir.empty()) {
        const auto all = scanRankCorpus(r.trainCorpusDir);
        for (int i = 0; i < int(all.size()); ++i)
            if (isHeldOut(i, r.holdoutEvery)) pool.push_back(all[size_t(i)]);
    }
    if (!r.testCorpusDir.empty() && r.cv.folds == 0)
        for (auto& s : scanRankCorpus(r.testCorpusDir)) pool.push_back(std::move(s));
    if (pool.size() < 3) throw std::runtime_error("evaluation pool has fewer than 3 songs");
    for (auto& s : pool) {
        s.name = s.dir; // unique cache keys across the two corpora
        s.tags = keepFields(s.tags, r.oracleFields);
    }
    say(r.log, "evaluation pool: " + std::to_string(pool.size()) + " songs");
    const Matrix oracle = oracleFor(pool, TagVocabulary(tagsOf(pool)));

    std::vector<RankEvalRow> rows;
    std::vector<std::string> queryNames;
    for (const auto& s : pool) queryNames.push_back(s.dir);
    if (r.includeChance) {
        RankEvalRow c;
        c.name = "random ranking (chance)";
        c.scores = randomRankingScores(oracle, r.protocol);
        c.poolSize = int(pool.size());
        c.queries = queryNames;
        rows.push_back(c);
    }
    std::map<std::string, std::vector<Matrix>> featureCache; // per focus
    for (const auto& path : r.models) {
        RankModelInfo info;
        auto net = loadRankModel(path, info);
        const std::string focus = r.focus.empty() ? info.focus : r.focus;
        if (!featureCache.count(focus)) {
            // Cache keys: the song folder path with '/' replaced, so both corpora share one folder.
            std::vector<RankSong> keyed = pool;
            for (auto& s : keyed)
                for (char& ch : s.name)
                    if (ch == '/') ch = '_';
            featureCache[focus] = loadFeatures(keyed, focus, r.cacheDir, r.log);
        }
        const auto& features = featureCache[focus];
        const TagVocabulary modelVocab(info.vocabulary);
        std::vector<std::vector<float>> reps;
        for (const auto& f : features)
            reps.push_back(trackRepresentation(*net, f, info.mode == "at", modelVocab, r.patchesPerTrack));
        RankEvalRow row;
        row.model = path;
        row.focus = focus;
        row.name = rankMethodName(info);
        row.scores = evaluateRanking(oracle, cosineSimilarity(stackRows(reps)), r.protocol);
        row.trainSeconds = info.trainSeconds;
        row.steps = info.steps;
        row.poolSize = int(pool.size());
        row.queries = queryNames;
        say(r.log, row.name + ": MAP " + fmt(row.scores.map));
        rows.push_back(row);
    }
    return rows;
}

std::string rankRowsJson(const std::vector<RankEvalRow>& rows, int k)
{
    nlohmann::ordered_json out{{"format", "stemscope-rank-eval-1"}, {"k", k}};
    auto& list = out["rows"] = nlohmann::ordered_json::array();
    for (const auto& r : rows)
        list.push_back({{"name", r.name},
                        {"model", r.model},
                        {"focus", r.focus},
                        {"train_seconds", r.trainSeconds},
                        {"steps", r.steps},
                        {"queries", r.queries},
                        {"ap", r.scores.ap},
                        {"recall", r.scores.recallPerQuery},
                        {"rr", r.scores.rrPerQuery},
                        {"ndcg", r.scores.ndcgPerQuery}});
    return out.dump(1) + "\n";
}

std::string formatRankTable(const std::vector<RankEvalRow>& rows, int k)
{
    std::ostringstream o;
    const std::string K = std::to_string(k);
    o << "| method | focus | MAP@" << K << " | Recall@" << K << " | RR@" << K << " | nDCG@" << K
      << " | train s | steps |\n|---|---|---|---|---|---|---|---|\n";
    for (const auto& r : rows) {
        char t[32];
        std::snprintf(t, sizeof t, "%.0f", r.trainSeconds);
        o << "| " << r.name << " | " << (r.focus.empty() ? "-" : r.focus) << " | " << fmt(r.scores.map) << " | "
          << fmt(r.scores.recall) << " | " << fmt(r.scores.rr) << " | " << fmt(r.scores.ndcg) << " | "
          << (r.model.empty() ? "-" : t) << " | " << (r.model.empty() ? "-" : std::to_string(r.steps)) << " |\n";
    }
    return o.str();
}

}  // namespace stemscope
