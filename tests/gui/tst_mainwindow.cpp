// The main window against a synthetic backend: focus shortcuts, neighbour list, playback without
// an audio device, bad input, filter shortcut. No engine, no models, no sound card needed.
#include <QApplication>
#include <QLineEdit>
#include <QMutex>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "LibraryBackend.h"
#include "MainWindow.h"
#include "audio/AudioDecoder.h"
#include "audio/Player.h"
#include "widgets/FocusSelector.h"
#include "widgets/HeatmapWidget.h"
#include "widgets/MapView.h"

using namespace stemscope::ui;

namespace {

class FakeBackend : public LibraryBackend {
public:
    QString path_;
    QString wav;
    int imports = 0;
    mutable QMutex mutex;
    QStringList queriedFocuses;

    bool open(const QString& path, QString*) override { path_ = path; return true; }
    QString path() const override { return path_; }
    void configure(const BackendSettings&) override {}
    QString capabilities() const override { return "fake"; }
    QStringList focuses() const override { return FocusSelector::builtinFocuses(); }
    QVector<TrackRow> tracks() override
    {
        QVector<TrackRow> rows;
        for (int i = 0; i < 6; ++i) {
            TrackRow r;
            r.id = 100 + i;
            r.title = QStringLiteral("Song %1").arg(i);
            r.artist = i % 2 ? "Odd Band" : "Even Band";
            r.path = wav;
            r.durationSeconds = 60 + i;
            r.tags = {i % 2 ? "rock" : "jazz"};
            r.analysis["mix"] = AnalysisState::Done;
            rows << r;
        }
        return rows;
    }
    QString playablePath(qint64, const QString&) override { return wav; }
    quint64 importPaths(const QStringList&, QString*) override { ++imports; return 1; }
    quint64 analyse(bool, QString*) override { return 0; }
    quint64 createDemoLibrary(const QString&, QString*) override { return 0; }
    bool canCreateDemo() const override { return false; }
    void cancel(quint64) override {}
    int activeJobs() const override { return 0; }
    QVector<NeighbourRow> neighbours(qint64 trackId, const QString& focus, int k, QString*) override
    {
        {
            QMutexLocker l(&mutex);
            queriedFocuses << focus;
        }
        QVector<NeighbourRow> rows;
        for (int i = 0; i < 6 && rows.size() < k; ++i)
            if (100 + i != trackId) rows << NeighbourRow{100 + i, QStringLiteral("Song %1").arg(i), {}, 0.9 - 0.1 * i, {}};
        return rows; // deliberately unsorted (descending)
    }
    DistanceMatrix distances(const QString&, int) override
    {
        DistanceMatrix m;
        for (int i = 0; i < 4; ++i) m.names << QStringLiteral("Song %1").arg(i), m.trackIds << 100 + i;
        m.values.assign(16, 0.5f);
        for (int i = 0; i < 4; ++i) m.values[size_t(i * 5)] = 0.f;
        return m;
    }
    QVector<MapPoint> mapPoints(const QString&, const std::function<bool()>&, QString*) override
    {
        QVector<MapPoint> pts;
        for (int i = 0; i < 12; ++i) pts << MapPoint{double(i % 4), double(i / 4), 100 + i % 6, i, QStringLiteral("Song %1").arg(i % 6), "rock", 0.25 * i};
        return pts;
    }
};

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<MainWindow> w_;
    FakeBackend* backend_ = nullptr;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName("StemscopeTest");
        auto backend = std::make_unique<FakeBackend>();
        backend->wav = dir_.filePath("tone.wav");
        stemscope::writeMonoAudio(backend->wav.toStdString(), std::vector<float>(22050 * 4, 0.1f), 22050);
        backend_ = backend.get();
        MainWindowOptions o;
        o.libraryPath = dir_.filePath("lib.sqlite");
        o.restoreGeometry = false;
        o.persistSettings = false;
        o.firstRunDemo = false;
        w_ = std::make_unique<MainWindow>(std::move(backend), o);
        w_->show();
        QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
        w_->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(w_.get()));
        QVERIFY(w_->waitUntilIdle(20000));
        QCOMPARE(w_->trackModel()->rowCount(), 6);
    }

    void firstTrackIsQueriedAndNeighboursSorted()
    {
        QVERIFY(w_->currentTrack() >= 0);
        QVERIFY(w_->selectTrack(103));
        QVERIFY(w_->waitUntilIdle(20000));
        auto* m = w_->neighbourList()->model();
        QCOMPARE(m->rowCount(), 5);
        for (int r = 1; r < m->rowCount(); ++r) QVERIFY(m->rowAt(r - 1).distance <= m->rowAt(r).distance);
        for (int r = 0; r < m->rowCount(); ++r) QVERIFY(m->rowAt(r).trackId != 103);
    }

    void focusShortcutsSwitchFocus()
    {
        const QStringList expected = FocusSelector::builtinFocuses();
        for (int i = 4; i >= 0; --i) {
            QTest::keyClick(w_.get(), Qt::Key(Qt::Key_1 + i), Qt::ControlModifier);
            QCOMPARE(w_->currentFocus(), expected[i]);
        }
        QTest::keyClick(w_.get(), Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(w_->currentFocus(), QString("bass"));
        QVERIFY(w_->waitUntilIdle(20000));
        QMutexLocker l(&backend_->mutex);
        QVERIFY(backend_->queriedFocuses.contains("bass")); // the neighbour list followed the focus
    }

    void spaceWithoutDeviceReportsError()
    {
        auto probe = stemscope::createPlayer()->checkOutput();
        if (probe.ok) QSKIP("this machine has an audio device");
        w_->trackView()->setFocus();
        QTest::keyClick(w_.get(), Qt::Key_Space);
        QVERIFY2(w_->lastError().contains(stemscope::kNoAudioDeviceError), qPrintable(w_->lastError()));
        QVERIFY(!w_->player()->isPlaying());
    }

    void mapClickSelectsTrackAndTriesSegment()
    {
        w_->tabs()->setCurrentIndex(0);
        QVERIFY(w_->waitUntilIdle(20000));
        MapView* map = w_->mapView();
        QCOMPARE(map->pointCount(), 12);
        const QPoint pos = map->viewPosOf(4); // track 104
        QTest::mouseClick(map->viewport(), Qt::LeftButton, {}, pos);
        QCOMPARE(w_->currentTrack(), 104);
    }

    void heatmapTabFills()
    {
        w_->tabs()->setCurrentIndex(1);
        QVERIFY(w_->waitUntilIdle(20000));
        QCOMPARE(w_->heatmap()->count(), 4);
    }

    void filterShortcutAndFiltering()
    {
        QTest::keyClick(w_.get(), Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(QApplication::focusWidget(), static_cast<QWidget*>(w_->filterEdit()));
        QTest::keyClicks(w_->filterEdit(), "odd");
        QCOMPARE(w_->trackView()->model()->rowCount(), 3);
        w_->filterEdit()->clear();
        QCOMPARE(w_->trackView()->model()->rowCount(), 6);
    }

    void badPathsAreRejectedWithoutImport()
    {
        const int before = backend_->imports;
        w_->addPaths({dir_.filePath("does-not-exist.flac")});
        QCOMPARE(backend_->imports, before);
        QVERIFY(w_->lastError().contains("does-not-exist.flac"));
        w_->addPaths({backend_->wav});
        QCOMPARE(backend_->imports, before + 1);
    }

    void cleanupTestCase() { w_.reset(); }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
