// The CLI and the GUI are two faces of one engine (core/session/LibrarySession): the same
// sequence - create, import, analyse, neighbours, status - through `stemscope-cli library ...` and
// through the GUI's backend gives the same neighbours with the same distances, and the same
// model resolution. Both use the model-free baseline embedder, so no trained model is needed.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "CliRunner.h"
#include "CoreLibraryBackend.h"
#include "FakeModels.h"
#include "LibraryFixtures.h"
#include "analysis/EmbedderRegistry.h"
#include "embedding/BaselineEmbedder.h"

using namespace stemscope;
using namespace stemscope::ui;

class TestCliGuiParity : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    QString cli(const QStringList& args, int* rc = nullptr)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("STEMSCOPE_MODELS", dir_.filePath("models"));
        return test::runCli(args, rc, env, 120000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<stemscope::ui::JobsPanel::Outcome>("stemscope::ui::JobsPanel::Outcome");
        QVERIFY(test::installFakeModels(dir_.path(), {Focus::Mix},
                                        [](Focus f) { return std::make_shared<BaselineEmbedder>(f); }));
        QVERIFY(QDir(dir_.path()).mkpath("music"));
        for (int i = 0; i < 5; ++i)
            test::writeVoice(test::u8(dir_.filePath(QStringLiteral("music/tone %1.wav").arg(i))), 110.0 * (1 + 0.7 * i));
    }

    void sameNeighboursThroughBothFaces()
    {
        const QString query = QDir::cleanPath(dir_.filePath("music/tone 2.wav"));
        // CLI
        const QString cliLib = dir_.filePath("cli.sqlite");
        int rc = -1;
        QString out = cli({"library", "create", cliLib}, &rc);
        QVERIFY2(rc == 0, qPrintable(out));
        out = cli({"library", "import", cliLib, dir_.filePath("music"), "--quiet"}, &rc);
        QVERIFY2(rc == 0, qPrintable(out));
        out = cli({"library", "analyze", cliLib, "--embedder", "baseline", "--focus", "mix", "--no-separator", "--quiet"}, &rc);
        QVERIFY2(rc == 0, qPrintable(out));
        out = cli({"library", "neighbours", cliLib, query, "--focus", "mix", "--k", "10", "--json"}, &rc);
        QVERIFY2(rc == 0, qPrintable(out));
        const QJsonArray cliHits = QJsonDocument::fromJson(out.toUtf8()).array();
        QCOMPARE(cliHits.size(), 4);

        // GUI backend: import chains the analysis, as in the window.
        CoreLibraryBackend b;
        QString error;
        QVERIFY2(b.open(dir_.filePath("gui.sqlite"), &error), qPrintable(error));
        QSignalSpy finished(&b, &LibraryBackend::jobFinished);
        QVERIFY(b.importPaths({dir_.filePath("music")}, &error) > 0);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
        qint64 queryId = -1;
        for (const auto& t : b.tracks())
            if (t.path == query) queryId = t.id;
        QVERIFY(queryId > 0);
        QString message;
        const auto guiHits = b.neighbours(queryId, "mix", 10, &message);
        QVERIFY2(guiHits.size() == 4, qPrintable(message));
        QMap<qint64, QString> pathOf;
        for (const auto& t : b.tracks()) pathOf[t.id] = t.path;
        for (int i = 0; i < 4; ++i) {
            const QJsonObject c = cliHits[i].toObject();
            QCOMPARE(pathOf.value(guiHits[i].trackId), c.value("path").toString());
            QVERIFY(std::abs(double(guiHits[i].distance) - c.value("distance").toDouble()) < 1e-5);
            QVERIFY(std::abs(double(guiHits[i].cosineDistance) - c.value("cosine_distance").toDouble()) < 1e-5);
        }
        // --hubness-k 0: ranked by the plain cosine distance, the same tracks.
        out = cli({"library", "neighbours", cliLib, query, "--focus", "mix", "--k", "10", "--hubness-k", "0", "--json"}, &rc);
        QVERIFY2(rc == 0, qPrintable(out));
        const QJsonArray plainHits = QJsonDocument::fromJson(out.toUtf8()).array();
        QCOMPARE(plainHits.size(), 4);
        for (const auto& h : plainHits)
            QCOMPARE(h.toObject().value("distance").toDouble(), h.toObject().value("cosine_distance").toDouble());

        // The CLI's playlist of the same list: the query first, then its neighbours.
        out = cli({"library", "neighbours", cliLib, query, "--focus", "mix", "--k", "10", "--m3u", dir_.filePath("n.m3u8"),
                   "--exclude", "same-artist,same-album", "--hide-tag", "nothing-has-this"}, &rc);
        QVERIFY2(rc == 0, qPrintable(out));
        QFile list(dir_.filePath("n.m3u8"));
        QVERIFY(list.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(list.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2 + 2 * 5);  // #EXTM3U, #PLAYLIST, 5 x (#EXTINF, path)
        QCOMPARE(lines[3], query);
        QCOMPARE(lines[5], cliHits[0].toObject().value("path").toString());
        out = cli({"library", "neighbours", cliLib, query, "--exclude", "same-colour"}, &rc);
        QCOMPARE(rc, 2);
        QVERIFY(out.contains("--exclude takes same-artist and/or same-album"));

        // The same stored map through both faces: the CLI computes and stores it, as the window does.
        out = cli({"library", "map", cliLib, "--focus", "mix"}, &rc);
        QVERIFY2(rc == 0, qPrintable(out));
        QString mapMessage;
        const auto guiMap = b.mapPoints("mix", LibraryBackend::MapLevel::Segments, {}, &mapMessage);
        QVERIFY2(out.contains(QStringLiteral("mix map: %1 segments").arg(guiMap.size())), qPrintable(out + " / " + mapMessage));
        QVERIFY(out.contains("\"seed\":42"));
        QVERIFY(cli({"library", "map", cliLib, "--focus", "mix"}, &rc).contains("\"placed_incrementally\":0"));
        // A track's segments over the track map: the window's overlay and the CLI's --segments-of agree.
        const QString overlayCsv = dir_.filePath("overlay.csv");
        out = cli({"library", "map", cliLib, "--focus", "mix", "--level", "track", "--segments-of", query, "--out", overlayCsv}, &rc);
        QVERIFY2(rc == 0, qPrintable(out));
        b.mapPoints("mix", LibraryBackend::MapLevel::Tracks, {}, &mapMessage);
        const auto guiOverlay = b.trackSegmentsOnMap("mix", queryId, &mapMessage);
        QVERIFY2(guiOverlay.size() >= 2, qPrintable(mapMessage));
        QVERIFY2(out.contains(QStringLiteral("over it: %1").arg(guiOverlay.size())), qPrintable(out));
        QFile csv(overlayCsv);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList rows = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(rows.size(), 1 + guiOverlay.size());
        for (int i = 0; i < guiOverlay.size(); ++i) {
            const QStringList f = rows[i + 1].split(',');
            QCOMPARE(f.value(f.size() - 3).toDouble(), guiOverlay[i].startSeconds);
            QVERIFY2(std::abs(f.value(f.size() - 2).toDouble() - guiOverlay[i].x) < 1e-3 &&
                         std::abs(f.value(f.size() - 1).toDouble() - guiOverlay[i].y) < 1e-3,
                     qPrintable(rows[i + 1]));
        }
        out = cli({"library", "map", cliLib, "--segments-of", query}, &rc);
        QCOMPARE(rc, 2);
        QVERIFY(out.contains("--segments-of goes with --level track"));

        // Both say which model each focus shows, the same way.
        out = cli({"library", "status", cliLib}, &rc);
        QVERIFY2(rc == 0 && out.contains("mix: baseline-projection-v1-mix"), qPrintable(out));
    }

    void helpOnACommandGroupListsItsSubcommands()
    {
        int rc = -1;
        const QString out = cli({"help", "corpus"}, &rc);
        QCOMPARE(rc, 0);
        for (const char* sub : {"corpus demo", "corpus import", "corpus render", "corpus stats"}) QVERIFY2(out.contains(sub), qPrintable(out));
        QVERIFY(!out.contains("unknown command"));
        QVERIFY(cli({"library"}, &rc).contains("library neighbours"));
        QCOMPARE(rc, 2);  // a group alone is not a command
    }
};

QTEST_MAIN(TestCliGuiParity)
#include "tst_cli_gui_parity.moc"
