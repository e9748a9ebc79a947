#include "training/TrainingRunner.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "analysis/EmbedderRegistry.h"
#include "audio/AudioDecoder.h"
#include "embedding/TorchEmbedder.h"
#include "embedding/TrackEmbedding.h"
#include "instrsim/FeatureSet.h"
#include "instrsim/SimilarityMetrics.h"
#include "instrsim/TripletTrainer.h"
#include "library/LibraryStore.h"
#include "ranking/RankPipeline.h"
#include "separation/Separator.h"
#include "util/JsonFile.h"

namespace stemscope::training {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {
struct CancelledByUser {};

using Json = nlohmann::ordered_json;

std::string num(double x)
{
    if (!std::isfinite(x)) return "null";
    std::ostringstream o;
    o.precision(6);
    o << x;
    return o.str();
}

// Six significant digits in the metrics too, as they always were.
Json jnum(double x) { return jsonRounded(x, 6); }

// The segments of `songs` (names) out of `all`, relabelled 0..songs-1 in `songs` order.
FeatureSet subset(const FeatureSet& all, const std::vector<std::string>& songs)
{
    FeatureSet out;
    out.bands = all.bands;
    out.frames = all.frames;
    std::map<int, int> remap;
    for (const auto& s : songs) {
        const auto it = std::find(all.songs.begin(), all.songs.end(), s);
        if (it == all.songs.end()) continue;
        remap[int(it - all.songs.begin())] = int(out.songs.size());
        out.songs.push_back(s);
    }
    for (long long i = 0; i < all.segmentCount(); ++i)
        if (auto it = remap.find(all.songOf[size_t(i)]); it != remap.end()) out.append(it->second, all.segment(i));
    return out;
}

double knnOf(const Embedder& e, const FeatureSet& test)
{
    const auto* t = dynamic_cast<const TorchEmbedder*>(&e);
    if (!t || test.segmentCount() < 2) return std::numeric_limits<double>::quiet_NaN();
    const Matrix m = t->embedRaw(test.data.data(), test.segmentCount());
    return knnAccuracy(m, test.songOf, 5);
}

void say(const TrainingCallbacks& cb, const std::string& s)
{
    if (cb.log) cb.log(s);
}
}  // namespace

const char* statusName(TrainingOutcome::Status s)
{
    switch (s) {
    case TrainingOutcome::Status::Done: return "done";
    case TrainingOutcome::Status::Paused: return "paused";
    case TrainingOutcome::Status::Cancelled: return "cancelled";
    case TrainingOutcome::Status::Failed: return "failed";
    }
    return "failed";
}

std::string TrainingOutcome::metricsJson() const
{
    Json loss = Json::array(), knn = Json::array(), rows = Json::array();
    for (const auto& h : history) {
        loss.push_back(jnum(h.loss));
        knn.push_back(jnum(h.validationKnn));
    }
    for (const auto& s : scores)
        rows.push_back({{"label", s.label},
                        {"model", s.modelId},
                        {"knn", jnum(s.knnAccuracy)},
                        {"map", jnum(s.map)},
                        {"recall", jnum(s.recall)},
                        {"ndcg", jnum(s.ndcg)}});
    Json o = {{"status", statusName(status)},
              {"epochs_done", epochsDone},
              {"train_songs", trainSongs},
              {"test_songs", testSongs},
              {"test_segments", testSegments},
              {"seconds", jnum(seconds)},
              {"epoch_loss", loss},
              {"validation_knn", knn},
              {"scores", rows}};
    if (!error.empty()) o["error"] = error;
    return dumpJson(o);
}

TrainingRunner::TrainingRunner(TrainingJob job, TrainingEnvironment env)
    : job_(std::move(job)), env_(std::move(env)), workDir_(workDirOf(job_))
{
    if (env_.modelsRoot.empty()) env_.modelsRoot = defaultModelsRoot();
}

std::string TrainingRunner::checkpointPath() const { return (fs::u8path(workDir_) / "checkpoint.ckpt").u8string(); }

std::vector<EpochReport> TrainingRunner::savedHistory() const
{
    // progress.json: {"epochs": E, "history": [[loss, knn, seconds], ...]}
    std::vector<EpochReport> h;
    const auto path = fs::u8path(workDir_) / "progress.json";
    std::error_code ec;
    if (!fs::exists(path, ec)) return h;
    try {
        const Json root = readJsonFile(path.u8string());
        const Json& epochs = jsonMember(root, "epochs");
        const Json& hist = jsonMember(root, "history");
        if (epochs.is_null() || !hist.is_array()) return h;
        int e = 0;
        for (const auto& row : hist) {
            if (!row.is_array() || row.size() < 3) break;
            EpochReport r;
            r.epoch = ++e;
            r.epochs = int(jsonNumber(epochs));
            r.loss = jsonNumber(row[0]);
            r.validationKnn = jsonNumber(row[1], std::numeric_limits<double>::quiet_NaN());
            r.seconds = jsonNumber(row[2]);
            h.push_back(r);
        }
    } catch (const std::exception&) {
        h.clear();
    }
    return h;
}

void TrainingRunner::saveHistory(const std::vector<EpochReport>& h) const
{
    fs::create_directories(fs::u8path(workDir_));
    Json rows = Json::array();
    for (const auto& r : h) rows.push_back({jnum(r.loss), jnum(r.validationKnn), jnum(r.seconds)});
    writeJsonFile((fs::u8path(workDir_) / "progress.json").u8string(), {{"epochs", job_.epochs}, {"history", rows}});
}

int TrainingRunner::checkpointEpoch() const
{
    std::error_code ec;
    if (!fs::exists(fs::u8path(checkpointPath()), ec)) return 0;
    return int(savedHistory().size());
}

void TrainingRunner::discardCheckpoint()
{
    std::error_code ec;
    for (const char* f : {"checkpoint.ckpt", "progress.json", "epoch.pt", "model.pt"})
        fs::remove(fs::u8path(workDir_) / f, ec);
}

TrainingOutcome TrainingRunner::run(const TrainingCallbacks& cb, const std::atomic<bool>* cancel,
                                    const std::atomic<bool>* pause)
{
    const auto t0 = Clock::now();
    TrainingOutcome out;
    out.epochs = job_.epochs;
    std::unique_ptr<LibraryStore> store;
    try {
        if (cb.phase) cb.phase("checking", 0);
        ValidationEnv venv = env_.validation;
        const Validation v = validateJob(job_, venv);
        if (!v.ok()) {
            out.error = v.text();
            return out;
        }
        for (const auto& w : v.warnings) say(cb, w);
        fs::create_directories(fs::u8path(workDir_));
        if (!env_.libraryPath.empty()) {
            store = std::make_unique<LibraryStore>(env_.libraryPath);
            const auto base = store->models(job_.focus);
            out.runId = store->startTrainingRun(job_.focus, base.empty() ? std::string() : base.front(),
                                                job_.paramsJson());
        }
        TrainingOutcome r = job_.mode == TrainMode::TrackTriplets ? runTriplets(v, cb, cancel, pause)
                                                                 : runRanked(v, cb, cancel);
        r.runId = out.runId;
        out = std::move(r);
    } catch (const CancelledByUser&) {
        out.status = TrainingOutcome::Status::Cancelled;
    } catch (const std::exception& e) {
        out.status = TrainingOutcome::Status::Failed;
        out.error = e.what();
    }
    out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    if (store && out.runId > 0) {
        try {
            store->finishTrainingRun(out.runId, statusName(out.status), "", out.metricsJson());
        } catch (const std::exception& e) {
            say(cb, std::string("could not record the training run: ") + e.what());
        }
    }
    return out;
}

TrainingOutcome TrainingRunner::runTriplets(const Validation& v, const TrainingCallbacks& cb,
                                            const std::atomic<bool>* cancel, const std::atomic<bool>* pause)
{
    TrainingOutcome out;
    out.epochs = job_.epochs;
    std::string dataDir = effectiveDataDir(job_);

    // 1. mixes -> stems
    if (job_.source == DataSource::Mixes) {
        const auto sep = env_.validation.separator;
        const auto decoder = env_.validation.decoder ? env_.validation.decoder : defaultAudioDecoder();
        dataDir = (fs::u8path(workDir_) / "separated").u8string();
        int done = 0;
        std::error_code ec;
        std::map<std::string, std::string> mixOf;
        for (const auto& e : fs::directory_iterator(fs::u8path(job_.dataDir), ec)) {
            const std::string song = e.is_directory() ? e.path().filename().u8string() : e.path().stem().u8string();
            mixOf[song] = e.is_directory() ? stemFileFor(e.path().u8string(), Focus::Mix) : e.path().u8string();
        }
        for (const auto& song : v.songs) {
            if (cancel && *cancel) throw CancelledByUser{};
            if (cb.phase) cb.phase("separating " + song, double(done++) / double(v.songs.size()));
            const auto dir = fs::u8path(dataDir) / fs::u8path(song);
            if (fs::exists(dir / "mix.flac")) continue;
            DecodeOptions o;
            o.targetSampleRate = sep->sampleRate();
            const auto mix = decoder->decodeMono(mixOf[song], o);
            const auto stems = sep->separate(mix.samples);
            const auto tmp = fs::u8path(dataDir) / fs::u8path(song + ".tmp");
            fs::create_directories(tmp);
            for (const auto& [name, x] : stems) writeMonoAudio((tmp / (name + ".flac")).u8string(), x, sep->sampleRate());
            writeMonoAudio((tmp / "mix.flac").u8string(), mix.samples, sep->sampleRate());
            fs::rename(tmp, dir);
        }
    }

    // 2. features
    if (cb.phase) cb.phase("features", 0);
    SegmentFeatureOptions fo;
    fo.bands = job_.bands;
    fo.frames = job_.modelSpec().frames;
    fo.maxSegments = job_.maxSegmentsPerSong;
    const FeatureSet all = cachedCorpusFeatures(
        dataDir, job_.focus, fo, (fs::u8path(workDir_) / "features").u8string(), std::max(1, job_.threads),
        [&](int done, int total, const std::string&) {
            if (cb.phase) cb.phase("features", total ? double(done) / total : 1.0);
        },
        cancel);
    if (cancel && *cancel) throw CancelledByUser{};
    const FeatureSet train = subset(all, v.split.train);
    const FeatureSet test = subset(all, v.split.test);
    if (int(train.songs.size()) < kMinTrainSongs || int(test.songs.size()) < kMinTestSongs)
        throw std::runtime_error("Too few songs with non-silent segments: " + std::to_string(train.songs.size()) +
                                 " for training, " + std::to_string(test.songs.size()) + " for testing.");
    out.trainSongs = int(train.songs.size());
    out.testSongs = int(test.songs.size());
    out.testSegments = int(test.segmentCount());
    say(cb, std::to_string(train.songs.size()) + " training songs (" + std::to_string(train.segmentCount()) +
                " segments), " + std::to_string(test.songs.size()) + " test songs (" +
                std::to_string(test.segmentCount()) + " segments)");

    // 3. + 4. training, one epoch per call, validation after each
    const std::string ckpt = checkpointPath();
    const std::string epochModel = (fs::u8path(workDir_) / "epoch.pt").u8string();
    const std::string modelFile = (fs::u8path(workDir_) / "model.pt").u8string();
    std::error_code ec;
    std::vector<EpochReport> history;
    if (fs::exists(fs::u8path(ckpt), ec)) {
        history = savedHistory();
        out.resumedFromEpoch = int(history.size());
        say(cb, "resuming from the checkpoint after epoch " + std::to_string(history.size()));
        for (const auto& h : history)
            if (cb.epoch) cb.epoch(h);
    } else {
        discardCheckpoint();
    }
    TrainConfig c;
    c.spec = job_.modelSpec();
    c.mining = job_.mining;
    c.margin = job_.margin;
    c.batchSize = job_.batchSize;
    c.songsPerBatch = std::max(2, std::min(job_.songsPerBatch, int(train.songs.size())));
    c.epochs = job_.epochs;
    c.learningRate = job_.learningRate;
    c.seed = job_.seed;
    c.threads = std::max(1, job_.threads);
    c.checkpointPath = ckpt;
    c.resume = true;
    c.stopAfterEpochs = 1;
    c.epochModelPath = epochModel;
    if (cb.phase) cb.phase("training", double(history.size()) / std::max(1, job_.epochs));
    double thisRunSeconds = 0;
    int thisRunEpochs = 0;
    for (;;) {
        const auto te = Clock::now();
        const TrainResult r = trainEmbeddingModel(
            train, c, modelFile,
            [&](const TrainProgress& p) {
                if (cb.step) cb.step(p.epoch, p.epochs, p.step, p.steps, p.loss);
            },
            cancel);
        const double secs = std::chrono::duration<double>(Clock::now() - te).count();
        if (r.epochsDone > int(history.size()) && !r.epochLoss.empty()) {
            thisRunSeconds += secs;
            ++thisRunEpochs;
            EpochReport e;
            e.epoch = r.epochsDone;
            e.epochs = job_.epochs;
            e.loss = r.epochLoss.back();
            e.seconds = secs;
            e.validationKnn = knnOf(TorchEmbedder(epochModel), test);
            e.etaSeconds = (thisRunSeconds / thisRunEpochs) * (job_.epochs - e.epoch);
            history.push_back(e);
            saveHistory(history);
            if (cb.epoch) cb.epoch(e);
            if (cb.phase) cb.phase("training", double(e.epoch) / job_.epochs);
        }
        out.epochsDone = r.epochsDone;
        if (cancel && *cancel) {
            out.status = TrainingOutcome::Status::Cancelled;
            out.history = history;
            return out;
        }
        if (r.epochsDone >= job_.epochs && !r.cancelled) break;
        if (pause && *pause) {
            out.status = TrainingOutcome::Status::Paused;
            out.history = history;
            return out;
        }
    }
    out.history = history;

    // 5. evaluation beside the installed model
    if (cb.phase) cb.phase("evaluating", 0);
    ModelScores mine;
    mine.label = "trained model";
    mine.knnAccuracy = knnOf(TorchEmbedder(modelFile), test);
    out.scores.push_back(mine);
    const auto installedFolder = modelFolderFor(env_.modelsRoot, job_.focus);
    const auto installedDir = (fs::u8path(env_.modelsRoot) / fs::u8path(installedFolder)).u8string();
    if (joinedModelFolders(installedFolder).size() > 1) {
        // This comparison feeds one model its log-mel test set; a joined focus reads several inputs.
        say(cb, std::string("the installed ") + focusName(job_.focus) + " focus joins several models (" + installedFolder +
                    "); not compared here (stemscope-cli evaluate compares them on clean stems)");
    } else if (fs::exists(fs::u8path(resolveModelFile(installedDir)), ec)) {
        try {
            const auto installed = makeTorchEmbedder(job_.focus, installedDir);
            ModelScores s;
            s.label = std::string("installed ") + focusName(job_.focus) + " model";
            s.modelId = installed->modelId();
            if (installed->features() == EmbedderFeatures::LogMel && installed->segmentFrames() == test.frames &&
                installed->featureBands() == test.bands)
                s.knnAccuracy = knnOf(*installed, test);
            else
                say(cb, "the installed model reads other features; not compared");
            out.scores.push_back(s);
        } catch (const std::exception& e) {
            say(cb, std::string("the installed model could not be evaluated: ") + e.what());
        }
    } else {
        say(cb, std::string("no installed ") + focusName(job_.focus) + " model to compare with");
    }
    out.modelFile = modelFile;
    out.status = TrainingOutcome::Status::Done;
    fs::remove(fs::u8path(ckpt), ec);
    fs::remove(fs::u8path(epochModel), ec);
    return out;
}

TrainingOutcome TrainingRunner::runRanked(const Validation& v, const TrainingCallbacks& cb,
                                          const std::atomic<bool>* cancel)
{
    TrainingOutcome out;
    out.epochs = job_.epochs;
    // A corpus of the usable songs only (links to the song folders), so left-out songs stay out.
    const auto corpus = fs::u8path(workDir_) / "corpus";
    std::error_code ec;
    fs::remove_all(corpus, ec);
    fs::create_directories(corpus);
    // RankPipeline reads <song>/<focus>.flac: link FLAC files, convert the others once (cached).
    const auto decoder = env_.validation.decoder ? env_.validation.decoder : defaultAudioDecoder();
    const auto converted = fs::u8path(workDir_) / "flac";
    for (const auto& s : v.songs) {
        const auto src = fs::u8path(effectiveDataDir(job_)) / fs::u8path(s);
        const auto dst = corpus / fs::u8path(s);
        fs::create_directories(dst);
        const std::string name = std::string(focusName(job_.focus)) + ".flac";
        const fs::path file = fs::u8path(stemFileFor(src.u8string(), job_.focus));
        if (file.extension() == ".flac") {
            fs::create_symlink(fs::absolute(file), dst / name);
        } else {
            const auto flac = converted / fs::u8path(s) / name;
            if (!fs::exists(flac, ec)) {
                fs::create_directories(flac.parent_path());
                DecodeOptions o;
                o.targetSampleRate = 44100;
                const auto a = decoder->decodeMono(file.u8string(), o);
                writeMonoAudio(flac.u8string() + ".tmp.flac", a.samples, a.sampleRate);
                fs::rename(flac.u8string() + ".tmp.flac", flac);
            }
            fs::create_symlink(fs::absolute(flac), dst / name);
        }
        for (const char* extra : {"meta.json", "tags.txt"})
            if (fs::exists(src / extra, ec)) fs::create_symlink(fs::absolute(src / extra), dst / extra);
    }
    const std::string modelFile = (fs::u8path(workDir_) / "model.pt").u8string();
    const std::string cache = (fs::u8path(workDir_) / "cqt").u8string();
    out.trainSongs = int(v.split.train.size());
    out.testSongs = out.testSegments = int(v.split.test.size());

    RankTrainRequest req;
    req.corpusDir = corpus.u8string();
    req.out = modelFile;
    req.mode = "tl";
    req.mining.strategy = job_.rankMining;
    req.mining.seed = job_.seed;
    req.pooling = job_.pooling == Pooling::AutoPool ? TemporalPooling::AutoPool : TemporalPooling::Max;
    req.focus = focusName(job_.focus);
    req.cacheDir = cache;
    req.holdoutEvery = job_.rankHoldoutEvery();
    req.width = job_.rankWidth;
    req.train.epochs = job_.epochs;
    req.train.stepsPerEpoch = job_.rankStepsPerEpoch;
    req.train.batchSize = job_.rankBatchSize;
    req.train.learningRate = job_.learningRate;
    req.train.margin = job_.rankMargin;
    req.train.threads = std::max(1, job_.threads);
    req.train.seed = job_.seed;
    req.log = [&](const std::string& s) { say(cb, s); };
    double last = 0;
    req.train.onEpoch = [&](int epoch, double loss, double seconds, int) {
        EpochReport e;
        e.epoch = epoch;
        e.epochs = job_.epochs;
        e.loss = loss;
        e.seconds = seconds - last;
        last = seconds;
        e.etaSeconds = epoch > 0 ? seconds / epoch * (job_.epochs - epoch) : 0;
        out.history.push_back(e);
        if (cb.epoch) cb.epoch(e);
        if (cb.phase) cb.phase("training", double(epoch) / job_.epochs);
        if (cancel && *cancel) throw CancelledByUser{};
    };
    if (cb.phase) cb.phase("features", 0);
    const auto res = runRankTraining(req);
    out.epochsDone = res.report.epochs;

    if (cb.phase) cb.phase("evaluating", 0);
    RankEvalRequest ev;
    ev.models = {modelFile};
    ev.trainCorpusDir = corpus.u8string();
    ev.holdoutEvery = req.holdoutEvery;
    ev.focus = req.focus;
    ev.cacheDir = cache;
    const int pool = int(v.split.test.size());
    ev.protocol.relevantCount = std::max(1, std::min(5, pool - 2));
    ev.protocol.k = std::max(1, std::min(20, pool - 1));
    ev.includeChance = true;
    const auto rows = runRankEvaluation(ev);
    for (int pass = 0; pass < 2; ++pass)
        for (const auto& row : rows) {
            const bool chance = row.model.empty();
            if (chance != (pass == 1)) continue;
            ModelScores s;
            s.label = chance ? "chance (random ranking)" : "trained model";
            s.map = row.scores.map.mean;
            s.recall = row.scores.recall.mean;
            s.ndcg = row.scores.ndcg.mean;
            out.scores.push_back(s);
        }
    out.modelFile = modelFile;
    out.status = TrainingOutcome::Status::Done;
    return out;
}

std::string userModelsRoot()
{
    if (const char* e = std::getenv("STEMSCOPE_USER_MODELS"); e && *e) return e;
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return std::string(x) + "/Stemscope/models";
    if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/share/Stemscope/models";
    return "user-models";
}

std::string sanitizeModelName(const std::string& name)
{
    std::string r;
    for (unsigned char c : name) {
        const bool keep = std::isalnum(c) || c == '-' || c == '_' || c == '.';
        if (keep) r += char(c);
        else if (!r.empty() && r.back() != '-') r += '-';
    }
    while (!r.empty() && (r.back() == '-' || r.back() == '.')) r.pop_back();
    while (!r.empty() && r.front() == '.') r.erase(r.begin());
    return r;
}

std::string modelCardMarkdown(const TrainingJob& job, const TrainingOutcome& o, const std::string& name,
                              const std::string& modelId, const std::string& notes)
{
    std::ostringstream m;
    char when[32];
    const std::time_t now = std::time(nullptr);
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
    m << "# " << name << "\n\n";
    if (!notes.empty()) m << notes << "\n\n";
    m << "| | |\n|---|---|\n";
    m << "| model id | `" << modelId << "` |\n";
    m << "| focus | " << focusName(job.focus) << " |\n";
    m << "| mode | " << trainModeName(job.mode) << " (" << frontEndName(job.frontEnd) << " front-end, "
      << (job.mode == TrainMode::RankedList ? poolingName(job.pooling) : "mean+max") << " pooling) |\n";
    if (job.mode == TrainMode::TrackTriplets)
        m << "| network | " << job.modelSpec().describe() << " |\n| mining | " << tripletMiningName(job.mining)
          << ", margin " << job.margin << ", batch " << job.batchSize << " |\n";
    else
        m << "| network | RankNet width " << job.rankWidth << " |\n| mining | " << miningName(job.rankMining)
          << ", margin " << job.rankMargin << ", " << job.rankStepsPerEpoch << " steps/epoch |\n";
    m << "| data | " << dataSourceName(job.source) << ": `" << job.dataDir << "` |\n";
    m << "| split | " << o.trainSongs << " training songs, " << o.testSongs << " test songs (seed " << job.seed
      << ") |\n";
    m << "| training | " << o.epochsDone << " epochs, learning rate " << job.learningRate << " |\n";
    m << "| trained | " << when << " |\n\n";
    m << "## Evaluation on the held-out songs\n\n";
    if (job.mode == TrainMode::TrackTriplets) {
        m << "| model | kNN song-ID accuracy (k = 5) |\n|---|---|\n";
        for (const auto& s : o.scores)
            m << "| " << s.label << (s.modelId.empty() ? "" : " (`" + s.modelId + "`)") << " | "
              << (std::isfinite(s.knnAccuracy) ? num(s.knnAccuracy) : "n/a") << " |\n";
    } else {
        m << "| model | MAP | recall | nDCG |\n|---|---|---|---|\n";
        for (const auto& s : o.scores)
            m << "| " << s.label << " | " << num(s.map) << " | " << num(s.recall) << " | " << num(s.ndcg) << " |\n";
    }
    m << "\n## Loss per epoch\n\n";
    for (const auto& e : o.history)
        m << "- epoch " << e.epoch << ": loss " << num(e.loss)
          << (std::isfinite(e.validationKnn) ? ", validation kNN " + num(e.validationKnn) : std::string()) << "\n";
    m << "\nParameters: `" << job.paramsJson() << "`\n";
    return m.str();
}

InstallResult installTrainedModel(const TrainingJob& job, const TrainingOutcome& outcome, const std::string& name,
                                  const std::string& userRoot, const std::string& libraryPath,
                                  const std::string& notes, bool overwrite)
{
    if (outcome.status != TrainingOutcome::Status::Done || outcome.modelFile.empty())
        throw std::runtime_error("there is no finished model to install");
    const std::string folder = sanitizeModelName(name);
    if (folder.empty()) throw std::runtime_error("give the model a name (letters, digits, - or _)");
    InstallResult r;
    r.dir = (fs::u8path(userRoot) / fs::u8path(folder)).u8string();
    std::error_code ec;
    if (fs::exists(fs::u8path(r.dir), ec) && !overwrite)
        throw std::runtime_error("a model named '" + folder + "' already exists in " + userRoot);
    fs::create_directories(fs::u8path(r.dir));
    r.modelFile = (fs::u8path(r.dir) / "model.pt").u8string();
    fs::copy_file(fs::u8path(outcome.modelFile), fs::u8path(r.modelFile), fs::copy_options::overwrite_existing);
    int dim = job.dim;
    if (job.mode == TrainMode::TrackTriplets) {
        const auto e = makeTorchEmbedder(job.focus, r.dir);
        if (!e) throw std::runtime_error("the installed model does not load: " + r.modelFile);
        r.modelId = e->modelId();
        dim = e->dimension();
    } else {
        r.modelId = "rank-tl:" + folder;
    }
    r.cardFile = (fs::u8path(r.dir) / "model-card.md").u8string();
    {
        std::ofstream card(fs::u8path(r.cardFile));
        card << modelCardMarkdown(job, outcome, name, r.modelId, notes);
        if (!card) throw std::runtime_error("could not write " + r.cardFile);
    }
    if (!libraryPath.empty()) {
        LibraryStore store(libraryPath);
        store.registerModel(r.modelId, job.focus, r.dir, dim, notes.empty() ? name : name + ": " + notes);
        if (outcome.runId > 0) store.finishTrainingRun(outcome.runId, "registered", r.modelId, outcome.metricsJson());
    }
    return r;
}

std::string activateModel(const std::string& installedDir, Focus focus, const std::string& modelsRoot)
{
    const auto src = fs::u8path(resolveModelFile(installedDir));
    if (!fs::exists(src)) throw std::runtime_error("no model.pt in " + installedDir);
    const auto dir = fs::u8path(modelsRoot) / focusName(focus);
    fs::create_directories(dir);
    const auto dst = dir / "model.pt";
    std::error_code ec;
    if (fs::exists(dst, ec)) fs::copy_file(dst, dir / "model.pt.previous", fs::copy_options::overwrite_existing);
    const auto tmp = dir / "model.pt.tmp";
    fs::copy_file(src, tmp, fs::copy_options::overwrite_existing);
    fs::rename(tmp, dst);
    const auto e = makeTorchEmbedder(focus, dir.u8string());
    if (!e) throw std::runtime_error("the activated model does not load: " + dst.u8string());
    setModelFolderFor(modelsRoot, focus, focusName(focus));  // the engine serves this focus from it now
    return e->modelId();
}

}  // namespace stemscope::training
