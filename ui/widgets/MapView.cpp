#include "widgets/MapView.h"

#include <QHash>
#include <QMouseEvent>
#include <QPainter>
#include <QRubberBand>
#include <QToolTip>

#include <algorithm>
#include <cmath>

#include "widgets/ColourMaps.h"

namespace stemscope::ui {
namespace {
constexpr int kMaxLegendGroups = 16;
constexpr int kDenseAbove = 3000;   // visible points above which they are stamped, not drawn as discs
constexpr double kDiscRadius = 4.0, kHighlightRadius = 6.5;

// An opaque colour faded towards white (the "dimmed" look of tracks other than the highlighted one).
QRgb faded(QRgb c, double keep)
{
    auto mix = [keep](int v) { return int(std::lround(v * keep + 255 * (1 - keep))); };
    return qRgb(mix(qRed(c)), mix(qGreen(c)), mix(qBlue(c)));
}
}  // namespace

MapView::MapView(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(200, 160);
    band_ = std::make_unique<QRubberBand>(QRubberBand::Rectangle, this);
    placeholderText_ = tr("No map yet. Analyse tracks, then the map is computed in the background.");
    setToolTip(tr("Wheel: zoom · drag: zoom to a box · middle-drag or Shift+drag: pan · right-click: zoom out · "
                  "Home or double-click: reset"));
    fitView();
}

MapView::~MapView() = default;

void MapView::setPoints(const QVector<MapPoint>& points)
{
    points_ = points;
    overlay_.clear();
    hoverText_.clear();
    rebuildGroups();
    fitView();
    buildGrid();
    invalidate();
}

void MapView::setColourBy(ColourBy mode)
{
    if (mode == colourBy_) return;
    colourBy_ = mode;
    rebuildGroups();
    invalidate();
}

void MapView::setTitle(const QString& title)
{
    title_ = title;
    invalidate();
}

void MapView::setPlaceholder(const QString& text)
{
    placeholderText_ = text;
    update();
}

void MapView::setHighlightedTrack(qint64 trackId)
{
    if (trackId == highlighted_) return;
    highlighted_ = trackId;
    invalidate();
}

void MapView::setOverlay(const QVector<MapPoint>& segments)
{
    overlay_ = segments;
    hoverText_.clear();
    update();  // drawn over the cached points: the cache stays valid
}

QString MapView::shownPlaceholder() const { return points_.isEmpty() ? placeholderText_ : QString(); }

void MapView::rebuildGroups()
{
    // Group key: track id or tag; groups keep first-seen order so colours are stable.
    group_.assign(size_t(points_.size()), 0);
    groupLabels_.clear();
    QHash<qint64, int> byTrack;
    QHash<QString, int> byTag;
    for (int i = 0; i < points_.size(); ++i) {
        const auto& p = points_[i];
        int g;
        if (colourBy_ == ColourBy::Track) {
            auto it = byTrack.find(p.trackId);
            if (it == byTrack.end()) {
                it = byTrack.insert(p.trackId, groupLabels_.size());
                groupLabels_ << p.track;
            }
            g = *it;
        } else {
            auto it = byTag.find(p.tag);
            if (it == byTag.end()) {
                it = byTag.insert(p.tag, groupLabels_.size());
                groupLabels_ << (p.tag.isEmpty() ? tr("(untagged)") : p.tag);
            }
            g = *it;
        }
        group_[size_t(i)] = g;
    }
    groupColour_.resize(size_t(groupLabels_.size()));
    for (int g = 0; g < groupLabels_.size(); ++g) groupColour_[size_t(g)] = categoryColour(g).rgb();
}

void MapView::fitView()
{
    if (points_.isEmpty()) {
        world_ = view_ = QRectF(-1, -1, 2, 2);
        return;
    }
    double x0 = points_[0].x, x1 = x0, y0 = points_[0].y, y1 = y0;
    for (const auto& p : points_) {
        x0 = std::min(x0, p.x), x1 = std::max(x1, p.x);
        y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
    }
    const double px = std::max(1e-6, (x1 - x0) * 0.06), py = std::max(1e-6, (y1 - y0) * 0.06);
    world_ = view_ = QRectF(QPointF(x0 - px, y0 - py), QPointF(x1 + px, y1 + py));
}

void MapView::buildGrid()
{
    const int n = points_.size();
    gridN_ = std::clamp(int(std::sqrt(n / 4.0)), 1, 256);
    auto cellOf = [this](const MapPoint& p) {
        const int cx = std::clamp(int((p.x - world_.left()) / world_.width() * gridN_), 0, gridN_ - 1);
        const int cy = std::clamp(int((p.y - world_.top()) / world_.height() * gridN_), 0, gridN_ - 1);
        return cy * gridN_ + cx;
    };
    cellStart_.assign(size_t(gridN_ * gridN_ + 1), 0);
    for (const auto& p : points_) ++cellStart_[size_t(cellOf(p)) + 1];
    for (size_t c = 1; c < cellStart_.size(); ++c) cellStart_[c] += cellStart_[c - 1];
    cellPoints_.assign(size_t(n), 0);
    std::vector<int> fill(cellStart_.begin(), cellStart_.end() - 1);
    for (int i = 0; i < n; ++i) cellPoints_[size_t(fill[size_t(cellOf(points_[i]))]++)] = i;
}

void MapView::invalidate()
{
    cacheValid_ = false;
    update();
}

bool MapView::legendShown() const { return !groupLabels_.isEmpty() && groupLabels_.size() <= kMaxLegendGroups; }

QRectF MapView::plotArea() const
{
    const double top = title_.isEmpty() ? 8 : 8 + fontMetrics().height() + 8;
    const double right = legendShown() ? 170 : 8;
    return QRectF(8, top, std::max(10.0, width() - 8 - right), std::max(10.0, height() - top - 8));
}

QPointF MapView::toView(double x, double y) const
{
    const QRectF a = plotArea();
    return {a.left() + (x - view_.left()) / view_.width() * a.width(),
            a.bottom() - (y - view_.top()) / view_.height() * a.height()};
}

QPointF MapView::toWorld(const QPointF& v) const
{
    const QRectF a = plotArea();
    return {view_.left() + (v.x() - a.left()) / a.width() * view_.width(),
            view_.top() + (a.bottom() - v.y()) / a.height() * view_.height()};
}

void MapView::renderPoints()
{
    const QRectF area = plotArea();
    const qreal dpr = devicePixelRatioF();
    const QSize px(std::max(1, int(std::ceil(area.width() * dpr))), std::max(1, int(std::ceil(area.height() * dpr))));
    if (cache_.size() != px) cache_ = QImage(px, QImage::Format_ARGB32_Premultiplied);
    cache_.setDevicePixelRatio(dpr);
    cache_.fill(Qt::transparent);
    cacheValid_ = true;
    if (points_.isEmpty()) return;

    const bool dim = highlighted_ >= 0 && colourBy_ == ColourBy::Track;
    const double sx = area.width() / view_.width(), sy = area.height() / view_.height();
    auto local = [&](const MapPoint& p) { return QPointF((p.x - view_.left()) * sx, area.height() - (p.y - view_.top()) * sy); };
    const QRectF inside(-kHighlightRadius, -kHighlightRadius, area.width() + 2 * kHighlightRadius, area.height() + 2 * kHighlightRadius);
    std::vector<int> visible;
    visible.reserve(size_t(std::min<int>(points_.size(), 200000)));
    std::vector<int> highlightedPts;
    for (int i = 0; i < points_.size(); ++i) {
        if (!inside.contains(local(points_[i]))) continue;
        if (highlighted_ >= 0 && points_[i].trackId == highlighted_) highlightedPts.push_back(i);
        else visible.push_back(i);
    }
    lastDense_ = int(visible.size()) > kDenseAbove;
    if (lastDense_) {
        // Level of detail: square stamps written straight into the image (no painter per point).
        const int s = std::max(1, int(std::lround((visible.size() > 30000 ? 2 : 3) * dpr)));
        const int w = cache_.width(), h = cache_.height();
        const int stride = int(cache_.bytesPerLine() / 4);
        auto* bits = reinterpret_cast<QRgb*>(cache_.bits());
        for (int i : visible) {
            const QPointF q = local(points_[i]);
            const int x0 = int(q.x() * dpr) - s / 2, y0 = int(q.y() * dpr) - s / 2;
            const QRgb c = dim ? faded(groupColour_[size_t(group_[size_t(i)])], 0.45) : groupColour_[size_t(group_[size_t(i)])];
            for (int y = std::max(0, y0); y < std::min(h, y0 + s); ++y)
                for (int x = std::max(0, x0); x < std::min(w, x0 + s); ++x) bits[y * stride + x] = c;
        }
    }
    QPainter p(&cache_);
    p.setRenderHint(QPainter::Antialiasing);
    if (!lastDense_) {
        for (int i : visible) {
            QColor c = QColor::fromRgb(groupColour_[size_t(group_[size_t(i)])]);
            if (dim) c.setAlpha(110);
            p.setPen(QPen(c.darker(130), 1));
            p.setBrush(c);
            p.drawEllipse(local(points_[i]), kDiscRadius, kDiscRadius);
        }
    }
    for (int i : highlightedPts) {
        p.setPen(QPen(Qt::black, 1.5));
        p.setBrush(QColor::fromRgb(groupColour_[size_t(group_[size_t(i)])]));
        p.drawEllipse(local(points_[i]), kHighlightRadius, kHighlightRadius);
    }
}

void MapView::paintEvent(QPaintEvent*)
{
    if (!cacheValid_) renderPoints();
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const QRectF area = plotArea();
    p.setPen(QPen(QColor(200, 200, 200), 1));
    p.drawRect(area.adjusted(-0.5, -0.5, 0.5, 0.5));
    p.drawImage(area.topLeft(), cache_);
    p.setPen(palette().text().color());
    if (!title_.isEmpty()) {
        const QRectF titleBox(8, 6, width() - 16, fontMetrics().height() + 4);
        p.drawText(titleBox, Qt::AlignHCenter | Qt::AlignVCenter, fontMetrics().elidedText(title_, Qt::ElideRight, int(titleBox.width())));
    }
    if (legendShown()) {
        p.setRenderHint(QPainter::Antialiasing);
        const int lh = fontMetrics().height() + 4;
        double y = area.top() + 4;
        for (int g = 0; g < groupLabels_.size(); ++g, y += lh) {
            const QColor c = QColor::fromRgb(groupColour_[size_t(g)]);
            p.setPen(QPen(c.darker(130), 1));
            p.setBrush(c);
            p.drawEllipse(QPointF(area.right() + 16, y + lh / 2.0), 4.5, 4.5);
            p.setPen(palette().text().color());
            p.drawText(QRectF(area.right() + 26, y, 140, lh), Qt::AlignVCenter | Qt::AlignLeft,
                       fontMetrics().elidedText(groupLabels_[g], Qt::ElideRight, 138));
        }
    }
    paintOverlay(p);
    if (points_.isEmpty() && !placeholderText_.isEmpty()) {
        p.setPen(palette().placeholderText().color());
        const QRectF box = area.adjusted(area.width() * 0.1, 0, -area.width() * 0.1, 0);
        p.drawText(box, Qt::AlignCenter | Qt::TextWordWrap, placeholderText_);
    }
}

void MapView::paintOverlay(QPainter& p) const
{
    if (overlay_.isEmpty()) return;
    const QRectF area = plotArea();
    p.save();
    p.setClipRect(area);
    p.setRenderHint(QPainter::Antialiasing);
    QPolygonF path;
    for (const auto& s : overlay_) path << toView(s.x, s.y);
    p.setPen(QPen(QColor(40, 40, 40, 150), 1.2));
    p.setBrush(Qt::NoBrush);
    p.drawPolyline(path);
    const int n = overlay_.size();
    // Time runs dark to light (viridis); the first segment is a white ring drawn last, on top.
    for (int i = n - 1; i >= 1; --i) {
        p.setPen(QPen(Qt::black, 1.2));
        p.setBrush(viridis(n > 1 ? 0.85 * i / (n - 1) : 0.0));
        p.drawEllipse(path[i], kDiscRadius + 0.5, kDiscRadius + 0.5);
    }
    p.setPen(QPen(Qt::black, 2.2));
    p.setBrush(Qt::white);
    p.drawEllipse(path[0], kHighlightRadius + 0.5, kHighlightRadius + 0.5);
    // Caption: whose segments these are and how to read them.
    const QString title = overlay_.front().track.isEmpty() ? tr("Track %1").arg(overlay_.front().trackId) : overlay_.front().track;
    const QString caption = (n == 1 ? tr("%1 · 1 segment").arg(title) : tr("%1 · %2 segments").arg(title).arg(n)) +
                            tr(" in time order: ○ start, then dark to light");
    const QFontMetrics fm = p.fontMetrics();
    const QString shown = fm.elidedText(caption, Qt::ElideMiddle, int(area.width() - 16));
    const QRectF box(area.left() + 4, area.bottom() - fm.height() - 8, fm.horizontalAdvance(shown) + 12, fm.height() + 4);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(255, 255, 255, 215));
    p.drawRoundedRect(box, 3, 3);
    p.setPen(QColor(30, 30, 30));
    p.drawText(box, Qt::AlignCenter, shown);
    p.restore();
}

int MapView::overlayIndexAt(const QPoint& viewPos, double radiusPx) const
{
    if (!plotArea().adjusted(-1, -1, 1, 1).contains(viewPos)) return -1;
    int best = -1;
    double bestD = radiusPx * radiusPx;
    for (int i = 0; i < overlay_.size(); ++i) {
        const QPointF v = toView(overlay_[i].x, overlay_[i].y);
        const double dx = v.x() - viewPos.x(), dy = v.y() - viewPos.y();
        if (dx * dx + dy * dy <= bestD) bestD = dx * dx + dy * dy, best = i;
    }
    return best;
}

QPoint MapView::overlayViewPosOf(int index) const
{
    if (index < 0 || index >= overlay_.size()) return {-1, -1};
    return toView(overlay_[index].x, overlay_[index].y).toPoint();
}

QPoint MapView::viewPosOf(int index) const
{
    if (index < 0 || index >= points_.size()) return {-1, -1};
    return toView(points_[index].x, points_[index].y).toPoint();
}

int MapView::pointIndexAt(const QPoint& viewPos, double radiusPx) const
{
    if (points_.isEmpty() || gridN_ <= 0) return -1;
    const QRectF area = plotArea().adjusted(-1, -1, 1, 1);
    if (!area.contains(viewPos)) return -1;
    const QPointF w = toWorld(viewPos);
    const QRectF a = plotArea();
    const double rx = radiusPx * view_.width() / a.width(), ry = radiusPx * view_.height() / a.height();
    auto cell = [this](double v, double lo, double span) { return std::clamp(int((v - lo) / span * gridN_), 0, gridN_ - 1); };
    const int cx0 = cell(w.x() - rx, world_.left(), world_.width()), cx1 = cell(w.x() + rx, world_.left(), world_.width());
    const int cy0 = cell(w.y() - ry, world_.top(), world_.height()), cy1 = cell(w.y() + ry, world_.top(), world_.height());
    int best = -1;
    double bestD = radiusPx * radiusPx;
    for (int cy = cy0; cy <= cy1; ++cy)
        for (int cx = cx0; cx <= cx1; ++cx) {
            const int c = cy * gridN_ + cx;
            for (int k = cellStart_[size_t(c)]; k < cellStart_[size_t(c) + 1]; ++k) {
                const int i = cellPoints_[size_t(k)];
                const QPointF v = toView(points_[i].x, points_[i].y);
                if (!area.contains(v)) continue;
                const double dx = v.x() - viewPos.x(), dy = v.y() - viewPos.y();
                const double d = dx * dx + dy * dy;
                if (d <= bestD) bestD = d, best = i;
            }
        }
    return best;
}

QString MapView::describe(const MapPoint& p) const
{
    QString text = p.track.isEmpty() ? tr("Track %1").arg(p.trackId) : p.track;
    if (p.segment >= 0)
        text += tr("\nsegment %1").arg(p.segment + 1) +
                (p.startSeconds >= 0 ? tr(" at %1").arg(formatDuration(p.startSeconds)) : QString());
    else text += tr("\nwhole track");
    if (!p.tag.isEmpty()) text += tr("\ntag: %1").arg(p.tag);
    return text + (p.segment >= 0 && p.startSeconds >= 0 ? tr("\n(click to play from here)") : tr("\n(click to select)"));
}

void MapView::zoomBy(double factor, const QPoint& around)
{
    if (factor <= 0) return;
    const QRectF a = plotArea();
    const QPointF c = a.contains(around) ? QPointF(around) : a.center();
    const QPointF w = toWorld(c);
    view_ = QRectF(w.x() - (w.x() - view_.left()) / factor, w.y() - (w.y() - view_.top()) / factor, view_.width() / factor,
                   view_.height() / factor);
    invalidate();
}

void MapView::panBy(const QPoint& d)
{
    const QRectF a = plotArea();
    view_.translate(-d.x() * view_.width() / a.width(), d.y() * view_.height() / a.height());
    invalidate();
}

void MapView::resetZoom()
{
    view_ = world_;
    invalidate();
}

void MapView::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0) zoomBy(std::pow(1.25, steps), event->position().toPoint());
    event->accept();
}

void MapView::mousePressEvent(QMouseEvent* event)
{
    pressPos_ = lastPanPos_ = event->position().toPoint();
    pressButton_ = event->button();
    panning_ = event->button() == Qt::MiddleButton ||
               (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier));
    banding_ = false;
    if (panning_) setCursor(Qt::ClosedHandCursor);
    event->accept();
}

void MapView::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint pos = event->position().toPoint();
    if (panning_) {
        panBy(pos - lastPanPos_);
        lastPanPos_ = pos;
    } else if (pressButton_ == Qt::LeftButton && (event->buttons() & Qt::LeftButton)) {
        if (!banding_ && (pos - pressPos_).manhattanLength() >= 5) banding_ = true;
        if (banding_) {
            band_->setGeometry(QRect(pressPos_, pos).normalized());
            band_->show();
        }
    } else {
        const int o = overlayIndexAt(pos);
        const int i = o >= 0 ? -1 : pointIndexAt(pos);
        const QString text = o >= 0 ? describe(overlay_[o]) : i >= 0 ? describe(points_[i]) : QString();
        if (text != hoverText_) {
            hoverText_ = text;
            if (!text.isEmpty()) {
                QToolTip::showText(event->globalPosition().toPoint(), text, this);
                if (i >= 0) Q_EMIT pointHovered(i);
            } else {
                QToolTip::hideText();
            }
        }
    }
    event->accept();
}

void MapView::mouseReleaseEvent(QMouseEvent* event)
{
    const QPoint pos = event->position().toPoint();
    if (panning_) {
        panning_ = false;
        unsetCursor();
    } else if (banding_) {
        band_->hide();
        banding_ = false;
        const QRectF r = QRectF(QRect(pressPos_, pos).normalized()).intersected(plotArea());
        if (r.width() > 4 && r.height() > 4) {
            view_ = QRectF(toWorld(r.bottomLeft()), toWorld(r.topRight())).normalized();
            invalidate();
        }
    } else if (event->button() == Qt::LeftButton && pressButton_ == Qt::LeftButton) {
        const int o = overlayIndexAt(pos);
        const int i = o >= 0 ? -1 : pointIndexAt(pos);
        const MapPoint* hit = o >= 0 ? &overlay_[o] : i >= 0 ? &points_[i] : nullptr;
        if (hit) Q_EMIT pointClicked(hit->trackId, hit->segment, hit->startSeconds);
    } else if (event->button() == Qt::RightButton) {
        zoomBy(0.5, pos);
    }
    pressButton_ = Qt::NoButton;
    event->accept();
}

void MapView::mouseDoubleClickEvent(QMouseEvent* event)
{
    const QPoint pos = event->position().toPoint();
    if (event->button() == Qt::LeftButton && pointIndexAt(pos) < 0 && overlayIndexAt(pos) < 0) resetZoom();
    event->accept();
}

void MapView::keyPressEvent(QKeyEvent* event)
{
    const QPoint centre = plotArea().center().toPoint();
    switch (event->key()) {
    case Qt::Key_Home: resetZoom(); return;
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomBy(1.25, centre); return;
    case Qt::Key_Minus: zoomBy(0.8, centre); return;
    case Qt::Key_Left: panBy({40, 0}); return;
    case Qt::Key_Right: panBy({-40, 0}); return;
    case Qt::Key_Up: panBy({0, 40}); return;
    case Qt::Key_Down: panBy({0, -40}); return;
    default: QWidget::keyPressEvent(event);
    }
}

void MapView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    cacheValid_ = false;
}

}  // namespace stemscope::ui
