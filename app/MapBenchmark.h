#pragma once
// `stemscope --library LIB --benchmark-map`: how long the window takes from start to a drawn map,
// then the frame time of zooming and panning it (each step followed by a synchronous repaint), then
// how long one track's segment overlay takes to appear once the track is selected.
// Prints one JSON line and quits. Measures the real window, not a mock-up.
#include <QElapsedTimer>

namespace stemscope::ui { class MainWindow; }

// `sinceStart` started when the process did; returns the exit code.
int runMapBenchmark(stemscope::ui::MainWindow& window, const QElapsedTimer& sinceStart, int timeoutMs);
