#include "widgets/MapView.h"

#include <QChart>
#include <QGraphicsTextItem>
#include <QTextDocument>
#include <QLegend>
#include <QMap>
#include <QMouseEvent>
#include <QRubberBand>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

#include "widgets/ColourMaps.h"

namespace stemscope::ui {

MapView::MapView(QWidget* parent) : QChartView(parent)
{
    auto* c = new QChart();
    c->legend()->setAlignment(Qt::AlignRight);
    c->setMargins(QMargins(4, 4, 4, 4));
    c->setBackgroundRoundness(0);
    axisX_ = new QValueAxis(c);
    axisY_ = new QValueAxis(c);
    for (auto* a : {axisX_, axisY_}) {
        a->setLabelsVisible(false); // t-SNE coordinates carry no meaning, only neighbourhoods do
        a->setTickCount(7);
        a->setGridLineColor(QColor(225, 225, 225));
        a->setLinePen(QPen(QColor(200, 200, 200)));
    }
    c->addAxis(axisX_, Qt::AlignBottom);
    c->addAxis(axisY_, Qt::AlignLeft);
    setChart(c);
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::NoRubberBand); // our own, so a plain click stays a click
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setDragMode(QGraphicsView::NoDrag);
    band_ = std::make_unique<QRubberBand>(QRubberBand::Rectangle, viewport());
    placeholderText_ = tr("No map yet. Analyse tracks, then the map is computed in the background.");
    placeholder_ = new QGraphicsTextItem(c);
    placeholder_->setZValue(100);
    QTextOption centred = placeholder_->document()->defaultTextOption();
    centred.setAlignment(Qt::AlignCenter);
    placeholder_->document()->setDefaultTextOption(centred);
    connect(c, &QChart::plotAreaChanged, this, [this] { layoutPlaceholder(); });
    setToolTip(tr("Wheel: zoom · drag: zoom to a box · middle-drag or Shift+drag: pan · Home or double-click: reset"));
    fitAxes();
}

MapView::~MapView() = default;

void MapView::setPoints(const QVector<MapPoint>& points)
{
    points_ = points;
    hoverText_.clear();
    rebuildSeries();
    fitAxes();
    layoutPlaceholder();
    viewport()->update();
}

void MapView::setColourBy(ColourBy mode)
{
    if (mode == colourBy_) return;
    colourBy_ = mode;
    rebuildSeries();
}

void MapView::setTitle(const QString& title) { chart()->setTitle(title); }

void MapView::setPlaceholder(const QString& text)
{
    placeholderText_ = text;
    layoutPlaceholder();
}

void MapView::setHighlightedTrack(qint64 trackId)
{
    if (trackId == highlighted_) return;
    highlighted_ = trackId;
    rebuildSeries();
}

int MapView::groupCount() const { return groups_; }

void MapView::rebuildSeries()
{
    for (auto* s : series_) {
        chart()->removeSeries(s);
        delete s;
    }
    series_.clear();
    // Group key: track id or tag; groups keep first-seen order so colours are stable.
    QMap<QString, int> groupIndex;
    QVector<QVector<int>> members;
    QStringList labels;
    for (int i = 0; i < points_.size(); ++i) {
        const auto& p = points_[i];
        const QString key = colourBy_ == ColourBy::Track ? QString::number(p.trackId) : p.tag;
        auto it = groupIndex.find(key);
        if (it == groupIndex.end()) {
            it = groupIndex.insert(key, members.size());
            members.push_back({});
            labels << (colourBy_ == ColourBy::Track ? p.track : (p.tag.isEmpty() ? tr("(untagged)") : p.tag));
        }
        members[*it].push_back(i);
    }
    groups_ = members.size();
    for (int g = 0; g < members.size(); ++g) {
        auto* s = new QScatterSeries();
        s->setName(labels[g]);
        s->setMarkerShape(QScatterSeries::MarkerShapeCircle);
        const bool hi = highlighted_ >= 0 && points_[members[g].front()].trackId == highlighted_ && colourBy_ == ColourBy::Track;
        s->setMarkerSize(hi ? 13.0 : 8.0);
        QColor c = categoryColour(g);
        if (highlighted_ >= 0 && !hi && colourBy_ == ColourBy::Track) c.setAlpha(110);
        s->setColor(c);
        s->setBorderColor(hi ? Qt::black : c.darker(130));
        QList<QPointF> pts;
        pts.reserve(members[g].size());
        for (int i : members[g]) pts << QPointF(points_[i].x, points_[i].y);
        s->append(pts);
        chart()->addSeries(s);
        s->attachAxis(axisX_);
        s->attachAxis(axisY_);
        series_ << s;
    }
    chart()->legend()->setVisible(groups_ > 0 && groups_ <= 16);
}

void MapView::fitAxes()
{
    if (points_.isEmpty()) {
        axisX_->setRange(-1, 1);
        axisY_->setRange(-1, 1);
        return;
    }
    double x0 = points_[0].x, x1 = x0, y0 = points_[0].y, y1 = y0;
    for (const auto& p : points_) {
        x0 = std::min(x0, p.x), x1 = std::max(x1, p.x);
        y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
    }
    const double px = std::max(1e-6, (x1 - x0) * 0.06), py = std::max(1e-6, (y1 - y0) * 0.06);
    axisX_->setRange(x0 - px, x1 + px);
    axisY_->setRange(y0 - py, y1 + py);
}

void MapView::resetZoom()
{
    fitAxes();
    viewport()->update();
}

QPointF MapView::toScene(const MapPoint& p) const
{
    const QRectF area = chart()->plotArea();
    const double fx = (p.x - axisX_->min()) / std::max(1e-12, axisX_->max() - axisX_->min());
    const double fy = (p.y - axisY_->min()) / std::max(1e-12, axisY_->max() - axisY_->min());
    return chart()->mapToScene(QPointF(area.left() + fx * area.width(), area.bottom() - fy * area.height()));
}

QPoint MapView::viewPosOf(int index) const
{
    if (index < 0 || index >= points_.size()) return {-1, -1};
    return mapFromScene(toScene(points_[index]));
}

int MapView::pointIndexAt(const QPoint& viewPos, double radiusPx) const
{
    const QRectF area = chart()->mapRectToScene(chart()->plotArea());
    int best = -1;
    double bestD = radiusPx * radiusPx;
    for (int i = 0; i < points_.size(); ++i) {
        const QPointF s = toScene(points_[i]);
        if (!area.adjusted(-1, -1, 1, 1).contains(s)) continue;
        const QPointF v = mapFromScene(s);
        const double dx = v.x() - viewPos.x(), dy = v.y() - viewPos.y();
        const double d = dx * dx + dy * dy;
        if (d <= bestD) bestD = d, best = i;
    }
    return best;
}

QString MapView::describe(int index) const
{
    const auto& p = points_[index];
    QString text = p.track.isEmpty() ? tr("Track %1").arg(p.trackId) : p.track;
    if (p.segment >= 0)
        text += tr("\nsegment %1").arg(p.segment + 1) +
                (p.startSeconds >= 0 ? tr(" at %1").arg(formatDuration(p.startSeconds)) : QString());
    else text += tr("\nwhole track");
    if (!p.tag.isEmpty()) text += tr("\ntag: %1").arg(p.tag);
    return text + tr("\n(click to select)");
}

void MapView::zoomBy(double factor, const QPoint& around)
{
    if (factor <= 0) return;
    const QRectF r = chart()->plotArea();
    QPointF c = chart()->mapFromScene(mapToScene(around));
    if (!r.contains(c)) c = r.center();
    chart()->zoomIn(QRectF(c.x() - (c.x() - r.left()) / factor, c.y() - (c.y() - r.top()) / factor, r.width() / factor,
                           r.height() / factor));
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
    if (panning_) viewport()->setCursor(Qt::ClosedHandCursor);
    event->accept();
}

void MapView::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint pos = event->position().toPoint();
    if (panning_) {
        const QPoint d = pos - lastPanPos_;
        chart()->scroll(-d.x(), d.y());
        lastPanPos_ = pos;
    } else if (pressButton_ == Qt::LeftButton && (event->buttons() & Qt::LeftButton)) {
        if (!banding_ && (pos - pressPos_).manhattanLength() >= 5) banding_ = true;
        if (banding_) {
            band_->setGeometry(QRect(pressPos_, pos).normalized());
            band_->show();
        }
    } else {
        const int i = pointIndexAt(pos);
        const QString text = i >= 0 ? describe(i) : QString();
        if (text != hoverText_) {
            hoverText_ = text;
            if (i >= 0) {
                QToolTip::showText(event->globalPosition().toPoint(), text, this);
                Q_EMIT pointHovered(i);
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
        viewport()->unsetCursor();
    } else if (banding_) {
        band_->hide();
        banding_ = false;
        const QRect r = QRect(pressPos_, pos).normalized();
        if (r.width() > 4 && r.height() > 4) {
            const QRectF sceneRect = mapToScene(r).boundingRect();
            chart()->zoomIn(chart()->mapRectFromScene(sceneRect).intersected(chart()->plotArea()));
        }
    } else if (event->button() == Qt::LeftButton && pressButton_ == Qt::LeftButton) {
        const int i = pointIndexAt(pos);
        if (i >= 0) Q_EMIT pointClicked(points_[i].trackId, points_[i].segment, points_[i].startSeconds);
    } else if (event->button() == Qt::RightButton) {
        zoomBy(0.5, pos);
    }
    pressButton_ = Qt::NoButton;
    event->accept();
}

void MapView::mouseDoubleClickEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && pointIndexAt(event->position().toPoint()) < 0) resetZoom();
    event->accept();
}

void MapView::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Home: resetZoom(); return;
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomBy(1.25, viewport()->rect().center()); return;
    case Qt::Key_Minus: zoomBy(0.8, viewport()->rect().center()); return;
    default: QChartView::keyPressEvent(event);
    }
}

void MapView::resizeEvent(QResizeEvent* event) { QChartView::resizeEvent(event); }

QString MapView::shownPlaceholder() const
{
    return placeholder_->isVisible() ? placeholder_->toPlainText() : QString();
}

void MapView::layoutPlaceholder()
{
    const bool show = points_.isEmpty() && !placeholderText_.isEmpty();
    placeholder_->setVisible(show);
    if (!show) return;
    const QRectF area = chart()->plotArea();
    placeholder_->setDefaultTextColor(palette().placeholderText().color());
    placeholder_->setTextWidth(std::max(120.0, area.width() * 0.8));
    placeholder_->setPlainText(placeholderText_);
    const QRectF box = placeholder_->boundingRect();
    placeholder_->setPos(area.center() - QPointF(box.width() / 2, box.height() / 2));
}

}  // namespace stemscope::ui
