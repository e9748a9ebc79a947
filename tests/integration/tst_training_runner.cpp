// Training wizard core end to end on a tiny synthetic multitrack corpus: features, training with a
// pause after the first epoch and a resume from its checkpoint (as after a restart), per-epoch
// validation, evaluation beside the installed model, install with a model card, registration in
// the library, activation for the focus; and the ranked-list mode on a tagged corpus.
#include <QtTest>

#include <QTemporaryDir>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "audio/AudioDecoder.h"
#include "analysis/EmbedderRegistry.h"
#include "embedding/TorchEmbedder.h"
#include "instrsim/TripletTrainer.h"
#include "library/LibraryStore.h"
#include "training/TrainingRunner.h"

using namespace stemscope;
using namespace stemscope::training;
namespace fs = std::filesystem;

namespace {
std::vector<float> tones(double f0, double seconds, double rate, double amp)
{
    std::vector<float> x(size_t(seconds * rate));
    for (size_t i = 0; i < x.size(); ++i) {
        const double t = double(i) / rate;
        const double env = std::fmod(t * (1 + f0 / 400.0), 1.0) < 0.5 ? 1.0 : 0.3;
        x[i] = float(amp * env * (std::sin(2 * M_PI * f0 * t) + 0.5 * std::sin(2 * M_PI * 2.01 * f0 * t)));
    }
    return x;
}
}  // namespace

class TrainingRunnerTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string corpus_;

    TrainingJob tinyJob()
    {
        TrainingJob j;
        j.dataDir = corpus_;
        j.focus = Focus::Bass;
        j.mining = TripletMining::Random;
        j.epochs = 2;
        j.batchSize = 8;
        j.maxSegmentsPerSong = 4;
        j.channels = {8, 8, 8, 8};
        j.dim = 16;
        j.testFraction = 0.3;
        j.workDir = dir_.filePath("work").toStdString();
        return j;
    }

private Q_SLOTS:
    void initTestCase()
    {
        corpus_ = dir_.filePath("corpus").toStdString();
        const double rate = 22050;
        for (int s = 0; s < 6; ++s) {
            const fs::path song = fs::path(corpus_) / ("song" + std::to_string(s));
            fs::create_directories(song);
            writeMonoAudio((song / "mix.wav").string(), tones(220.0 + 37 * s, 8.0, rate, 0.3), rate);
            writeMonoAudio((song / "bass.wav").string(), tones(55.0 + 11 * s, 8.0, rate, 0.3), rate);
            std::ofstream((song / "tags.txt").string()) << "style=" << (s % 2 ? "funk" : "rock") << ", tempo="
                                                       << (s % 3 ? "fast" : "slow");
        }
        // An installed bass model to compare with (same features, untrained).
        ModelSpec spec;
        spec.channels = {8, 8, 8, 8};
        spec.dim = 16;
        writeUntrainedModel(spec, 3, dir_.filePath("models/bass/model.pt").toStdString());
        setEmbedderFactory(&makeTorchEmbedder);
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
