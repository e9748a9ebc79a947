// A user's second start: the window analyses a library through the GUI path (import -> chained
// analysis), is closed, and a new window on the same library shows map, neighbours and heatmap at
// once, without any analysis. Then the models are "retrained" (other ids): the stored results stay
// visible and the window says they come from models no longer installed.
#include <QApplication>
#include <QSignalSpy>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <taglib/fileref.h>
#include <taglib/tag.h>

#include "LibraryFixtures.h"
#include "MainWindow.h"
#include "TestEmbedder.h"
#include "analysis/EmbedderRegistry.h"
#include "audio/AudioDecoder.h"
#include "library/LibraryStore.h"
#include "widgets/HeatmapWidget.h"
#include "widgets/NeighbourList.h"

using namespace stemscope;
using namespace stemscope::ui;
namespace fs = std::filesystem;

namespace {

void useModelVersion(const std::string& version)
{
    setEmbedderFactory([version](Focus f, const std::string&) -> std::shared_ptr<const Embedder> {
        return std::make_shared<test::TestEmbedder>(std::string("test-") + focusName(f) + ":" + version, 16, 32, 129,
                                                    7u + unsigned(f));
    });
}

}  // namespace

class TestReopenWindow : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    std::unique_ptr<MainWindow> openWindow()
    {
        MainWindowOptions o;
        o.libraryPath = dir_.filePath("lib.sqlite");
        o.restoreGeometry = false;
        o.persistSettings = false;
        o.firstRunDemo = false;
        auto w = std::make_unique<MainWindow>(createDefaultBackend(), o);
        w->resize(1100, 700);
        w->show();
        if (!QTest::qWaitForWindowExposed(w.get())) return nullptr;
        return w;
    }

    // Map (tab 0) and heatmap (tab 1) of the current focus, and the current track's neighbours.
    void expectPopulated(MainWindow& w, int tracks)
    {
        QVERIFY(w.waitUntilIdle(60000));
        QCOMPARE(w.trackModel()->rowCount(), tracks);
        QVERIFY(w.currentTrack() > 0);
        QVERIFY(w.waitUntilIdle(60000));
        QCOMPARE(w.neighbourList()->model()->rowCount(), tracks - 1);
        w.tabs()->setCurrentIndex(0);
        QVERIFY(w.waitUntilIdle(60000));
        QVERIFY2(w.mapView()->pointCount() >= tracks, qPrintable(QString::number(w.mapView()->pointCount())));
        w.tabs()->setCurrentIndex(1);
        QVERIFY(w.waitUntilIdle(60000));
        QCOMPARE(w.heatmap()->count(), tracks);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName("StemscopeTest");
        qRegisterMetaType<stemscope::ui::JobsPanel::Outcome>("stemscope::ui::JobsPanel::Outcome");
        QVERIFY(QDir(dir_.path()).mkpath("models/mix"));
        QVERIFY(QDir(dir_.path()).mkpath("models/drums"));
        qputenv("STEMSCOPE_MODELS", dir_.filePath("models").toUtf8());
        useModelVersion("v1");
        QVERIFY(QDir(dir_.path()).mkpath("music"));
        for (int i = 0; i < 5; ++i) {
            const std::string path = test::u8(dir_.filePath(QStringLiteral("music/tone %1.wav").arg(i)));
            test::writeVoice(path, 110.0 * (i + 1));
            TagLib::FileRef f(path.c_str());  // two tracks by one artist, for the exclusions
            f.tag()->setArtist(i < 2 ? "Ann" : "Other " + TagLib::String::number(i));
            QVERIFY(f.save());
        }
    }

    void firstStartAnalysesThroughTheGui()
    {
        auto w = openWindow();
        QVERIFY(w);
        QVERIFY(w->waitUntilIdle(20000));
        QCOMPARE(w->trackModel()->rowCount(), 0);
        w->addPaths({dir_.filePath("music")});
        expectPopulated(*w, 5);
        w->close();
        w.reset();
        // The GUI's analysis registered the models it used.
        LibraryStore store(test::u8(dir_.filePath("lib.sqlite")), LibraryStore::Access::ReadOnly);
        QCOMPARE(store.models(Focus::Mix), std::vector<std::string>{"test-mix:v1"});
    }

    void secondStartShowsEverythingAtOnce()
    {
        auto w = openWindow();
        QVERIFY(w);
        expectPopulated(*w, 5);
        QCOMPARE(w->backend()->capabilities(), QStringLiteral("analysis ready; no model installed for Bass, Piano, Guitar, Style (tags)"));
    }

    void exclusionsAndPlaylistFromTheWindow()
    {
        auto w = openWindow();
        QVERIFY(w);
        expectPopulated(*w, 5);
        const TrackRow* query = w->trackModel()->track(w->currentTrack());
        QVERIFY(query);
        const QString queryArtist = query->artist;
        QVERIFY(!queryArtist.isEmpty());  // read from the file's tags at import
        NeighbourFilter f;
        f.sameArtist = true;
        w->setNeighbourFilter(f);
        QVERIFY(w->waitUntilIdle(60000));
        const int expected = queryArtist == QLatin1String("Ann") ? 3 : 4;
        QCOMPARE(w->neighbourList()->model()->rowCount(), expected);
        for (int r = 0; r < w->neighbourList()->model()->rowCount(); ++r)
            QVERIFY(w->neighbourList()->model()->rowAt(r).artist != queryArtist);
        // File > Export Playlist: the query and the (filtered) neighbour list.
        QString error;
        QVERIFY2(w->exportPlaylistTo(dir_.filePath("n.m3u8"), &error), qPrintable(error));
        QFile list(dir_.filePath("n.m3u8"));
        QVERIFY(list.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(list.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(int(lines.filter(QRegularExpression("^#EXTINF:")).size()), expected + 1);
        QVERIFY(!w->exportPlaylistTo(dir_.filePath("n.txt"), &error));
        QVERIFY(error.contains(".m3u"));
        w->setNeighbourFilter({});
    }

    void exportStemsFromTheWindow()
    {
        auto w = openWindow();
        QVERIFY(w);
        QVERIFY(w->waitUntilIdle(60000));
        QSignalSpy finished(w->backend(), &LibraryBackend::jobFinished);
        // No separator installed and no stem files: the job says why.
        QString error;
        QVERIFY(w->exportStemsTo({"bass"}, dir_.filePath("stems"), &error) > 0);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QCOMPARE(finished.last().at(1).value<JobsPanel::Outcome>(), JobsPanel::Outcome::Failed);
        QVERIFY2(finished.last().at(2).toString().contains("no separator installed"), qPrintable(finished.last().at(2).toString()));
        QVERIFY(QDir(dir_.filePath("stems")).entryList(QDir::Files).isEmpty());
        // With the shipped separator installed: FLAC files of the chosen stems.
        QVERIFY(QDir(dir_.path()).mkpath("models/separator"));
        QVERIFY(QFile::copy(QStringLiteral(STEMSCOPE_SOURCE_DIR "/models/separator/model.pt"), dir_.filePath("models/separator/model.pt")));
        QVERIFY(w->exportStemsTo({"drums", "bass"}, dir_.filePath("stems"), &error) > 0);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
        QVERIFY2(finished.last().at(1).value<JobsPanel::Outcome>() == JobsPanel::Outcome::Done, qPrintable(finished.last().at(2).toString()));
        const QStringList files = QDir(dir_.filePath("stems")).entryList(QDir::Files, QDir::Name);
        QCOMPARE(files.size(), 2);
        for (const QString& f : files) {
            QVERIFY(f.endsWith(" - bass.flac") || f.endsWith(" - drums.flac"));
            const auto info = defaultAudioDecoder()->probe(test::u8(dir_.filePath("stems/" + f)));
            QVERIFY(std::abs(info.durationSeconds() - 8.0) < 0.05);
        }
        // Started again with a separator installed: the stems for listening, which nothing had made
        // yet, are made in the background, and the window says so in its jobs panel.
        w->close();
        w.reset();
        w = openWindow();
        QVERIFY(w);
        QSignalSpy again(w->backend(), &LibraryBackend::jobFinished);
        const auto cachedTracks = [&] {
            LibraryStore store(test::u8(dir_.filePath("lib.sqlite")), LibraryStore::Access::ReadOnly);
            int n = 0;
            for (const auto& t : store.tracks()) {
                int stems = 0;
                for (const auto& [name, f] : store.stemFiles(t.id))
                    stems += f.source == "separator" && fs::exists(fs::u8path(f.path));
                n += stems == 5;
            }
            return n;
        };
        QTRY_COMPARE_WITH_TIMEOUT(cachedTracks(), 5, 120000);
        QTRY_VERIFY_WITH_TIMEOUT(again.count() >= 1, 30000);
        QVERIFY2(again.last().at(2).toString().contains("5 track(s) separated for listening"), qPrintable(again.last().at(2).toString()));
        QVERIFY(w->waitUntilIdle(60000));
        QDir(dir_.filePath("models/separator")).removeRecursively();
    }

    void storedResultsOfModelsNoLongerInstalled()
    {
        useModelVersion("v2");
        auto w = openWindow();
        QVERIFY(w);
        expectPopulated(*w, 5);
        QVERIFY2(w->backend()->capabilities().contains(QStringLiteral("no longer installed")),
                 qPrintable(w->backend()->capabilities()));
        useModelVersion("v1");
    }
};

QTEST_MAIN(TestReopenWindow)
#include "tst_reopen_window.moc"
