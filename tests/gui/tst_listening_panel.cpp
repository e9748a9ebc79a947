// The listening-test panel end to end, offscreen: a tiny library (8 corpus songs with drums
// stems, mix + drums embeddings), a 3-trial session (1 training + 2 counted) completed with key
// presses and button clicks, answers checked in the library file, the results view and export;
// then resume after "closing" mid-session, and the main window's Tools > Listening Test entry.
#include <QApplication>
#include <QChartView>
#include <QCheckBox>
#include <QFile>
#include <QPushButton>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <filesystem>
#include <random>
#include <QDir>

#include "CoreLibraryBackend.h"
#include "ListeningFixtures.h"
#include "ListeningTestPanel.h"
#include "MainWindow.h"
#include "audio/AudioDecoder.h"
#include "library/LibraryStore.h"
#include "listening/ListeningStore.h"

using namespace stemscope;
using namespace stemscope::ui;

namespace {

void key(Qt::Key k)
{
    QWidget* w = QApplication::focusWidget();
    QVERIFY(w);
    QTest::keyClick(w, k);
}

}  // namespace

class TestListeningPanel : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString db_;

private Q_SLOTS:
    void initTestCase()
    {
        db_ = dir_.filePath("lib.sqlite");
        LibraryStore lib(db_.toStdString());
        test::addListeningTracks(lib, dir_.path().toStdString(), 8, 0.05, 0.03);
    }

    void completeSessionWithKeysAndClicks()
    {
        CoreLibraryBackend backend;
        QString error;
        QVERIFY2(backend.open(db_, &error), qPrintable(error));
        ListeningTestPanel panel(&backend);
        panel.resize(1000, 680);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&panel));

        // Setup: no listener name -> refused with a message.
        QTest::mouseClick(panel.startButton(), Qt::LeftButton);
        QCOMPARE(panel.page(), ListeningTestPanel::Page::Setup);
        QVERIFY(panel.message().contains("listener"));

        panel.setListener("Tess");
        panel.selectFocus("drums");
        panel.setTrialCount(2, 1);
        panel.setExcerptSeconds(3);
        panel.setSeed(11);
        QTest::mouseClick(panel.startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(panel.page(), ListeningTestPanel::Page::Trial, 20000);
        const qint64 sessionId = panel.sessionId();
        QVERIFY(sessionId > 0);
        QCOMPARE(panel.session().total(), 3);
        QVERIFY(panel.session().trial(0).training);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), 20000); // excerpts prepared
        panel.activate();

        // Trial 1 (training): switch X/A/B with the keys, mark confident, answer A with "1".
        key(Qt::Key_B);
        QCOMPARE(panel.playing(), QString("B"));
        key(Qt::Key_A);
        QCOMPARE(panel.playing(), QString("A"));
        key(Qt::Key_X);
        QCOMPARE(panel.playing(), QString("X"));
        key(Qt::Key_C);
        QVERIFY(panel.confidentBox()->isChecked());
        key(Qt::Key_1);
        QCOMPARE(panel.session().answeredCount(), 1);
        QCOMPARE(panel.currentTrial(), 1);
        QVERIFY(!panel.confidentBox()->isChecked()); // reset for the next trial

        // The answer is in the library file already (another connection sees it).
        {
            listening::ListeningStore check(db_.toStdString());
            const auto answers = check.answers(sessionId);
            QCOMPARE(int(answers.size()), 1);
            QCOMPARE(QString::fromStdString(answers[0].answer), QString("A"));
            QVERIFY(answers[0].confident);
        }

        // Trial 2: mouse: confident + "B more similar".
        QTest::mouseClick(panel.confidentBox(), Qt::LeftButton, {}, QPoint(5, panel.confidentBox()->height() / 2));
        QVERIFY(panel.confidentBox()->isChecked());
        QTest::mouseClick(panel.answerButton(1), Qt::LeftButton);
        QCOMPARE(panel.currentTrial(), 2);

        // Trial 3: key "2", not confident -> session complete, results shown.
        panel.activate();
        key(Qt::Key_2);
        QCOMPARE(panel.page(), ListeningTestPanel::Page::Results);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), 20000);

        listening::ListeningStore store(db_.toStdString());
        const auto answers = store.answers(sessionId);
        QCOMPARE(int(answers.size()), 3);
        QCOMPARE(QString::fromStdString(answers[1].answer), QString("B"));
        QVERIFY(answers[1].confident);
        QCOMPARE(QString::fromStdString(answers[2].answer), QString("B"));
        QVERIFY(!answers[2].confident);
        QVERIFY(store.session(sessionId)->finished());
        const auto scored = store.scoredAnswers("similarity");
        QCOMPARE(int(scored.size()), 2); // training not counted
        const auto trials = store.trials(sessionId);
        int agree = 0;
        for (int i = 1; i < 3; ++i) agree += trials[size_t(i)].expected == "B";

        // Results view: one focus row (Drums) with the 2 counted answers, chart filled.
        QCOMPARE(panel.resultsTable()->rowCount(), 1);
        QCOMPARE(panel.resultsTable()->item(0, 0)->text(), QString("Drums"));
        QCOMPARE(panel.resultsTable()->item(0, 1)->text(), QString("2"));
        QCOMPARE(panel.resultsTable()->item(0, 2)->text(), QString::number(agree));
        QCOMPARE(panel.resultsTable()->item(0, 6)->text(), QString("1"));
        QCOMPARE(panel.listenerTable()->rowCount(), 1);
        QCOMPARE(panel.listenerTable()->item(0, 0)->text(), QString("Tess"));
        QCOMPARE(panel.chartView()->chart()->series().size(), 1);

        // Export.
        QString err;
        QVERIFY2(panel.exportTo(dir_.filePath("out.csv"), &err), qPrintable(err));
        QVERIFY(panel.exportTo(dir_.filePath("out.json"), &err));
        QFile csv(dir_.filePath("out.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 4);
        QVERIFY(lines[1].contains("Tess"));
        QFile json(dir_.filePath("out.json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        QVERIFY(json.readAll().contains("\"listener\": \"Tess\""));
    }

    void pauseAndResume()
    {
        qint64 sessionId = 0;
        {
            CoreLibraryBackend backend;
            QString error;
            QVERIFY(backend.open(db_, &error));
            ListeningTestPanel panel(&backend);
            panel.show();
            QVERIFY(QTest::qWaitForWindowExposed(&panel));
            panel.setListener("Uma");
            panel.setAbxMode(true);
            panel.selectFocus("drums");
            panel.setTrialCount(3, 0);
            panel.setExcerptSeconds(2);
            panel.startSession();
            QTRY_COMPARE_WITH_TIMEOUT(panel.page(), ListeningTestPanel::Page::Trial, 20000);
            sessionId = panel.sessionId();
            QVERIFY(panel.answerButton(0)->text().contains("X is A"));
            panel.answer("A");
            panel.pause();
            QCOMPARE(panel.page(), ListeningTestPanel::Page::Setup);
            QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), 20000);
        } // "crash"/close with the session open
        CoreLibraryBackend backend;
        QString error;
        QVERIFY(backend.open(db_, &error));
        ListeningTestPanel panel(&backend);
        panel.show();
        QVERIFY(panel.sessionsTable()->rowCount() >= 2);
        panel.resumeSession(sessionId);
        QTRY_COMPARE_WITH_TIMEOUT(panel.page(), ListeningTestPanel::Page::Trial, 20000);
        QCOMPARE(panel.currentTrial(), 1);
        panel.answer("B");
        panel.answer("A");
        QCOMPARE(panel.page(), ListeningTestPanel::Page::Results);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), 20000);
        listening::ListeningStore store(db_.toStdString());
        QCOMPARE(int(store.answers(sessionId).size()), 3);
        QCOMPARE(QString::fromStdString(store.session(sessionId)->mode), QString("abx"));
    }

    void stemsNotSeparatedYetAreSeparatedBeforeTheFirstTrial()
    {
        // A library analysed on mixes has no stems until its stems-for-listening job has run: an
        // instrument session separates its tracks first, then starts, and plays the stems.
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath("models/separator"));
        QVERIFY(QFile::copy(QStringLiteral(STEMSCOPE_SOURCE_DIR "/models/separator/model.pt"),
                            dir.filePath("models/separator/model.pt")));
        qputenv("STEMSCOPE_MODELS", dir.filePath("models").toUtf8());
        const QString db = dir.filePath("plain.sqlite");
        {
            LibraryStore lib(db.toStdString());
            test::addListeningTracks(lib, dir.path().toStdString(), 8, 0.05, 0.03);
        }
        for (int i = 0; i < 8; ++i) QFile::remove(dir.filePath(QStringLiteral("song%1/drums.wav").arg(i)));
        {
            CoreLibraryBackend backend;
            QString error;
            QVERIFY2(backend.open(db, &error), qPrintable(error));
            ListeningTestPanel panel(&backend);
            panel.show();
            QVERIFY(QTest::qWaitForWindowExposed(&panel));
            panel.setListener("Sam");
            panel.selectFocus("drums");
            panel.setTrialCount(2, 0);
            panel.setExcerptSeconds(3);
            QTest::mouseClick(panel.startButton(), Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(panel.page(), ListeningTestPanel::Page::Trial, 60000);
            QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), 20000);
            LibraryStore lib(db.toStdString(), LibraryStore::Access::ReadOnly);
            for (int i = 0; i < panel.session().total(); ++i) {
                const auto& t = panel.session().trial(i);
                for (int64_t id : {t.x, t.a, t.b}) {
                    const auto files = lib.stemFiles(id);
                    QVERIFY2(files.count("drums") && files.at("drums").source == "separator", qPrintable(QString::number(id)));
                    QVERIFY(QFileInfo::exists(QString::fromStdString(files.at("drums").path)));
                }
            }
        }
        qunsetenv("STEMSCOPE_MODELS");
    }

    // STEMSCOPE_SCREENSHOT_DIR=docs/screenshots: saves listening-setup.png, listening-test.png and listening-results.png
    // (a 5-focus library with simulated answers of three listeners). Skipped otherwise.
    void screenshots()
    {
        const QString out = qEnvironmentVariable("STEMSCOPE_SCREENSHOT_DIR");
        if (out.isEmpty()) QSKIP("set STEMSCOPE_SCREENSHOT_DIR to save the panel screenshots");
        const QString db = dir_.filePath("shots.sqlite");
        std::vector<int64_t> ids;
        {
            LibraryStore lib(db.toStdString());
            std::mt19937_64 rng(3);
            std::normal_distribution<float> g;
            for (int i = 0; i < 24; ++i) {
                const QString folder = dir_.filePath(QStringLiteral("shot%1").arg(i));
                std::filesystem::create_directories(folder.toStdString());
                const std::string mix = (folder + "/mix.wav").toStdString();
                writeMonoAudio(mix, test::sine(150 + 20 * i, 22050, 4, 0.2), 22050);
                TrackRecord r;
                r.path = mix;
                r.contentHash = "s" + std::to_string(i);
                r.duration = 4;
                const char* titles[] = {"Blue Hour", "Paper Boats", "Night Train", "Copper Sky", "Slow River", "Glass City"};
                r.tags = std::string("{\"title\": \"") + titles[i % 6] + " " + std::to_string(i / 6 + 1) + "\"}";
                ids.push_back(lib.insertTrack(r));
                for (Focus f : kAllFocuses) {
                    std::vector<float> v(8);
                    for (float& x : v) x = g(rng);
                    lib.saveAnalysis(ids.back(), f, std::string(focusName(f)) + "-m", "mix", test::oneRow(v), {0});
                }
            }
            // Simulated answers: three listeners, four focuses, model agreement 55-85 %.
            listening::ListeningStore st(db.toStdString());
            std::uniform_real_distribution<double> u;
            const Focus focuses[] = {Focus::Mix, Focus::Drums, Focus::Bass, Focus::Piano, Focus::Guitar};
            const double agree[] = {0.62, 0.84, 0.78, 0.70, 0.57};
            for (const char* who : {"L01", "L02", "L03"}) {
                for (int fi = 0; fi < 5; ++fi) {
                    listening::SessionSpec spec;
                    spec.listener = who;
                    spec.focus = focuses[fi];
                    std::vector<listening::Trial> trials;
                    for (int k = 0; k < 12; ++k) {
                        listening::Trial t;
                        t.index = k;
                        t.training = k < 2;
                        t.focus = focuses[fi];
                        t.anchor = t.x = ids[size_t(k)];
                        t.a = t.positive = ids[size_t(k + 1)];
                        t.b = t.negative = ids[size_t(k + 2)];
                        t.expected = "A";
                        trials.push_back(t);
                    }
                    const int64_t sid = st.createSession(spec, trials);
                    for (const auto& t : trials)
                        st.saveAnswer(sid, t, {t.index, u(rng) < agree[fi] ? "A" : "B", u(rng) < 0.6, 4000});
                    st.finishSession(sid);
                }
            }
        }
        CoreLibraryBackend backend;
        QString error;
        QVERIFY(backend.open(db, &error));
        ListeningTestPanel panel(&backend);
        panel.resize(1100, 640);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setListener("L04");
        panel.selectFocus("bass");
        panel.setTrialCount(20, 2);
        panel.setSeed(7);
        QVERIFY(panel.grab().save(QDir(out).filePath("listening-setup.png")));
        panel.startSession();
        QTRY_COMPARE_WITH_TIMEOUT(panel.page(), ListeningTestPanel::Page::Trial, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), 20000);
        panel.answer("A");
        panel.answer("B");
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), 20000);
        panel.play("A");
        panel.confidentBox()->setChecked(true);
        QVERIFY(panel.grab().save(QDir(out).filePath("listening-test.png")));
        panel.showResults();
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), 20000);
        QTest::qWait(200);
        QVERIFY(panel.grab().save(QDir(out).filePath("listening-results.png")));
    }

    void mainWindowEntry()
    {
        MainWindowOptions o;
        o.restoreGeometry = false;
        o.firstRunDemo = false;
        o.openOnStart = false;
        o.persistSettings = false;
        MainWindow w(std::make_unique<CoreLibraryBackend>(), o);
        QVERIFY(w.openLibrary(db_));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(w.listeningPanel());
        QVERIFY(w.tabs()->currentWidget() != w.listeningPanel());
        QTest::keyClick(&w, Qt::Key_L, Qt::ControlModifier);
        QCOMPARE(w.tabs()->currentWidget(), static_cast<QWidget*>(w.listeningPanel()));
        QVERIFY(w.listeningPanel()->sessionsTable()->rowCount() >= 2); // the sessions above
        QVERIFY(w.waitUntilIdle(30000));
    }
};

QTEST_MAIN(TestListeningPanel)
#include "tst_listening_panel.moc"
