#pragma once
// The t-SNE map: one dot per analysed segment (or per track centroid), coloured by track or by
// tag. Wheel zooms around the cursor, left-drag draws a rubber band to zoom into, middle-drag
// (or Shift+left-drag) pans, Home / double-click resets. Hover shows the point's details, a click
// emits which track and segment it belongs to. Plain data in, so tests need no engine.
#include <QChartView>
#include <QPointer>
#include <QVector>

#include <memory>

class QRubberBand;
class QScatterSeries;
class QValueAxis;

class QGraphicsTextItem;

namespace stemscope::ui {

struct MapPoint {
    double x = 0, y = 0;
    qint64 trackId = -1;
    int segment = -1;      // -1: the point is a whole-track centroid
    QString track;         // display title
    QString tag;           // genre/tag used by "colour by tag" ("" = untagged)
    double startSeconds = -1; // segment start, for the tooltip and for playback
};

class MapView : public QChartView {
    Q_OBJECT
public:
    enum class ColourBy { Track, Tag };
    explicit MapView(QWidget* parent = nullptr);
    ~MapView() override;

    void setPoints(const QVector<MapPoint>& points);
    const QVector<MapPoint>& points() const { return points_; }
    int pointCount() const { return points_.size(); }
    // The placeholder text shown over an empty map ("" while points are shown).
    QString shownPlaceholder() const;
    void setColourBy(ColourBy mode);
    ColourBy colourBy() const { return colourBy_; }
    void setTitle(const QString& title);
    void setPlaceholder(const QString& text); // shown when there are no points
    void setHighlightedTrack(qint64 trackId); // enlarges that track's points (-1: none)

    // Index into points() of the point nearest to `viewPos` within `radiusPx`, or -1.
    int pointIndexAt(const QPoint& viewPos, double radiusPx = 8.0) const;
    // Viewport position of point `index` (for tests and for scrolling to a track).
    QPoint viewPosOf(int index) const;
    QString hoverText() const { return hoverText_; }
    int groupCount() const;

    void zoomBy(double factor, const QPoint& around);
    void resetZoom();

Q_SIGNALS:
    void pointClicked(qint64 trackId, int segment, double startSeconds);
    void pointHovered(int index);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuildSeries();
    void fitAxes();
    QString describe(int index) const;
    QPointF toScene(const MapPoint& p) const;
    void layoutPlaceholder();

    QVector<MapPoint> points_;
    ColourBy colourBy_ = ColourBy::Track;
    qint64 highlighted_ = -1;
    QValueAxis* axisX_ = nullptr;
    QValueAxis* axisY_ = nullptr;
    QString placeholderText_;
    // An item of the chart's scene, not paint-over in drawForeground: the scene repaints it
    // wherever it moved, so a new plot area never leaves a stale copy behind.
    QGraphicsTextItem* placeholder_ = nullptr;
    std::unique_ptr<QRubberBand> band_;
    QPoint pressPos_;
    QPoint lastPanPos_;
    Qt::MouseButton pressButton_ = Qt::NoButton;
    bool panning_ = false;
    bool banding_ = false;
    QString hoverText_;
    int groups_ = 0;
    QList<QScatterSeries*> series_;
};

}  // namespace stemscope::ui
