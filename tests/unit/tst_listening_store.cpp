// Listening-test storage (schema v3) and the library adapter: session + trial plan round trip,
// each answer committed at once (visible from a fresh connection, survives reopening), resume,
// CSV/JSON export; set generation, stems and loudness-matched excerpts on a tiny real library.
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "ListeningFixtures.h"
#include "audio/AudioDecoder.h"
#include "library/LibraryStore.h"
#include "library/Schema.h"
#include "listening/Excerpts.h"
#include "listening/LibraryListening.h"
#include "listening/ListeningSession.h"
#include "listening/ListeningStore.h"

using namespace stemscope;
using namespace stemscope::listening;

class TestListeningStore : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    std::string path(const QString& name) { return dir_.filePath(name).toStdString(); }

    std::vector<Trial> someTrials(int64_t t1, int64_t t2, int64_t t3)
    {
        std::vector<Trial> trials;
        for (int i = 0; i < 4; ++i) {
            Trial t;
            t.index = i;
            t.training = i == 0;
            t.focus = Focus::Drums;
            t.negativeSpace = Focus::Mix;
            t.anchor = t.x = t1;
            t.positive = t.a = t2;
            t.negative = t.b = t3;
            t.expected = "A";
            t.xStart = 1.5 * i;
            t.aStart = 2;
            t.bStart = 3;
            trials.push_back(t);
        }
        return trials;
    }

private Q_SLOTS:
    void migratesToV3()
    {
        LibraryStore lib(path("v3.sqlite"));
        QCOMPARE(lib.schemaVersion(), latestSchemaVersion());
        QVERIFY(latestSchemaVersion() >= 3);
        QVERIFY(lib.checkConsistency().empty());
        // The old API keeps working on the extended tables.
        const int64_t s = lib.startListeningSession("abx", "mix", "m", "old");
        TrackRecord r;
        r.path = "/x/a.wav";
        r.contentHash = "a";
        const int64_t t = lib.insertTrack(r);
        lib.addListeningAnswer(s, t, t, t, "A", "B", 10);
        QCOMPARE(lib.listeningAnswerCount(s), int64_t(1));
    }

    void roundTripAndImmediateCommit()
    {
        const std::string db = path("store.sqlite");
        int64_t t1, t2, t3, session;
        {
            LibraryStore lib(db);
            TrackRecord r;
            r.path = "/x/one.wav";
            r.contentHash = "1";
            t1 = lib.insertTrack(r);
            r.path = "/x/two, \"quoted\".wav";
            r.contentHash = "2";
            t2 = lib.insertTrack(r);
            r.path = "/x/three.wav";
            r.contentHash = "3";
            t3 = lib.insertTrack(r);
        }
        {
            ListeningStore st(db);
            SessionSpec spec;
            spec.listener = "Ann";
            spec.focus = Focus::Drums;
            spec.modelId = "drums-v1";
            spec.seed = 42;
            spec.excerptSeconds = 8;
            session = st.createSession(spec, someTrials(t1, t2, t3));
            st.saveAnswer(session, someTrials(t1, t2, t3)[0], {0, "B", false, 1200});
            st.saveAnswer(session, someTrials(t1, t2, t3)[1], {1, "A", true, 800});
            // Immediately visible from another connection (committed, not buffered).
            ListeningStore other(db);
            QCOMPARE(int(other.answers(session).size()), 2);
            QCOMPARE(other.session(session)->answered, 2);
            // Re-answering replaces.
            st.saveAnswer(session, someTrials(t1, t2, t3)[1], {1, "B", true, 900});
            QCOMPARE(int(other.answers(session).size()), 2);
        }
        // Reopen: everything is there, the session resumes at trial 2.
        ListeningStore st(db);
        const auto info = st.session(session);
        QVERIFY(info);
        QCOMPARE(QString::fromStdString(info->listener), QString("Ann"));
        QCOMPARE(QString::fromStdString(info->focus), QString("drums"));
        QCOMPARE(QString::fromStdString(info->mode), QString("similarity"));
        QCOMPARE(info->seed, uint64_t(42));
        QCOMPARE(info->excerptSeconds, 8.0);
        QCOMPARE(info->trials, 4);
        QCOMPARE(info->trainingTrials, 1);
        QVERIFY(!info->finished());
        const auto trials = st.trials(session);
        QCOMPARE(int(trials.size()), 4);
        QCOMPARE(trials[3].xStart, 4.5);
        QCOMPARE(trials[2].positive, t2);
        QCOMPARE(trials[2].negativeSpace, Focus::Mix);
        QVERIFY(trials[0].training && !trials[1].training);
        ListeningSession resumed(trials, st.answers(session));
        QCOMPARE(resumed.current(), 2);
        QCOMPARE(resumed.answer(1)->answer, std::string("B"));
        QVERIFY(resumed.answer(1)->confident);

        // Counted answers leave out training: only trial 1 (B vs expected A: disagrees).
        auto scored = st.scoredAnswers();
        QCOMPARE(int(scored.size()), 1);
        QVERIFY(!scored[0].agrees && scored[0].confident);
        QCOMPARE(QString::fromStdString(scored[0].listener), QString("Ann"));
        QVERIFY(st.scoredAnswers("abx").empty());

        st.saveAnswer(session, trials[2], {2, "A", false, 700});
        st.finishSession(session);
        QVERIFY(st.session(session)->finished());

        const QString csv = QString::fromStdString(st.exportCsv());
        const QStringList lines = csv.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 5); // header + 4 trials (one unanswered)
        QVERIFY(lines[0].startsWith("session_id,listener,mode,focus"));
        QVERIFY(lines[0].contains("confident") && lines[0].contains("positive_track_id") && lines[0].contains("a_start"));
        QVERIFY(csv.contains("\"/x/two, \"\"quoted\"\".wav\""));
        QVERIFY(lines[3].contains(",A,1,0,700,")); // trial 2: answer A, agrees, not confident
        const std::string json = st.exportJson();
        QVERIFY(json.find("\"listener\": \"Ann\"") != std::string::npos);
        QVERIFY(json.find("\"answer\": \"\"") != std::string::npos);  // the unanswered trial
        QVERIFY(json.find("\"agrees_with_model\": null") != std::string::npos);
        QVERIFY(json.find("\\\"quoted\\\"") != std::string::npos);
        const auto doc = nlohmann::ordered_json::parse(json);
        QCOMPARE(doc.at("format").get<std::string>(), std::string("stemscope-listening-test"));
        QCOMPARE(doc.at("trials").size(), size_t(4));
        const auto& third = doc.at("trials").at(2);
        QVERIFY(third.at("session_id").is_number_integer());
        QCOMPARE(third.at("answer").get<std::string>(), std::string("A"));
        QCOMPARE(third.at("agrees_with_model").get<int>(), 1);
        QCOMPARE(third.at("response_ms").get<int>(), 700);
        QVERIFY(third.at("x_start").is_number());
        QVERIFY(doc.at("trials").at(3).at("confident").is_null());

        QCOMPARE(int(st.sessions().size()), 1);
        st.deleteSession(session);
        QVERIFY(st.sessions().empty());
    }

    void libraryAdapter()
    {
        // 8 corpus-style tracks (folder/mix.wav + drums.wav) 14 s long; mix and drums
        // embeddings arranged so that the drums and mix neighbourhoods differ.
        auto lib = std::make_shared<LibraryStore>(path("adapter.sqlite"));
        // Mix space: points on a circle, neighbours are i +- 1; drums space: i +- 3 (mod 8).
        // Song 3 has no drums stem.
        const std::vector<int64_t> ids = test::addListeningTracks(*lib, dir_.path().toStdString(), 14, 0.02, 0.05, 3);
        LibraryListening L(lib);
        QCOMPARE(QString::fromStdString(L.modelId(Focus::Drums)), QString("drums-m"));
        QCOMPARE(int(L.neighbours(ids[0], Focus::Mix, 2).size()), 2);
        QCOMPARE(int(L.anchors(Focus::Drums, {}).size()), 8);
        QVERIFY(L.anchors(Focus::Bass, {}).empty());

        NewSessionRequest req;
        req.spec.listener = "Bo";
        req.spec.focus = Focus::Drums;
        req.spec.seed = 5;
        req.spec.excerptSeconds = 4;
        req.trials = 4;
        req.trainingTrials = 1;
        const auto s = L.createSession(req);
        QVERIFY2(s.sessionId > 0, s.message.c_str());
        QCOMPARE(int(s.trials.size()), 5);
        for (const auto& t : s.trials) {
            const auto pos = L.neighbours(t.anchor, Focus::Drums, 2), neg = L.neighbours(t.anchor, Focus::Mix, 2);
            QVERIFY(std::find(pos.begin(), pos.end(), t.positive) != pos.end());
            QVERIFY(std::find(neg.begin(), neg.end(), t.negative) != neg.end());
            QVERIFY(t.xStart >= 0 && t.xStart <= 10);
        }
        QCOMPARE(int(L.store().trials(s.sessionId).size()), 5);

        // Stems: the drums file is played for the drums focus; track 3 has none -> mix + note.
        bool stem = false;
        QVERIFY(QString::fromStdString(L.playablePath(ids[1], Focus::Drums, &stem)).endsWith("drums.wav"));
        QVERIFY(stem);
        QVERIFY(QString::fromStdString(L.playablePath(ids[3], Focus::Drums, &stem)).endsWith("mix.wav"));
        QVERIFY(!stem);
        QCOMPARE(QString::fromStdString(L.trackName(ids[2])), QString("song2"));

        Trial t = s.trials[0];
        t.x = ids[3];
        t.a = ids[1];
        t.b = ids[7];
        t.xStart = 1;
        const auto audio = L.prepareTrial(t, 4, path("excerpts"));
        QVERIFY(QString::fromStdString(audio.note).contains("song3"));
        const auto dec = defaultAudioDecoder();
        std::vector<double> levels;
        for (const auto& f : {audio.x, audio.a, audio.b}) {
            DecodeOptions o;
            o.targetSampleRate = 0;
            const auto m = dec->decodeMono(f, o);
            QCOMPARE(m.sampleRate, 44100.0);
            QVERIFY(std::abs(double(m.samples.size()) / 44100 - 4) < 0.01);
            levels.push_back(rmsDb(m.samples));
        }
        // Loudness matched: x was the quiet mix (-27 dB), a and b drums stems (-13.5 dB).
        QVERIFY(std::abs(levels[0] - levels[1]) < 0.2);
        QVERIFY(std::abs(levels[1] - levels[2]) < 0.2);
        QVERIFY(std::abs(levels[0] - (-20)) < 0.3);

        // A second listener on the same sets.
        NewSessionRequest again;
        again.spec.listener = "Cy";
        again.reuseSetsOf = s.sessionId;
        const auto s2 = L.createSession(again);
        QVERIFY(s2.sessionId > 0 && s2.sessionId != s.sessionId);
        const auto t1 = L.store().trials(s.sessionId), t2 = L.store().trials(s2.sessionId);
        QCOMPARE(t1.size(), t2.size());
        for (size_t i = 0; i < t1.size(); ++i) QVERIFY(t1[i].a == t2[i].a && t1[i].b == t2[i].b && t1[i].xStart == t2[i].xStart);
        QCOMPARE(QString::fromStdString(L.store().session(s2.sessionId)->focus), QString("drums"));
    }
};

QTEST_APPLESS_MAIN(TestListeningStore)
#include "tst_listening_store.moc"
