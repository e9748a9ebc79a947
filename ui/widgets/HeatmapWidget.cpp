#include "widgets/HeatmapWidget.h"

#include <QFileInfo>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "widgets/Clustering.h"
#include "widgets/ColourMaps.h"

namespace stemscope::ui {

namespace {
constexpr int kMargin = 8;
constexpr int kBarWidth = 16;
constexpr int kBarGap = 12;
constexpr int kBarLabelWidth = 74;
constexpr int kLabelWidth = 120;
constexpr int kMinCellForLabels = 11;
}  // namespace

HeatmapWidget::HeatmapWidget(QWidget* parent) : QWidget(parent), valueLabel_(tr("distance"))
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    setToolTip(tr("Hover a cell to see the two tracks and their distance; click to select the pair."));
}

bool HeatmapWidget::setMatrix(const QStringList& names, const std::vector<float>& values)
{
    const auto n = std::size_t(names.size());
    if (values.size() != n * n) {
        clear();
        return false;
    }
    names_ = names;
    values_ = values;
    lo_ = std::numeric_limits<float>::infinity();
    hi_ = -std::numeric_limits<float>::infinity();
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            if (i == j && n > 1) continue; // the zero diagonal would stretch the ramp
            const float v = values_[i * n + j];
            if (!std::isfinite(v)) continue;
            lo_ = std::min(lo_, v);
            hi_ = std::max(hi_, v);
        }
    if (!std::isfinite(lo_)) lo_ = 0.f, hi_ = 1.f;
    if (hi_ - lo_ < 1e-9f) hi_ = lo_ + 1e-6f;
    order_.resize(n);
    std::iota(order_.begin(), order_.end(), 0);
    clustered_ = false;
    hover_ = {-1, -1};
    hoverText_.clear();
    rebuildImage();
    update();
    Q_EMIT orderChanged();
    return true;
}

void HeatmapWidget::clear()
{
    names_.clear();
    values_.clear();
    order_.clear();
    cells_ = QImage();
    hover_ = {-1, -1};
    hoverText_.clear();
    clustered_ = false;
    update();
}

void HeatmapWidget::setTitle(const QString& title)
{
    title_ = title;
    update();
}

void HeatmapWidget::setValueLabel(const QString& label)
{
    valueLabel_ = label;
    update();
}

float HeatmapWidget::value(int i, int j) const
{
    const int n = count();
    if (i < 0 || j < 0 || i >= n || j >= n) return std::numeric_limits<float>::quiet_NaN();
    return values_[std::size_t(i) * std::size_t(n) + std::size_t(j)];
}

bool HeatmapWidget::setOrder(const std::vector<int>& order)
{
    if (!isPermutation(order, count())) return false;
    order_ = order;
    clustered_ = false;
    rebuildImage();
    update();
    Q_EMIT orderChanged();
    return true;
}

void HeatmapWidget::clusterOrder()
{
    if (count() == 0) return;
    const auto order = averageLinkageOrder(values_, count());
    if (!isPermutation(order, count())) return;
    order_ = order;
    clustered_ = true;
    rebuildImage();
    update();
    Q_EMIT orderChanged();
}

void HeatmapWidget::resetOrder()
{
    std::iota(order_.begin(), order_.end(), 0);
    clustered_ = false;
    rebuildImage();
    update();
    Q_EMIT orderChanged();
}

void HeatmapWidget::rebuildImage()
{
    const int n = count();
    if (n == 0) {
        cells_ = QImage();
        return;
    }
    cells_ = QImage(n, n, QImage::Format_RGB32);
    for (int r = 0; r < n; ++r) {
        auto* line = reinterpret_cast<QRgb*>(cells_.scanLine(r));
        for (int c = 0; c < n; ++c) {
            const float v = value(order_[std::size_t(r)], order_[std::size_t(c)]);
            line[c] = viridis((double(v) - lo_) / double(hi_ - lo_)).rgb();
        }
    }
}

HeatmapWidget::Layout HeatmapWidget::layoutFor(const QRect& area) const
{
    Layout l;
    const QFontMetrics fm(font());
    const int titleH = title_.isEmpty() ? 0 : fm.height() + 6;
    l.title = QRect(area.left() + kMargin, area.top() + kMargin, area.width() - 2 * kMargin, titleH);
    QRect avail = area.adjusted(kMargin, kMargin + titleH, -(kMargin + kBarGap + kBarWidth + kBarLabelWidth), -kMargin);
    const int n = std::max(1, count());
    // Labels only when each cell is tall enough to read one.
    const int sideWithLabels = std::min(avail.width() - kLabelWidth, avail.height());
    l.labels = count() > 0 && sideWithLabels / n >= kMinCellForLabels;
    int side = l.labels ? sideWithLabels : std::min(avail.width(), avail.height());
    side = std::max(side, 0);
    if (count() > 0 && side >= n) side = (side / n) * n; // whole pixels per cell: crisp edges
    const int left = avail.left() + (l.labels ? kLabelWidth : 0);
    l.matrix = QRect(left, avail.top(), side, side);
    l.colourBar = QRect(l.matrix.right() + kBarGap, l.matrix.top(), kBarWidth, side);
    return l;
}

QRect HeatmapWidget::matrixRect() const { return layoutFor(rect()).matrix; }

QPair<int, int> HeatmapWidget::cellAt(const QPoint& pos) const
{
    const QRect m = matrixRect();
    const int n = count();
    if (n == 0 || m.isEmpty() || !m.contains(pos)) return {-1, -1};
    const int r = std::clamp(int(double(pos.y() - m.top()) * n / m.height()), 0, n - 1);
    const int c = std::clamp(int(double(pos.x() - m.left()) * n / m.width()), 0, n - 1);
    return {order_[std::size_t(r)], order_[std::size_t(c)]};
}

QPoint HeatmapWidget::cellCentre(int row, int col) const
{
    const QRect m = matrixRect();
    const int n = count();
    const auto pr = std::find(order_.begin(), order_.end(), row);
    const auto pc = std::find(order_.begin(), order_.end(), col);
    if (n == 0 || pr == order_.end() || pc == order_.end()) return {-1, -1};
    const double cell = double(m.width()) / n;
    return {m.left() + int((double(pc - order_.begin()) + 0.5) * cell), m.top() + int((double(pr - order_.begin()) + 0.5) * cell)};
}

QString HeatmapWidget::describe(int i, int j) const
{
    return tr("%1\n%2\n%3: %4").arg(names_.value(i), names_.value(j), valueLabel_).arg(double(value(i, j)), 0, 'f', 3);
}

QString HeatmapWidget::tooltipTextAt(const QPoint& pos) const
{
    const auto cell = cellAt(pos);
    return cell.first < 0 ? QString() : describe(cell.first, cell.second);
}

void HeatmapWidget::paintTo(QPainter& p, const QRect& area) const
{
    p.fillRect(area, palette().base());
    const Layout l = layoutFor(area);
    p.setPen(palette().text().color());
    if (!title_.isEmpty()) {
        QFont f = font();
        f.setBold(true);
        p.setFont(f);
        p.drawText(l.title, Qt::AlignLeft | Qt::AlignVCenter, title_);
        p.setFont(font());
    }
    const int n = count();
    if (n == 0) {
        p.drawText(area, Qt::AlignCenter, tr("No distances yet.\nAnalyse some tracks to see their distance matrix."));
        return;
    }
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    p.drawImage(l.matrix, cells_);

    if (l.labels) {
        const double cell = double(l.matrix.height()) / n;
        QFont f = font();
        f.setPointSizeF(std::max(6.0, std::min(f.pointSizeF(), cell * 0.55)));
        p.setFont(f);
        const QFontMetrics fm(f);
        for (int r = 0; r < n; ++r) {
            const QRect lr(l.matrix.left() - kLabelWidth, l.matrix.top() + int(r * cell), kLabelWidth - 4, int(cell));
            p.drawText(lr, Qt::AlignRight | Qt::AlignVCenter,
                       fm.elidedText(names_.value(order_[std::size_t(r)]), Qt::ElideRight, lr.width()));
        }
        p.setFont(font());
    }
    if (hover_.first >= 0) {
        const auto pr = std::find(order_.begin(), order_.end(), hover_.first) - order_.begin();
        const auto pc = std::find(order_.begin(), order_.end(), hover_.second) - order_.begin();
        const double cell = double(l.matrix.width()) / n;
        p.setPen(QPen(Qt::white, 1, Qt::DashLine));
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(l.matrix.left(), l.matrix.top() + pr * cell, l.matrix.width() - 1, cell));
        p.drawRect(QRectF(l.matrix.left() + pc * cell, l.matrix.top(), cell, l.matrix.height() - 1));
    }

    // Colour bar: low distance (similar) at the bottom, high at the top.
    const QRect bar = l.colourBar;
    for (int y = 0; y < bar.height(); ++y) {
        const double t = 1.0 - double(y) / std::max(1, bar.height() - 1);
        p.setPen(viridis(t));
        p.drawLine(bar.left(), bar.top() + y, bar.right(), bar.top() + y);
    }
    p.setPen(palette().text().color());
    p.setBrush(Qt::NoBrush);
    p.drawRect(bar.adjusted(0, 0, -1, -1));
    const QFontMetrics fm(font());
    const int tx = bar.right() + 4;
    auto label = [&](double v, int y) {
        p.drawText(QRect(tx, y - fm.height() / 2, kBarLabelWidth, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                   QString::number(v, 'f', 3));
    };
    label(hi_, bar.top() + fm.height() / 2);
    label(0.5 * (lo_ + hi_), bar.center().y());
    label(lo_, bar.bottom() - fm.height() / 2);
    p.save();
    p.translate(tx + kBarLabelWidth, bar.center().y());
    p.rotate(-90);
    p.drawText(QRect(-bar.height() / 2, -fm.height(), bar.height(), fm.height()), Qt::AlignCenter, valueLabel_);
    p.restore();
}

void HeatmapWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paintTo(p, rect());
}

QImage HeatmapWidget::renderImage(const QSize& size) const
{
    QImage img(size, QImage::Format_ARGB32_Premultiplied);
    img.fill(palette().base().color());
    QPainter p(&img);
    p.setFont(font());
    // Paint as if the widget had this size (layout uses the given area).
    paintTo(p, QRect(QPoint(0, 0), size));
    return img;
}

bool HeatmapWidget::exportPng(const QString& path, QString* error) const
{
    const int n = count();
    const int side = std::clamp(n * 14, 480, 1600);
    const QImage img = renderImage(QSize(side + kLabelWidth + kBarGap + kBarWidth + kBarLabelWidth + 3 * kMargin,
                                         side + 2 * kMargin + (title_.isEmpty() ? 0 : 24)));
    if (!img.save(path, "PNG")) {
        if (error) *error = tr("Could not write %1 (check that the folder exists and is writable).").arg(QFileInfo(path).absoluteFilePath());
        return false;
    }
    return true;
}

void HeatmapWidget::mouseMoveEvent(QMouseEvent* event)
{
    const auto cell = cellAt(event->position().toPoint());
    if (cell != hover_) {
        hover_ = cell;
        hoverText_ = cell.first < 0 ? QString() : describe(cell.first, cell.second);
        if (cell.first >= 0) Q_EMIT cellHovered(cell.first, cell.second, value(cell.first, cell.second));
        update();
    }
    QWidget::mouseMoveEvent(event);
}

void HeatmapWidget::mousePressEvent(QMouseEvent* event)
{
    const auto cell = cellAt(event->position().toPoint());
    if (event->button() == Qt::LeftButton && cell.first >= 0) Q_EMIT cellClicked(cell.first, cell.second);
    QWidget::mousePressEvent(event);
}

void HeatmapWidget::leaveEvent(QEvent* event)
{
    hover_ = {-1, -1};
    update();
    QWidget::leaveEvent(event);
}

bool HeatmapWidget::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = tooltipTextAt(help->pos());
        if (text.isEmpty()) {
            if (count() == 0 || !matrixRect().contains(help->pos())) QToolTip::showText(help->globalPos(), toolTip(), this);
            else QToolTip::hideText();
        } else {
            hoverText_ = text;
            QToolTip::showText(help->globalPos(), text, this);
        }
        return true;
    }
    return QWidget::event(event);
}

}  // namespace stemscope::ui
