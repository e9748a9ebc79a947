// The reusable browse widgets, driven with synthetic data (no engine, no library).
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTableView>
#include <QLabel>
#include <QSlider>
#include <QToolButton>

#include <random>

#include "widgets/Clustering.h"
#include "widgets/FocusSelector.h"
#include "widgets/HeatmapWidget.h"
#include "widgets/JobsPanel.h"
#include "widgets/MapView.h"
#include "widgets/NeighbourList.h"
#include "widgets/TrackTableModel.h"
#include "widgets/TransportBar.h"

using namespace stemscope::ui;

namespace {
// Two well-separated groups: {0,2,4} and {1,3,5}, interleaved so clustering has to reorder.
std::vector<float> blockMatrix(int n)
{
    std::vector<float> d(size_t(n * n));
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            d[size_t(i * n + j)] = i == j ? 0.f : ((i % 2) == (j % 2) ? 0.1f + 0.01f * float(std::abs(i - j)) : 0.9f);
    return d;
}

void sendMove(QWidget* w, QPoint pos)
{
    QMouseEvent ev(QEvent::MouseMove, QPointF(pos), w->mapToGlobal(QPointF(pos)), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(w, &ev);
}
}  // namespace

class TestWidgets : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void clusteringIsPermutationAndGroups()
    {
        const auto d = blockMatrix(6);
        const auto order = averageLinkageOrder(d, 6);
        QVERIFY(isPermutation(order, 6));
        // Each parity group must be contiguous in the leaf order.
        int changes = 0;
        for (size_t i = 1; i < order.size(); ++i) changes += (order[i] % 2) != (order[i - 1] % 2);
        QCOMPARE(changes, 1);
        QVERIFY(averageLinkageOrder({}, 0).empty());
        QCOMPARE(averageLinkageOrder({0.f}, 1), std::vector<int>{0});
        QVERIFY(!isPermutation({0, 0, 1}, 3));
    }

    void clusteringRandomMatricesStayPermutations()
    {
        std::mt19937 rng(7);
        std::uniform_real_distribution<float> u(0.f, 1.f);
        for (int n : {2, 3, 17, 60}) {
            std::vector<float> d(size_t(n * n));
            for (int i = 0; i < n; ++i)
                for (int j = i; j < n; ++j) d[size_t(i * n + j)] = d[size_t(j * n + i)] = i == j ? 0.f : u(rng);
            d[1] = std::numeric_limits<float>::quiet_NaN(); // broken entries must not break the order
            QVERIFY(isPermutation(averageLinkageOrder(d, n), n));
        }
    }

    void heatmapHoverShowsNamesAndValue()
    {
        HeatmapWidget w;
        w.resize(600, 500);
        const QStringList names{"Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"};
        auto d = blockMatrix(6);
        d[size_t(1 * 6 + 4)] = 0.4321f;
        QVERIFY(w.setMatrix(names, d));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const QPoint p = w.cellCentre(1, 4);
        QCOMPARE(w.cellAt(p), qMakePair(1, 4));
        QSignalSpy hovered(&w, &HeatmapWidget::cellHovered);
        sendMove(&w, p);
        QCOMPARE(hovered.count(), 1);
        QVERIFY2(w.hoverText().contains("Bravo") && w.hoverText().contains("Echo") && w.hoverText().contains("0.432"),
                 qPrintable(w.hoverText()));
        QCOMPARE(w.tooltipTextAt(p), w.hoverText());
        QVERIFY(w.tooltipTextAt(QPoint(1, 1)).isEmpty());
        QVERIFY(!w.setMatrix(names, std::vector<float>(5, 0.f))); // wrong size is refused
        QCOMPARE(w.count(), 0);
    }

    void heatmapClusterOrderKeepsLookup()
    {
        HeatmapWidget w;
        w.resize(600, 500);
        const QStringList names{"a0", "a1", "a2", "a3", "a4", "a5"};
        QVERIFY(w.setMatrix(names, blockMatrix(6)));
        w.clusterOrder();
        QVERIFY(w.isClustered());
        QVERIFY(isPermutation(w.order(), 6));
        // After reordering, the cell under a point still reports the right original pair/value.
        const QPoint p = w.cellCentre(3, 0);
        QCOMPARE(w.cellAt(p), qMakePair(3, 0));
        QVERIFY(w.tooltipTextAt(p).contains("0.900"));
        QVERIFY(!w.setOrder({0, 1, 2}));
        QVERIFY(w.setOrder({5, 4, 3, 2, 1, 0}));
        QCOMPARE(w.order().front(), 5);
        QTemporaryDir dir;
        const QString png = dir.filePath("heat.png");
        QString error;
        QVERIFY2(w.exportPng(png, &error), qPrintable(error));
        QImage img(png);
        QVERIFY(!img.isNull() && img.width() >= 480);
        QVERIFY(!w.exportPng(dir.filePath("missing/dir/heat.png"), &error));
        QVERIFY(!error.isEmpty());
    }

    void mapPlaceholderIsDrawnInsideThePlot()
    {
        MapView v;
        v.resize(640, 480);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.setPlaceholder(QStringLiteral("Nothing analysed under this focus yet."));
        v.setTitle(QStringLiteral("a title moves the plot area"));  // used to leave a stale copy
        QCOMPARE(v.shownPlaceholder(), QStringLiteral("Nothing analysed under this focus yet."));
        // The text is drawn once, in the middle of the plot (ink there, none in the plot's corners).
        const QImage img = v.grab().toImage();
        const QRect area = v.plotArea().toRect();
        auto ink = [&](const QRect& r) {
            int n = 0;
            for (int y = r.top(); y <= r.bottom(); ++y)
                for (int x = r.left(); x <= r.right(); ++x) n += qGray(img.pixel(x, y)) < 200;
            return n;
        };
        const QRect middle(area.center() - QPoint(area.width() / 3, 12), QSize(2 * area.width() / 3, 24));
        QVERIFY(ink(middle) > 20);
        QCOMPARE(ink(QRect(area.topLeft() + QPoint(4, 4), QSize(60, 30))), 0);
        QVERIFY(area.top() > 20);  // below the title
        v.setPoints({{1, 2, 100, 0, "T", "rock", 0}, {2, 3, 101, 0, "U", "jazz", 0}});
        QCOMPARE(v.shownPlaceholder(), QString());
    }

    void largeMapsDrawDenseAndStillHitTest()
    {
        // 100k points (a whole large library): drawn as stamps, hover/click still find the nearest one.
        QVector<MapPoint> pts;
        pts.reserve(100000);
        for (int i = 0; i < 100000; ++i)
            pts.push_back({std::cos(i * 0.01) * (1 + i % 97), std::sin(i * 0.013) * (1 + i % 89), i, -1,
                           QStringLiteral("T%1").arg(i), QStringLiteral("g%1").arg(i % 7), -1});
        MapView v;
        v.resize(800, 600);
        v.setPoints(pts);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.grab();
        QVERIFY(v.lastFrameWasDense());
        QCOMPARE(v.groupCount(), 100000);  // colour by track: no legend for so many
        for (int target : {0, 4242, 99999}) {
            const QPoint pos = v.viewPosOf(target);
            const int hit = v.pointIndexAt(pos, 0.75);
            QVERIFY(hit >= 0);
            QVERIFY((v.viewPosOf(hit) - pos).manhattanLength() <= 1);
        }
        // Zoomed far in, few points are in view: discs again, and the mapping still holds.
        const QPoint at = v.viewPosOf(4242);
        v.zoomBy(400.0, at);
        v.grab();
        QVERIFY(!v.lastFrameWasDense());
        QCOMPARE(v.pointIndexAt(v.viewPosOf(4242)), 4242);
        // Panning moves the content by exactly the pixels asked for.
        const QPoint before = v.viewPosOf(4242);
        v.panBy(QPoint(30, -20));
        QVERIFY((v.viewPosOf(4242) - (before + QPoint(30, -20))).manhattanLength() <= 1);
        v.setColourBy(MapView::ColourBy::Tag);
        QCOMPARE(v.groupCount(), 7);
    }

    void mapClickEmitsTrackAndSegment()
    {
        MapView v;
        v.resize(640, 480);
        QVector<MapPoint> pts;
        for (int t = 0; t < 4; ++t)
            for (int s = 0; s < 5; ++s)
                pts.push_back({double(t * 10 + s), double((t % 2) * 10 + s * 0.5), 100 + t, s, QStringLiteral("Track %1").arg(t),
                               t % 2 ? "rock" : "jazz", s * 1.5});
        v.setPoints(pts);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        QCOMPARE(v.groupCount(), 4);
        v.setColourBy(MapView::ColourBy::Tag);
        QCOMPARE(v.groupCount(), 2);
        const int target = 13; // track 102, segment 3
        const QPoint pos = v.viewPosOf(target);
        QVERIFY(v.viewport()->rect().contains(pos));
        QCOMPARE(v.pointIndexAt(pos), target);
        QSignalSpy clicked(&v, &MapView::pointClicked);
        QTest::mouseClick(v.viewport(), Qt::LeftButton, {}, pos);
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.at(0).at(0).toLongLong(), 102);
        QCOMPARE(clicked.at(0).at(1).toInt(), 3);
        QCOMPARE(clicked.at(0).at(2).toDouble(), 4.5);
        // Hover shows the details.
        sendMove(v.viewport(), pos);
        QVERIFY2(v.hoverText().contains("Track 2"), qPrintable(v.hoverText()));
        // Clicking empty space emits nothing; zoom keeps the mapping consistent.
        QTest::mouseClick(v.viewport(), Qt::LeftButton, {}, QPoint(3, 3));
        QCOMPARE(clicked.count(), 1);
        v.zoomBy(2.0, pos);
        QCOMPARE(v.pointIndexAt(v.viewPosOf(target)), target);
        v.resetZoom();
        QCOMPARE(v.pointIndexAt(v.viewPosOf(0)), 0);
    }

    void mapOverlayAnswersHoverAndClickFirst()
    {
        MapView v;
        v.resize(640, 480);
        QVector<MapPoint> tracks;
        for (int t = 0; t < 30; ++t) tracks.push_back({double(t % 6), double(t / 6), 100 + t, -1, QStringLiteral("Track %1").arg(t), "", -1});
        v.setPoints(tracks);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        // Segments of track 107, between the track points (one of them right on track 100's point).
        QVector<MapPoint> segs;
        for (int s = 0; s < 4; ++s) segs.push_back({0.5 + s, 2.5, 107, s, QStringLiteral("Seven"), "", 3.0 * s});
        segs.push_back({0.0, 0.0, 107, 4, QStringLiteral("Seven"), "", 12.0});
        v.setOverlay(segs);
        QCOMPARE(v.overlay().size(), 5);
        QSignalSpy clicked(&v, &MapView::pointClicked);
        const QPoint pos = v.overlayViewPosOf(2);
        QCOMPARE(v.overlayIndexAt(pos), 2);
        QCOMPARE(v.pointIndexAt(pos), -1);  // no track point there
        sendMove(v.viewport(), pos);
        QVERIFY2(v.hoverText().contains("Seven") && v.hoverText().contains("0:06") && v.hoverText().contains("play"),
                 qPrintable(v.hoverText()));
        QTest::mouseClick(v.viewport(), Qt::LeftButton, {}, pos);
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.at(0).at(0).toLongLong(), 107);
        QCOMPARE(clicked.at(0).at(1).toInt(), 2);
        QCOMPARE(clicked.at(0).at(2).toDouble(), 6.0);
        // On top of a track point the segment wins.
        const QPoint onTrack = v.overlayViewPosOf(4);
        QCOMPARE(v.pointIndexAt(onTrack), 0);
        QTest::mouseClick(v.viewport(), Qt::LeftButton, {}, onTrack);
        QCOMPARE(clicked.at(1).at(0).toLongLong(), 107);
        QCOMPARE(clicked.at(1).at(2).toDouble(), 12.0);
        // The overlay follows zoom, and new points clear it.
        v.zoomBy(2.0, pos);
        QCOMPARE(v.overlayIndexAt(v.overlayViewPosOf(2)), 2);
        const QImage shot = v.grab().toImage();
        QVERIFY(!shot.isNull());
        v.setPoints(tracks);
        QVERIFY(v.overlay().isEmpty());
        QCOMPARE(v.overlayIndexAt(pos), -1);
    }

    void neighbourListSortedByDistance()
    {
        NeighbourList list;
        list.setQuery("Query", "Drums");
        list.setNeighbours({{1, "far", "", 0.9, {"x"}}, {2, "near", "", 0.1, {}, 0.25}, {3, "mid", "", 0.5, {"y", "z"}}});
        auto* m = list.model();
        QCOMPARE(m->rowCount(), 3);
        for (int r = 1; r < m->rowCount(); ++r) QVERIFY(m->rowAt(r - 1).distance <= m->rowAt(r).distance);
        QCOMPARE(m->index(0, NeighbourModel::Rank).data().toInt(), 1);
        QCOMPARE(m->index(0, NeighbourModel::Title).data().toString(), QString("near"));
        // The tooltip gives both distances: the ranked (hubness-corrected) one and the plain cosine.
        const QString tip = m->index(0, NeighbourModel::Distance).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains("distance 0.1000") && tip.contains("cosine distance 0.2500"), qPrintable(tip));
        QVERIFY(m->headerData(NeighbourModel::Distance, Qt::Horizontal, Qt::ToolTipRole).toString().contains("hubness"));
        QCOMPARE(m->index(2, NeighbourModel::Tags).data().toString(), QString("x"));
        QCOMPARE(m->index(1, NeighbourModel::TrackIdRole == 0 ? 0 : 0).data(NeighbourModel::TrackIdRole).toLongLong(), 3);

        FocusComparison cmp;
        cmp.setFocuses(FocusSelector::builtinFocuses(), {"Mix", "Drums", "Bass", "Piano", "Guitar"});
        QCOMPARE(cmp.leftFocus(), QString("drums"));
        QCOMPARE(cmp.rightFocus(), QString("bass"));
        cmp.setQueryTitle("Query");
        cmp.setLeft({{1, "a", "", 0.2, {}}, {2, "b", "", 0.3, {}}});
        cmp.setRight({{2, "b", "", 0.1, {}}, {3, "c", "", 0.4, {}}});
        QCOMPARE(cmp.overlapCount(), 1);
    }

    void neighbourListPlayRequests()
    {
        NeighbourList list;
        list.setNeighbours({{7, "seven", "", 0.3, {}}, {8, "eight", "", 0.1, {}}});
        QSignalSpy segment(&list, &NeighbourList::segmentPlayRequested);
        QSignalSpy track(&list, &NeighbourList::trackPlayRequested);
        QSignalSpy stem(&list, &NeighbourList::stemPlayRequested);
        QSignalSpy activated(&list, &NeighbourList::trackActivated);
        list.view()->setCurrentIndex(list.model()->index(1, 0)); // "seven" (rows sorted by distance)
        QTest::keyClick(list.view(), Qt::Key_Return);
        QCOMPARE(segment.count(), 1);
        QCOMPARE(segment[0][0].toLongLong(), 7);
        QTest::keyClick(list.view(), Qt::Key_Enter, Qt::ShiftModifier);
        QCOMPARE(track.count(), 1);
        QCOMPARE(track[0][0].toLongLong(), 7);
        QTest::keyClick(list.view(), Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(stem.count(), 0); // the mix focus has no stem
        list.setStemLabel("Drums");
        QTest::keyClick(list.view(), Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(stem.count(), 1);
        QCOMPARE(activated.count(), 0); // playing does not change the query
        // In a comparison list Enter makes the query, as double-click does.
        list.setPlaybackEnabled(false);
        QTest::keyClick(list.view(), Qt::Key_Return);
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated[0][0].toLongLong(), 7);
        QCOMPARE(segment.count(), 1);
    }

    void transportBarSeeksAndDisables()
    {
        TransportBar bar;
        QSignalSpy seek(&bar, &TransportBar::seekRequested);
        QVERIFY(!bar.slider()->isEnabled());
        bar.setNowPlaying("Song · Drums stem · 3 s segment at 0:10", 10.0, 13.0);
        QVERIFY(bar.slider()->isEnabled());
        QCOMPARE(bar.slider()->minimum(), 10000);
        QCOMPARE(bar.slider()->maximum(), 13000);
        QVERIFY(bar.whatLabel()->text().contains("Drums stem"));
        bar.setPosition(11.0); // programmatic: no seek
        QCOMPARE(seek.count(), 0);
        QCOMPARE(bar.timeLabel()->text(), QString("0:11 / 0:13"));
        bar.slider()->triggerAction(QAbstractSlider::SliderPageStepAdd); // a click on the groove
        QCOMPARE(seek.count(), 1);
        QVERIFY(seek[0][0].toDouble() > 11.0 && seek[0][0].toDouble() <= 13.0);
        bar.setStopped("Song");
        QVERIFY(!bar.slider()->isEnabled());
        bar.setUnavailable("no audio output device");
        QVERIFY(!bar.isEnabled());
        QVERIFY(!bar.playButton()->isEnabled());
        QVERIFY(bar.whatLabel()->text().contains("no audio output device"));
        QCOMPARE(TransportBar::formatTime(3725.4), QString("1:02:05"));
        QCOMPARE(TransportBar::formatTime(65), QString("1:05"));
    }

    void focusSelectorActions()
    {
        FocusSelector f;
        QCOMPARE(f.focuses(), FocusSelector::builtinFocuses());
        QCOMPARE(f.currentFocus(), QString("mix"));
        QSignalSpy changed(&f, &FocusSelector::focusChanged);
        f.actionFor("bass")->trigger();
        QCOMPARE(f.currentFocus(), QString("bass"));
        QCOMPARE(changed.count(), 1);
        f.setExtraFocuses({"my-model", "drums"});
        QCOMPARE(f.focuses().size(), 7);  // six built-ins, one new extra (drums is already there)
        QVERIFY(f.setCurrentFocus("my-model"));
        QVERIFY(!f.setCurrentFocus("nonsense"));
        f.setExtraFocuses({});
        QCOMPARE(f.currentFocus(), QString("mix")); // the removed extra falls back to Mix
        QCOMPARE(FocusSelector::displayName("guitar"), QString("Guitar"));
        QCOMPARE(FocusSelector::displayName("style"), QString("Style (tags)"));
        QVERIFY(FocusSelector::hasStem("bass") && !FocusSelector::hasStem("style") && !FocusSelector::hasStem("mix"));
        QVERIFY(!FocusSelector::instrumentFocuses().contains("style"));
    }

    void jobsPanelProgressAndCancel()
    {
        JobsPanel p;
        p.addJob(7, "Analyse 3 tracks");
        QCOMPARE(p.activeCount(), 1);
        QCOMPARE(p.progressPercent(7), -1);
        p.updateJob(7, 0.42, 75, "track 2 of 3");
        QCOMPARE(p.progressPercent(7), 42);
        QCOMPARE(p.etaText(7), JobsPanel::formatEta(75));
        QCOMPARE(p.statusText(7), QString("track 2 of 3"));
        QSignalSpy cancel(&p, &JobsPanel::cancelRequested);
        auto* button = p.findChild<QWidget*>("job_7")->findChild<QToolButton*>();
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(cancel.count(), 1);
        QCOMPARE(cancel.at(0).at(0).toULongLong(), 7ull);
        p.finishJob(7, JobsPanel::Outcome::Cancelled, "cancelled by user");
        QCOMPARE(p.activeCount(), 0);
        p.clearFinished();
        QCOMPARE(p.jobCount(), 0);
        QCOMPARE(JobsPanel::formatEta(125), QString("2 min 5 s left"));
    }

    void trackTableSortAndFilter()
    {
        TrackTableModel model;
        model.setTracks({{1, "Blue Train", "Coltrane", "/m/a.flac", 643, {"jazz"}, {}, {}},
                         {2, "Paranoid", "Black Sabbath", "/m/b.flac", 170, {"rock", "metal"}, {}, {}},
                         {3, "So What", "Miles Davis", "/m/c.flac", 565, {"jazz", "modal"}, {}, {}}});
        QVERIFY(model.setAnalysisState(2, "drums", AnalysisState::Done));
        QCOMPARE(model.index(1, TrackTableModel::FirstFocus + 1).data().toString(), analysisStateText(AnalysisState::Done));
        TrackFilterProxy proxy;
        proxy.setSourceModel(&model);
        proxy.sort(TrackTableModel::Duration, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, TrackTableModel::Title).data().toString(), QString("Paranoid"));
        QCOMPARE(proxy.index(2, TrackTableModel::Title).data().toString(), QString("Blue Train"));
        proxy.setFilterText("jazz miles");
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data(TrackTableModel::TrackIdRole).toLongLong(), 3);
        proxy.setFilterText("JAZZ");
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setFilterText("");
        QCOMPARE(proxy.rowCount(), 3);
        model.upsertTrack({4, "New", "", "/m/d.wav", 10, {}, {}, {}});
        QCOMPARE(proxy.rowCount(), 4);
        QVERIFY(model.removeTrack(1));
        QCOMPARE(model.rowOfId(3), 1);
    }
};

QTEST_MAIN(TestWidgets)
#include "tst_widgets.moc"
