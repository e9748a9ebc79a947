#include "MapBenchmark.h"

#include <QApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "MainWindow.h"
#include "widgets/MapView.h"

using stemscope::ui::MapView;

int runMapBenchmark(stemscope::ui::MainWindow& window, const QElapsedTimer& sinceStart, int timeoutMs)
{
    auto* map = window.findChild<MapView*>();
    if (!map) {
        std::fprintf(stderr, "stemscope: no map view\n");
        return 1;
    }
    // Until the map holds points and has been painted once.
    while (map->pointCount() == 0 && sinceStart.elapsed() < timeoutMs) {
        QApplication::processEvents(QEventLoop::AllEvents, 5);
        QThread::msleep(1);
    }
    if (map->pointCount() == 0) {
        std::fprintf(stderr, "stemscope: no map after %d s\n", timeoutMs / 1000);
        return 1;
    }
    QApplication::processEvents();
    map->repaint();
    const qint64 openMs = sinceStart.elapsed();

    // Zoom in 12 steps, pan 12 steps, zoom out 12 steps, reset.
    std::vector<double> frames;
    QElapsedTimer t;
    const QPoint c = map->viewport()->rect().center();
    auto frame = [&](double factor, QPoint around) {
        t.start();
        map->zoomBy(factor, around);
        QApplication::processEvents();
        map->repaint();
        frames.push_back(double(t.nsecsElapsed()) / 1e6);
    };
    for (int i = 0; i < 12; ++i) frame(1.25, c + QPoint(i * 7, -i * 5));
    auto pan = [&](QPoint d) {
        t.start();
        map->panBy(d);
        QApplication::processEvents();
        map->repaint();
        frames.push_back(double(t.nsecsElapsed()) / 1e6);
    };
    for (int i = 0; i < 12; ++i) pan(QPoint(40 * (i % 3 - 1), 30 * (i % 2 ? 1 : -1)));
    for (int i = 0; i < 12; ++i) frame(0.8, c);
    t.start();
    map->resetZoom();
    QApplication::processEvents();
    map->repaint();
    frames.push_back(double(t.nsecsElapsed()) / 1e6);
    // The segment overlay: once the window is idle (the lists' first index build done; at most 60 s,
    // a 100k library's HNSW build takes minutes), select a track on the map and time until its
    // segments are drawn over it; then another track (the map's references are kept by then).
    const bool idle = window.waitUntilIdle(std::min(timeoutMs, 60000));
    auto overlayFor = [&](qint64 track) -> qint64 {
        auto shown = [&] { return !map->overlay().isEmpty() && map->overlay().front().trackId == track; };
        t.start();
        if (!window.selectTrack(track)) return -1;
        while (!shown() && t.elapsed() < timeoutMs) {
            QApplication::processEvents(QEventLoop::AllEvents, 1);
            QThread::usleep(200);
        }
        map->repaint();
        return shown() ? t.elapsed() : -1;
    };
    const int n = map->pointCount();
    qint64 first = map->points()[n / 2].trackId, second = map->points()[n / 3].trackId;
    if (first == window.currentTrack()) first = map->points().front().trackId;
    if (second == first) second = map->points().back().trackId;
    const qint64 overlayMs = overlayFor(first);
    const qint64 overlayAgainMs = overlayFor(second);
    std::vector<double> sorted = frames;
    std::sort(sorted.begin(), sorted.end());
    double sum = 0;
    for (double f : frames) sum += f;
    const QJsonObject out{{"points", map->pointCount()},
                          {"open_to_map_ms", double(openMs)},
                          {"frames", int(frames.size())},
                          {"frame_ms_mean", sum / double(frames.size())},
                          {"frame_ms_median", sorted[sorted.size() / 2]},
                          {"frame_ms_max", sorted.back()},
                          {"idle_before_overlay", idle},
                          {"overlay_ms", double(overlayMs)},
                          {"overlay_again_ms", double(overlayAgainMs)},
                          {"overlay_segments", map->overlay().size()},
                          {"platform", QGuiApplication::platformName()}};
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
    return 0;
}
