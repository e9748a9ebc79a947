// The main window against a synthetic backend: focus shortcuts, neighbour list, playback without
// an audio device (transport bar disabled), playing a neighbour's matching segment, heatmap of a
// multi-selection, bad input, filter shortcut. No engine, no models, no sound card needed.
#include <QApplication>

#include <atomic>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QMutex>
#include <QSignalSpy>
#include <QSlider>
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
#include "widgets/NeighbourList.h"
#include "widgets/TransportBar.h"

using namespace stemscope::ui;

namespace {

class FakeBackend : public LibraryBackend {
public:
    QString path_;
    QString wav;
    int imports = 0;
    mutable QMutex mutex;
    QStringList queriedFocuses;
    struct MatchCall { qint64 query = -1; double at = -2; qint64 neighbour = -1; QString focus; };
    QVector<MatchCall> matchCalls;

    bool open(const QString& path, QString*) override { path_ = path; return true; }
    QString path() const override { return path_; }
    void configure(const BackendSettings&) override {}
    QString capabilities() const override { return "fake"; }
    QStringList focuses() const override { return FocusSelector::builtinFocuses(); }
    QVector<TrackRow> tracks() override
    {
        QVector<TrackRow> rows;
        for (int i = 0; i < 6; ++i) {
            if (removed.contains(100 + i)) continue;
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
    // Stems for listening: none until "separated" (canSeparate: prepareListeningStems starts a job).
    QString stemWav;
    bool canSeparate = false;
    QSet<qint64> separated;
    QVector<QVector<qint64>> prepareCalls;
    bool lastUrgent = false;
    QString playablePath(qint64 id, const QString& focus) override
    {
        return focus != "mix" && separated.contains(id) ? stemWav : wav;
    }
    quint64 prepareListeningStems(const QVector<qint64>& tracks, bool urgent, QString*) override
    {
        if (!canSeparate) return 0;
        prepareCalls << tracks;
        lastUrgent = urgent;
        return 77;
    }
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
    // The "matching" segment of neighbour N starts at (N - 100) / 2 s (inside the 4 s test file).
    SegmentMatch matchingSegment(qint64 query, double at, qint64 neighbour, const QString& focus) override
    {
        {
            QMutexLocker l(&mutex);
            matchCalls << MatchCall{query, at, neighbour, focus};
        }
        SegmentMatch m;
        m.found = true;
        m.startSeconds = 0.5 * double(neighbour - 100);
        m.queryStartSeconds = at >= 0 ? at : 3.0;
        m.distance = 0.25;
        return m;
    }
    QVector<MapPoint> mapPoints(const QString&, MapLevel level, const std::function<bool()>&, QString*,
                                const std::function<void(double)>& progress) override
    {
        lastMapLevel = level;
        if (progress) progress(1.0);
        QVector<MapPoint> pts;
        if (level == MapLevel::Tracks) {
            for (int i = 0; i < 6; ++i) pts << MapPoint{double(i % 3), double(i / 3), 100 + i, -1, QStringLiteral("Song %1").arg(i), "rock", -1};
            return pts;
        }
        for (int i = 0; i < 12; ++i) pts << MapPoint{double(i % 4), double(i / 4), 100 + i % 6, i, QStringLiteral("Song %1").arg(i % 6), "rock", 0.25 * i};
        return pts;
    }
    std::atomic<int> overlayCalls{0};
    QVector<MapPoint> trackSegmentsOnMap(const QString&, qint64 trackId, QString*) override
    {
        ++overlayCalls;
        QVector<MapPoint> pts;
        for (int s = 0; s < 3; ++s) pts << MapPoint{0.3 + 0.7 * s, 0.5, trackId, s, QStringLiteral("Song"), "rock", 1.5 * s};
        return pts;
    }
    MapLevel lastMapLevel = MapLevel::Tracks;
    QSet<qint64> removed;
    int removeTracks(const QVector<qint64>& ids, QString*) override
    {
        for (qint64 id : ids) removed.insert(id);
        Q_EMIT tracksChanged();
        return ids.size();
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
        backend->stemWav = dir_.filePath("drums stem.wav");
        stemscope::writeMonoAudio(backend->stemWav.toStdString(), std::vector<float>(22050 * 4, 0.05f), 22050);
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
        QCOMPARE(expected.size(), 6);
        QCOMPARE(expected.last(), QString("style"));
        QCOMPARE(w_->focusSelector()->actionFor("style")->text(), QString("Style (tags)"));
        for (int i = 5; i >= 0; --i) {
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

    void mapShowsEveryTrackAndCtrlMSwitchesToSegments()
    {
        auto* level = w_->findChild<QComboBox*>(QStringLiteral("mapLevel"));
        QVERIFY(level);
        level->setCurrentIndex(0);
        w_->tabs()->setCurrentIndex(0);
        QVERIFY(w_->waitUntilIdle(20000));
        MapView* map = w_->mapView();
        QCOMPARE(backend_->lastMapLevel, LibraryBackend::MapLevel::Tracks);  // the default: one point per track
        QCOMPARE(map->pointCount(), 6);
        QTest::mouseClick(map->viewport(), Qt::LeftButton, {}, map->viewPosOf(2));  // a whole track: select it
        QCOMPARE(w_->currentTrack(), 102);
        // The selected track's segments appear over the track map.
        QVERIFY(w_->waitUntilIdle(20000));
        QCOMPARE(map->overlay().size(), 3);
        QCOMPARE(map->overlay().front().trackId, 102);
        QTest::keyClick(w_.get(), Qt::Key_M, Qt::ControlModifier);
        QVERIFY(w_->waitUntilIdle(20000));
        QCOMPARE(level->currentIndex(), 1);
        QCOMPARE(backend_->lastMapLevel, LibraryBackend::MapLevel::Segments);
        QCOMPARE(map->pointCount(), 12);
        QVERIFY(map->overlay().isEmpty());  // not over a map of segments
        QTest::keyClick(w_.get(), Qt::Key_M, Qt::ControlModifier);
        QVERIFY(w_->waitUntilIdle(20000));
        QCOMPARE(level->currentIndex(), 0);
        QCOMPARE(map->pointCount(), 6);
        QCOMPARE(map->overlay().size(), 3);
        // Ctrl+Shift+M hides it and brings it back.
        QTest::keyClick(w_.get(), Qt::Key_M, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(w_->waitUntilIdle(20000));
        QVERIFY(map->overlay().isEmpty());
        QTest::keyClick(w_.get(), Qt::Key_M, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(w_->waitUntilIdle(20000));
        QCOMPARE(map->overlay().size(), 3);
        // Clicking a segment keeps the track and plays from that moment.
        QTest::mouseClick(map->viewport(), Qt::LeftButton, {}, map->overlayViewPosOf(2));
        QCOMPARE(w_->currentTrack(), 102);
        QVERIFY(w_->waitUntilIdle(20000));
        // Asked once per track and only while the map is looked at.
        const int calls = backend_->overlayCalls;
        w_->tabs()->setCurrentIndex(1);
        QVERIFY(w_->selectTrack(104));
        QVERIFY(w_->waitUntilIdle(20000));
        QCOMPARE(backend_->overlayCalls.load(), calls);
        w_->tabs()->setCurrentIndex(0);
        QVERIFY(w_->waitUntilIdle(20000));
        QCOMPARE(backend_->overlayCalls.load(), calls + 1);
        QCOMPARE(map->overlay().front().trackId, 104);
        w_->tabs()->setCurrentIndex(1);
        w_->tabs()->setCurrentIndex(0);
        QVERIFY(w_->waitUntilIdle(20000));
        QCOMPARE(backend_->overlayCalls.load(), calls + 1);  // the same track: not asked again
    }

    void mapClickSelectsTrackAndTriesSegment()
    {
        w_->findChild<QComboBox*>(QStringLiteral("mapLevel"))->setCurrentIndex(1);
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

    void heatmapShowsMultiSelection()
    {
        w_->tabs()->setCurrentIndex(1);
        QCOMPARE(w_->trackView()->selectionMode(), QAbstractItemView::ExtendedSelection);
        QVERIFY(w_->selectTracks({100, 101, 102}));
        QCOMPARE(w_->selectedTrackIds().size(), 3);
        QCOMPARE(w_->currentTrack(), 100); // the neighbour list keeps following the current row
        QVERIFY(w_->waitUntilIdle(20000));
        QCOMPARE(w_->heatmap()->count(), 3);
        QVERIFY2(w_->heatmap()->title().contains("3 selected"), qPrintable(w_->heatmap()->title()));
        const auto ids = w_->heatmap()->property("trackIds").value<QVector<qint64>>();
        QCOMPARE(ids, (QVector<qint64>{100, 101, 102}));
        // Back to one selected track: the whole library again.
        QVERIFY(w_->selectTrack(101));
        QVERIFY(w_->waitUntilIdle(20000));
        QCOMPARE(w_->heatmap()->count(), 4);
        QVERIFY2(w_->heatmap()->title().contains("all 4"), qPrintable(w_->heatmap()->title()));
        w_->tabs()->setCurrentIndex(0);
        QVERIFY(w_->waitUntilIdle(20000));
    }

    void transportBarWithoutDevice()
    {
        TransportBar* bar = w_->transport();
        QVERIFY(bar);
        QVERIFY(bar->slider());
        QCOMPARE(bar->slider()->orientation(), Qt::Horizontal);
        QVERIFY(!bar->slider()->isEnabled()); // nothing is playing
        if (stemscope::createPlayer()->checkOutput().ok) QSKIP("this machine has an audio device");
        QVERIFY(!bar->isAvailable());
        QVERIFY(!bar->isEnabled());
        QVERIFY2(bar->whatLabel()->text().contains(stemscope::kNoAudioDeviceError), qPrintable(bar->whatLabel()->text()));
        // Seeking with nothing playing is a no-op, not a crash.
        QTest::keyClick(w_.get(), Qt::Key_Right, Qt::ControlModifier);
        QVERIFY(!w_->player()->isPlaying());
    }

    void neighbourEnterPlaysMatchingSegment()
    {
        QTest::keyClick(w_.get(), Qt::Key_1, Qt::ControlModifier); // mix
        QVERIFY(w_->selectTrack(103));
        QVERIFY(w_->waitUntilIdle(20000));
        NeighbourList* list = w_->neighbourList();
        QVERIFY(list->model()->rowCount() > 0);
        const qint64 first = list->model()->rowAt(0).trackId;
        list->view()->setCurrentIndex(list->model()->index(0, 0));
        {
            QMutexLocker l(&backend_->mutex);
            backend_->matchCalls.clear();
        }
        QSignalSpy spy(w_.get(), &MainWindow::playRequested);
        QTest::keyClick(list->view(), Qt::Key_Return);
        QVERIFY(w_->waitUntilIdle(20000));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy[0][0].toLongLong(), first);
        QCOMPARE(spy[0][1].toDouble(), 0.5 * double(first - 100));
        QCOMPARE(spy[0][2].toDouble(), stemscope::kSegmentSeconds);
        QVERIFY2(spy[0][3].toString().contains("3 s segment"), qPrintable(spy[0][3].toString()));
        QVERIFY(!QApplication::activeModalWidget()); // no dialog: a missing device is only reported
        {
            QMutexLocker l(&backend_->mutex);
            QCOMPARE(backend_->matchCalls.size(), 1);
            QCOMPARE(backend_->matchCalls[0].query, 103);
            QCOMPARE(backend_->matchCalls[0].neighbour, first);
            QCOMPARE(backend_->matchCalls[0].at, -1.0); // no moment picked: best pair over the track
            QCOMPARE(backend_->matchCalls[0].focus, QString("mix"));
        }
        // Shift+Enter: the whole mix; Ctrl+Enter under a stem focus: that stem (the fake has none).
        QTest::keyClick(list->view(), Qt::Key_Return, Qt::ShiftModifier);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy[1][0].toLongLong(), first);
        QCOMPARE(spy[1][2].toDouble(), 0.0);
        QVERIFY(spy[1][3].toString().contains("mix"));
        QTest::keyClick(w_.get(), Qt::Key_2, Qt::ControlModifier); // drums
        QVERIFY(w_->waitUntilIdle(20000));
        list->view()->setCurrentIndex(list->model()->index(0, 0));
        const qint64 firstDrums = list->model()->rowAt(0).trackId;
        QTest::keyClick(list->view(), Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(spy.count(), 3);
        QCOMPARE(spy[2][0].toLongLong(), firstDrums);
        QVERIFY2(spy[2][3].toString().contains("no drums stem"), qPrintable(spy[2][3].toString()));
        if (!stemscope::createPlayer()->checkOutput().ok) QVERIFY(w_->lastError().contains(stemscope::kNoAudioDeviceError));
        QTest::keyClick(w_.get(), Qt::Key_1, Qt::ControlModifier);
        QVERIFY(w_->waitUntilIdle(20000));
    }

    void aStemNotYetSeparatedIsSeparatedThenPlayed()
    {
        // The stems for listening come after the analysis; a stem asked for before that is
        // separated at once (an urgent job) and played when it is ready.
        backend_->canSeparate = true;
        QTest::keyClick(w_.get(), Qt::Key_2, Qt::ControlModifier); // drums
        QVERIFY(w_->waitUntilIdle(20000));
        NeighbourList* list = w_->neighbourList();
        list->view()->setCurrentIndex(list->model()->index(0, 0));
        const qint64 first = list->model()->rowAt(0).trackId;
        QSignalSpy spy(w_.get(), &MainWindow::playRequested);
        QTest::keyClick(list->view(), Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(spy.count(), 0);  // nothing plays yet, not even the mix
        QCOMPARE(backend_->prepareCalls.size(), 1);
        QCOMPARE(backend_->prepareCalls[0], QVector<qint64>{first});
        QVERIFY(backend_->lastUrgent);
        Q_EMIT backend_->stemsReady({first == 100 ? 101 : 100}); // another track's stems: not ours
        QCOMPARE(spy.count(), 0);
        backend_->separated.insert(first);
        Q_EMIT backend_->stemsReady({first});
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy[0][0].toLongLong(), first);
        QVERIFY2(spy[0][3].toString().contains("Drums stem"), qPrintable(spy[0][3].toString()));
        Q_EMIT backend_->stemsReady({first}); // played once, not again
        QCOMPARE(spy.count(), 1);
        QCOMPARE(backend_->prepareCalls.size(), 1);
        // Separation failed (still no stem): the mix plays, and says so, without asking again.
        const qint64 second = list->model()->rowAt(1).trackId;
        list->view()->setCurrentIndex(list->model()->index(1, 0));
        QTest::keyClick(list->view(), Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(backend_->prepareCalls.size(), 2);
        Q_EMIT backend_->stemsReady({second});
        QCOMPARE(spy.count(), 2);
        QVERIFY2(spy[1][3].toString().contains("no drums stem"), qPrintable(spy[1][3].toString()));
        QCOMPARE(backend_->prepareCalls.size(), 2);
        backend_->canSeparate = false;
        backend_->separated.clear();
        QTest::keyClick(w_.get(), Qt::Key_1, Qt::ControlModifier);
        QVERIFY(w_->waitUntilIdle(20000));
    }

    void mapMomentAnchorsTheMatch()
    {
        w_->findChild<QComboBox*>(QStringLiteral("mapLevel"))->setCurrentIndex(1);
        w_->tabs()->setCurrentIndex(0);
        QVERIFY(w_->waitUntilIdle(20000));
        MapView* map = w_->mapView();
        QTest::mouseClick(map->viewport(), Qt::LeftButton, {}, map->viewPosOf(5)); // track 105, starts at 1.25 s
        QCOMPARE(w_->currentTrack(), 105);
        QVERIFY(w_->waitUntilIdle(20000));
        NeighbourList* list = w_->neighbourList();
        list->view()->setCurrentIndex(list->model()->index(1, 0));
        {
            QMutexLocker l(&backend_->mutex);
            backend_->matchCalls.clear();
        }
        QTest::keyClick(list->view(), Qt::Key_Enter);
        QVERIFY(w_->waitUntilIdle(20000));
        QMutexLocker l(&backend_->mutex);
        QCOMPARE(backend_->matchCalls.size(), 1);
        QCOMPARE(backend_->matchCalls[0].query, 105);
        QCOMPARE(backend_->matchCalls[0].at, 1.25);
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

    void deleteKeyAsksThenRemovesTheSelectedTracks()
    {
        QVERIFY(w_->selectTracks({101, 102}));
        w_->trackView()->setFocus();
        auto box = [&] { return w_->findChild<QMessageBox*>(QStringLiteral("confirmRemove")); };
        // Cancel: nothing removed.
        QTest::keyClick(w_->trackView(), Qt::Key_Delete);
        QTRY_VERIFY(box() && box()->isVisible());
        QVERIFY2(box()->text().contains("2 tracks"), qPrintable(box()->text()));
        box()->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(!box());
        QVERIFY(backend_->removed.isEmpty());
        // Remove: both rows leave the table, the files are not the window's business.
        w_->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(w_.get()));
        w_->trackView()->setFocus();
        QTest::keyClick(w_->trackView(), Qt::Key_Delete);
        QTRY_VERIFY(box() && box()->isVisible());
        QAbstractButton* remove = nullptr;
        for (auto* b : box()->buttons())
            if (box()->buttonRole(b) == QMessageBox::AcceptRole) remove = b;
        QVERIFY(remove);
        remove->click();
        QTRY_COMPARE(w_->trackView()->model()->rowCount(), 4);
        QCOMPARE(backend_->removed, (QSet<qint64>{101, 102}));
        // The context menu offers it too.
        w_->showTrackMenu(w_->trackView()->visualRect(w_->trackView()->model()->index(0, 0)).center());
        auto* menu = w_->findChild<QMenu*>(QStringLiteral("trackMenu"));
        QVERIFY(menu);
        QStringList texts;
        for (auto* a : menu->actions()) texts << a->text();
        QVERIFY2(texts.contains(QStringLiteral("&Remove from Library…")) && texts.contains(QStringLiteral("Show in &Folder")),
                 qPrintable(texts.join(", ")));
        menu->close();
        backend_->removed.clear();
        Q_EMIT backend_->tracksChanged();
        QTRY_COMPARE(w_->trackView()->model()->rowCount(), 6);
    }

    void cleanupTestCase() { w_.reset(); }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
