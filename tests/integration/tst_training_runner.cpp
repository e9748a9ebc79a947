// Training wizard core end to end on a tiny synthetic multitrack corpus: features, training with a
// pause after the first epoch and a resume from its checkpoint (as after a restart), per-epoch
// validation, evaluation beside the installed model, install with a model card, registration in
// the library, activation for the focus; and the ranked-list mode on a tagged corpus.
#include <QtTest>

#include <QTemporaryDir>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "SyntheticMultitrack.h"
#include "TinyTrainingJob.h"
#include "audio/AudioDecoder.h"
#include "analysis/EmbedderRegistry.h"
#include "embedding/TorchEmbedder.h"
#include "instrsim/TripletTrainer.h"
#include "library/LibraryStore.h"
#include "separation/Separator.h"
#include "training/LibraryCorpus.h"
#include "training/TrainingRunner.h"

using namespace stemscope;
using namespace stemscope::training;
namespace fs = std::filesystem;

class TrainingRunnerTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string corpus_;

    TrainingJob tinyJob() { return test::tinyTrainingJob(corpus_, dir_.filePath("work").toStdString()); }

private Q_SLOTS:
    void initTestCase()
    {
        corpus_ = dir_.filePath("corpus").toStdString();
        test::writeSyntheticMultitrack(corpus_);  // 6 songs x 8 s, mix + bass
        for (int s = 0; s < 6; ++s)
            std::ofstream((fs::path(corpus_) / ("song" + std::to_string(s)) / "tags.txt").string())
                << "style=" << (s % 2 ? "funk" : "rock") << ", tempo=" << (s % 3 ? "fast" : "slow");
        // An installed bass model to compare with (same features, untrained).
        ModelSpec spec;
        spec.channels = {8, 8, 8, 8};
        spec.dim = 16;
        writeUntrainedModel(spec, 3, dir_.filePath("models/bass/model.pt").toStdString());
        setEmbedderFactory(&makeModelEmbedder);
    }

    void pauseResumeInstallRegister()
    {
        TrainingEnvironment env;
        env.modelsRoot = dir_.filePath("models").toStdString();
        env.libraryPath = dir_.filePath("library.sqlite").toStdString();
        TrainingRunner runner(tinyJob(), env);
        QCOMPARE(runner.checkpointEpoch(), 0);

        std::atomic<bool> pause{false};
        std::vector<EpochReport> epochs;
        int steps = 0;
        TrainingCallbacks cb;
        cb.step = [&](int, int, int, int, double loss) {
            ++steps;
            QVERIFY(std::isfinite(loss));
            pause = true;  // the user pressed Pause during epoch 1: it still completes
        };
        cb.epoch = [&](const EpochReport& e) { epochs.push_back(e); };
        const auto first = runner.run(cb, nullptr, &pause);
        QVERIFY2(first.status == TrainingOutcome::Status::Paused, first.error.c_str());
        QCOMPARE(first.epochsDone, 1);
        QCOMPARE(epochs.size(), size_t(1));
        QVERIFY(std::isfinite(epochs[0].validationKnn));
        QVERIFY(steps > 0);

        // "Restart": a new runner for the same job finds the checkpoint and its curve.
        TrainingRunner again(tinyJob(), env);
        QCOMPARE(again.checkpointEpoch(), 1);
        QCOMPARE(again.savedHistory().size(), size_t(1));
        epochs.clear();
        pause = false;
        cb.step = {};
        const auto done = again.run(cb, nullptr, &pause);
        QVERIFY2(done.status == TrainingOutcome::Status::Done, done.error.c_str());
        QCOMPARE(done.resumedFromEpoch, 1);
        QCOMPARE(done.epochsDone, 2);
        QCOMPARE(done.history.size(), size_t(2));
        QCOMPARE(epochs.size(), size_t(2));  // replayed epoch 1 + new epoch 2
        QCOMPARE(done.testSongs, 2);
        QCOMPARE(done.trainSongs, 4);
        QCOMPARE(done.scores.size(), size_t(2));
        QVERIFY(done.scores[0].knnAccuracy >= 0 && done.scores[0].knnAccuracy <= 1);
        QVERIFY(done.scores[1].label.find("installed bass") != std::string::npos);
        QVERIFY(std::isfinite(done.scores[1].knnAccuracy));
        QVERIFY(fs::exists(done.modelFile));
        QVERIFY(!fs::exists(again.checkpointPath()));
        QVERIFY(done.runId > 0);

        const std::string userRoot = dir_.filePath("user-models").toStdString();
        const auto inst = installTrainedModel(again.job(), done, "My bass", userRoot, env.libraryPath, "test run");
        QVERIFY(fs::exists(inst.modelFile));
        QVERIFY(fs::exists(inst.cardFile));
        QCOMPARE(fs::path(inst.dir).filename().string(), std::string("My-bass"));
        std::ifstream card(inst.cardFile);
        std::string text((std::istreambuf_iterator<char>(card)), {});
        QVERIFY(text.find("kNN song-ID accuracy") != std::string::npos);
        QVERIFY(text.find(inst.modelId) != std::string::npos);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 installTrainedModel(again.job(), done, "My bass", userRoot, env.libraryPath));
        {
            LibraryStore store(env.libraryPath);
            const auto models = store.models(Focus::Bass);
            QVERIFY(std::find(models.begin(), models.end(), inst.modelId) != models.end());
        }
        const auto active = activateModel(inst.dir, Focus::Bass, env.modelsRoot);
        QCOMPARE(active, inst.modelId);
        QVERIFY(fs::exists(fs::path(env.modelsRoot) / "bass" / "model.pt.previous"));
    }

    void cancelKeepsCheckpoint()
    {
        auto job = tinyJob();
        job.workDir = dir_.filePath("work-cancel").toStdString();
        job.epochs = 3;
        TrainingRunner runner(job, {dir_.filePath("models").toStdString(), {}, {}});
        std::atomic<bool> cancel{false};
        TrainingCallbacks cb;
        cb.epoch = [&](const EpochReport& e) {
            if (e.epoch == 1) cancel = true;
        };
        const auto r = runner.run(cb, &cancel);
        QCOMPARE(int(r.status), int(TrainingOutcome::Status::Cancelled));
        QCOMPARE(runner.checkpointEpoch(), 1);
        runner.discardCheckpoint();
        QCOMPARE(runner.checkpointEpoch(), 0);
    }

    void libraryAsCorpusRankedList()
    {
        // A library whose tracks are the corpus mixes, with bass stems and genre/tags.
        const std::string lib = dir_.filePath("tagged.sqlite").toStdString();
        {
            LibraryStore store(lib);
            const fs::path extra = fs::path(dir_.filePath("extra").toStdString()) / "song6";
            fs::create_directories(extra);
            writeMonoAudio((extra / "mix.wav").string(), test::tones(480, 8.0, 22050, 0.3), 22050);
            writeMonoAudio((extra / "bass.wav").string(), test::tones(130, 8.0, 22050, 0.3), 22050);
            for (int s = 0; s < 7; ++s) {
                const fs::path song = s < 6 ? fs::path(corpus_) / ("song" + std::to_string(s)) : extra;
                TrackRecord t;
                t.path = (song / "mix.wav").string();
                t.contentHash = "h" + std::to_string(s);
                t.tags = std::string("{\"genre\": \"") + (s % 2 ? "funk" : "rock") + "\", \"tags\": [\"tempo=" +
                         (s % 3 ? "fast" : "slow") + "\"]}";
                const auto id = store.insertTrack(t);
                store.setStem(id, "bass", (song / "bass.wav").string(), "corpus");
            }
        }
        TrainingJob job;
        job.source = DataSource::LibraryTags;
        job.dataDir = lib;
        job.focus = Focus::Bass;
        job.mode = TrainMode::RankedList;
        job.frontEnd = FrontEnd::Cqt;
        job.pooling = Pooling::AutoPool;
        job.epochs = 2;
        job.rankStepsPerEpoch = 2;
        job.rankBatchSize = 4;
        job.rankWidth = 2;
        job.testFraction = 0.5;  // every 2nd song: 3 test songs (a pool of 3), 4 training songs
        job.workDir = dir_.filePath("work-ranked").toStdString();
        const auto v = validateJob(job);
        QVERIFY2(v.ok(), v.text().c_str());
        QCOMPARE(v.songs.size(), size_t(7));
        QCOMPARE(v.split.test.size(), size_t(3));
        const fs::path exported = fs::path(effectiveDataDir(job));
        QVERIFY(fs::exists(exported / "1-song0" / "bass.wav"));
        std::ifstream tags((exported / "2-song1" / "tags.txt").string());
        std::string line;
        std::getline(tags, line);
        QCOMPARE(line, std::string("style=funk, tempo=fast"));

        TrainingRunner runner(job, {dir_.filePath("models").toStdString(), lib, {}});
        std::vector<EpochReport> epochs;
        TrainingCallbacks cb;
        cb.epoch = [&](const EpochReport& e) { epochs.push_back(e); };
        const auto r = runner.run(cb);
        QVERIFY2(r.status == TrainingOutcome::Status::Done, r.error.c_str());
        QCOMPARE(epochs.size(), size_t(2));
        QVERIFY(r.scores.size() >= 2);
        QCOMPARE(r.scores[0].label, std::string("trained model"));
        QVERIFY(std::isfinite(r.scores[0].map));
        QVERIFY(r.scores.back().label.find("chance") != std::string::npos);
        const auto inst = installTrainedModel(job, r, "ranked", dir_.filePath("user-models").toStdString(), lib);
        QVERIFY(fs::exists(inst.cardFile));
        LibraryStore store(lib, LibraryStore::Access::ReadOnly);
        const auto models = store.models(Focus::Bass);
        QVERIFY(std::find(models.begin(), models.end(), inst.modelId) != models.end());
    }

    void mixesAreSeparatedFirst()
    {
        struct HalfSeparator : Separator {
            std::string modelId() const override { return "half"; }
            double sampleRate() const override { return 22050; }
            std::vector<std::string> stemNames() const override { return {"drums", "bass", "piano", "guitar"}; }
            std::map<std::string, std::vector<float>> separate(const std::vector<float>& mix) const override
            {
                std::vector<float> half(mix);
                for (float& x : half) x *= 0.5f;
                return {{"drums", half}, {"bass", half}, {"piano", half}, {"guitar", half}};
            }
        };
        const fs::path mixes = fs::path(dir_.filePath("mixes").toStdString());
        fs::create_directories(mixes);
        for (int s = 0; s < 6; ++s)
            writeMonoAudio((mixes / ("m" + std::to_string(s) + ".wav")).string(), test::tones(150.0 + 41 * s, 8.0, 22050, 0.3),
                           22050);
        auto job = tinyJob();
        job.source = DataSource::Mixes;
        job.dataDir = mixes.string();
        job.epochs = 1;
        job.workDir = dir_.filePath("work-mixes").toStdString();
        TrainingEnvironment env;
        env.modelsRoot = dir_.filePath("no-models").toStdString();
        QVERIFY(TrainingRunner(job, env).run().error.find("no separator model") != std::string::npos);
        env.validation.separator = std::make_shared<HalfSeparator>();
        const auto r = TrainingRunner(job, env).run();
        QVERIFY2(r.status == TrainingOutcome::Status::Done, r.error.c_str());
        QVERIFY(fs::exists(fs::path(job.workDir) / "separated" / "m3" / "bass.flac"));
        QCOMPARE(r.scores.size(), size_t(1));  // nothing installed to compare with
    }

    void refusedJobFailsWithTheReason()
    {
        auto job = tinyJob();
        job.focus = Focus::Piano;  // no piano stems
        job.workDir = dir_.filePath("work-refused").toStdString();
        TrainingRunner runner(job, {});
        const auto r = runner.run();
        QCOMPARE(int(r.status), int(TrainingOutcome::Status::Failed));
        QVERIFY2(r.error.find("no piano stem") != std::string::npos, r.error.c_str());
    }
};

QTEST_APPLESS_MAIN(TrainingRunnerTest)
#include "tst_training_runner.moc"
