#include "widgets/ColourMaps.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace stemscope::ui {

QColor viridis(double t)
{
    static constexpr std::array<std::array<int, 3>, 9> stops{{{68, 1, 84},
                                                              {71, 44, 122},
                                                              {59, 81, 139},
                                                              {44, 113, 142},
                                                              {33, 144, 141},
                                                              {39, 173, 129},
                                                              {92, 200, 99},
                                                              {170, 220, 50},
                                                              {253, 231, 37}}};
    if (!std::isfinite(t)) return QColor(128, 128, 128);
    t = std::clamp(t, 0.0, 1.0) * double(stops.size() - 1);
    const int i = std::min(int(t), int(stops.size()) - 2);
    const double f = t - i;
    auto mix = [&](int c) { return int(std::lround(stops[size_t(i)][size_t(c)] * (1 - f) + stops[size_t(i + 1)][size_t(c)] * f)); };
    return QColor(mix(0), mix(1), mix(2));
}

QColor categoryColour(int index)
{
    static constexpr std::array<QRgb, 12> base{0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b,
                                                0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf, 0x393b79, 0xad494a};
    if (index < 0) index = 0;
    if (index < int(base.size())) return QColor::fromRgb(base[size_t(index)]);
    const double hue = std::fmod(index * 0.618033988749895, 1.0);
    return QColor::fromHsvF(float(hue), 0.65f, 0.85f);
}

QString formatDuration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0) return QStringLiteral("–");
    const long long s = std::llround(seconds);
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

}  // namespace stemscope::ui
