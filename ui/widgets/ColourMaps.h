#pragma once
// Small colour helpers shared by the heatmap, the map and the tables.
#include <QColor>
#include <QString>

namespace stemscope::ui {

// Perceptually ordered "viridis"-like ramp: t in [0, 1] -> dark purple .. yellow.
QColor viridis(double t);
// A stable, well-separated colour for category `index` (first 12 hand-picked, then golden-angle hues).
QColor categoryColour(int index);
// "3:05" / "1:02:03"
QString formatDuration(double seconds);

}  // namespace stemscope::ui
