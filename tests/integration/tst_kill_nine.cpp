// kill -9 in each writer of the library, as a crash or a power cut would: during an import,
// during a listening-test session and during training (the wizard's runner). In each case a
// child process writes, the parent kills it mid-flight once some work is committed, then checks
// that the library is consistent, nothing committed is lost, and the work resumes to the end.
#include <QtTest>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "LibraryFixtures.h"
#include "SyntheticMultitrack.h"
#include "TinyTrainingJob.h"
#include "analysis/EmbedderRegistry.h"
#include "audio/AudioDecoder.h"
#include "embedding/TorchEmbedder.h"
#include "instrsim/TripletTrainer.h"
#include "library/LibraryStore.h"
#include "library/TrackImporter.h"
#include "listening/ListeningStore.h"
#include "training/TrainingRunner.h"

using namespace stemscope;
namespace fs = std::filesystem;

namespace {

// The real decoder, slowed down so the parent can catch the import mid-way.
class SlowDecoder final : public AudioDecoder {
public:
    AudioInfo probe(const std::string& path) const override
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(40));
        return defaultAudioDecoder()->probe(path);
    }
    MonoAudio decodeMono(const std::string& path, const DecodeOptions& o) const override
    {
        return defaultAudioDecoder()->decodeMono(path, o);
    }
    std::vector<std::string> supportedExtensions() const override { return defaultAudioDecoder()->supportedExtensions(); }
};

// Polls `committed` every 2 ms until it reaches `atLeast` (or ~6 s), then kill -9s the child.
// Returns the count seen just before the kill.
template <class F>
int killWhen(pid_t child, int atLeast, F committed)
{
    int seen = 0;
    for (int tries = 0; tries < 3000 && seen < atLeast; ++tries) {
        usleep(2000);
        seen = committed();
    }
    ::kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFSIGNALED(status)) return -1;  // the child finished first: the test proved nothing
    return seen;
}

}  // namespace

class KillNineTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

private Q_SLOTS:
    void duringImport()
    {
        const std::string music = path("music");
        fs::create_directories(music);
        for (int i = 0; i < 40; ++i) test::writeVoice(music + "/t" + std::to_string(i) + ".wav", 100.0 + 17.0 * i, 1.0);
        const std::string db = path("import.sqlite");
        { LibraryStore create(db); }
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            LibraryStore store(db);
            TrackImporter(store, std::make_shared<SlowDecoder>()).run({music});
            _exit(0);
        }
        const int seen = killWhen(child, 5, [&] { return int(LibraryStore(db, LibraryStore::Access::ReadOnly).tracks().size()); });
        QVERIFY2(seen >= 5, "killed too early or the child finished first");
        LibraryStore store(db);
        QCOMPARE(store.checkConsistency(), std::vector<std::string>{});
        QVERIFY(int(store.tracks().size()) >= seen);  // nothing committed was lost
        QVERIFY(int(store.tracks().size()) < 40);
        // Importing again finishes the job: every file once, every one probed.
        const auto r = TrackImporter(store, defaultAudioDecoder()).run({music});
        QCOMPARE(int(store.tracks().size()), 40);
        QCOMPARE(r.duplicates, 0);
        for (const auto& t : store.tracks()) {
            QVERIFY2(t.duration > 0.99 && t.duration < 1.01, t.path.c_str());
            QCOMPARE(t.status, std::string("new"));
        }
        QVERIFY(store.checkConsistency().empty());
    }

    void duringAListeningSession()
    {
        using namespace stemscope::listening;
        const std::string db = path("listening.sqlite");
        std::vector<int64_t> ids;
        {
            LibraryStore lib(db);
            for (int i = 0; i < 3; ++i) {
                TrackRecord r;
                r.path = "/x/" + std::to_string(i) + ".wav";
                r.contentHash = std::to_string(i);
                ids.push_back(lib.insertTrack(r));
            }
        }
        std::vector<Trial> trials;
        for (int i = 0; i < 60; ++i) {
            Trial t;
            t.index = i;
            t.focus = Focus::Drums;
            t.anchor = t.x = ids[0];
            t.positive = t.a = ids[1];
            t.negative = t.b = ids[2];
            t.expected = "A";
            trials.push_back(t);
        }
        int64_t session = 0;
        {
            ListeningStore st(db);
            SessionSpec spec;
            spec.listener = "Ann";
            spec.focus = Focus::Drums;
            session = st.createSession(spec, trials);
        }
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            ListeningStore st(db);
            for (const auto& t : trials) {
                st.saveAnswer(session, t, {t.index, t.index % 3 ? "A" : "B", true, 900});
                usleep(20000);  // a very fast listener
            }
            st.finishSession(session);
            _exit(0);
        }
        const int seen = killWhen(child, 5, [&] { return int(ListeningStore(db).answers(session).size()); });
        QVERIFY2(seen >= 5, "killed too early or the child finished first");
        ListeningStore st(db);
        const auto info = st.session(session);
        QVERIFY(info && !info->finished());
        QVERIFY(info->answered >= seen && info->answered < 60);
        QCOMPARE(int(st.trials(session).size()), 60);
        const auto kept = st.answers(session);
        for (const auto& a : kept) QCOMPARE(a.answer, std::string(a.trialIndex % 3 ? "A" : "B"));
        // The session resumes at the first unanswered trial and finishes.
        for (size_t i = kept.size(); i < trials.size(); ++i) st.saveAnswer(session, trials[i], {int(i), "A", false, 500});
        st.finishSession(session);
        QCOMPARE(st.session(session)->answered, 60);
        QVERIFY(st.session(session)->finished());
        QVERIFY(LibraryStore(db).checkConsistency().empty());
    }

    void duringTraining()
    {
        using namespace stemscope::training;
        const std::string corpus = path("corpus");
        test::writeSyntheticMultitrack(corpus);  // 6 songs x 8 s, mix + bass
        ModelSpec spec;
        spec.channels = {8, 8, 8, 8};
        spec.dim = 16;
        writeUntrainedModel(spec, 3, path("models/bass/model.pt"));
        setEmbedderFactory(&makeModelEmbedder);
        TrainingJob job = test::tinyTrainingJob(corpus, path("work"));
        job.epochs = 40;
        TrainingEnvironment env;
        env.modelsRoot = path("models");
        env.libraryPath = path("training.sqlite");
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            TrainingCallbacks cb;
            cb.epoch = [](const EpochReport&) { usleep(150000); };  // room to be killed between epochs
            TrainingRunner(job, env).run(cb);
            _exit(0);
        }
        const int seen = killWhen(child, 3, [&] { return TrainingRunner(job, env).checkpointEpoch(); });
        QVERIFY2(seen >= 3, "killed too early or the child finished first");
        // The checkpoint is whole (written to a temporary file, then renamed) and the run resumes.
        TrainingRunner again(job, env);
        QVERIFY(again.checkpointEpoch() >= seen);
        const auto outcome = again.run();
        QVERIFY2(outcome.status == TrainingOutcome::Status::Done, outcome.error.c_str());
        QVERIFY(outcome.resumedFromEpoch >= seen);
        QCOMPARE(outcome.epochsDone, 40);
        QCOMPARE(int(outcome.history.size()), 40);  // the curve survived the kill too
        QVERIFY(fs::exists(outcome.modelFile));
        QVERIFY(LibraryStore(env.libraryPath).checkConsistency().empty());
    }
};

QTEST_GUILESS_MAIN(KillNineTest)
#include "tst_kill_nine.moc"
