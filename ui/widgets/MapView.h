#pragma once
// The t-SNE map: one dot per analysed track (centroid) or segment, coloured by track or by tag.
// Wheel zooms around the cursor, left-drag draws a rubber band to zoom into, middle-drag (or
// Shift+left-drag) pans, right-click zooms out, Home / double-click resets. Hover shows the
// point's details, a click emits which track and segment it belongs to. Plain data in, so tests
// need no engine.
// Drawn with QPainter into a cached image, with level of detail: while many points are in view
// they are stamped as small squares straight into the image (a 100k-point frame stays in the
// milliseconds); zoomed in, they are antialiased discs with outlines. A uniform grid over the
// points answers hover and click without scanning them all.
#include <QImage>
#include <QPointer>
#include <QVector>
#include <QWidget>

#include <memory>
#include <vector>

class QPainter;
class QRubberBand;

namespace stemscope::ui {

struct MapPoint {
    double x = 0, y = 0;
    qint64 trackId = -1;
    int segment = -1;      // -1: the point is a whole-track centroid
    QString track;         // display title
    QString tag;           // genre/tag used by "colour by tag" ("" = untagged)
    double startSeconds = -1; // segment start, for the tooltip and for playback
};

class MapView : public QWidget {
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
    QString title() const { return title_; }
    void setPlaceholder(const QString& text); // shown when there are no points
    void setHighlightedTrack(qint64 trackId); // enlarges that track's points (-1: none)
    // One track's segments drawn over the map in time order (a path from a hollow start disc, coloured
    // dark to light as the track goes on); hover and click answer them first. Cleared by setPoints().
    void setOverlay(const QVector<MapPoint>& segments);
    const QVector<MapPoint>& overlay() const { return overlay_; }
    // Index into overlay() of the segment nearest to `viewPos` within `radiusPx`, or -1.
    int overlayIndexAt(const QPoint& viewPos, double radiusPx = 8.0) const;
    QPoint overlayViewPosOf(int index) const;

    // Index into points() of the point nearest to `viewPos` within `radiusPx`, or -1.
    int pointIndexAt(const QPoint& viewPos, double radiusPx = 8.0) const;
    // Viewport position of point `index` (for tests and for scrolling to a track).
    QPoint viewPosOf(int index) const;
    QString hoverText() const { return hoverText_; }
    int groupCount() const { return groupLabels_.size(); }
    // Where the points are drawn (widget coordinates: below the title, left of the legend).
    QRectF plotArea() const;
    // The widget that takes the mouse (the map itself; kept from the chart-view days for callers).
    QWidget* viewport() { return this; }
    // How the last frame drew its points: true = dense (square stamps), false = discs.
    bool lastFrameWasDense() const { return lastDense_; }

    void zoomBy(double factor, const QPoint& around);
    void panBy(const QPoint& pixels); // moves the content by this many pixels
    void resetZoom();

Q_SIGNALS:
    void pointClicked(qint64 trackId, int segment, double startSeconds);
    void pointHovered(int index);

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuildGroups();
    void buildGrid();
    void fitView();
    void invalidate(); // the cached point image is stale
    void renderPoints();
    QString describe(const MapPoint& p) const;
    void paintOverlay(QPainter& p) const;
    QPointF toView(double x, double y) const;
    QPointF toWorld(const QPointF& v) const;
    bool legendShown() const;

    QVector<MapPoint> points_;
    QVector<MapPoint> overlay_;
    ColourBy colourBy_ = ColourBy::Track;
    qint64 highlighted_ = -1;
    QString title_, placeholderText_;
    std::vector<int> group_;          // per point: colour group
    QStringList groupLabels_;
    std::vector<QRgb> groupColour_;   // opaque colours, per group
    QRectF world_;                    // the points' extent, padded
    QRectF view_;                     // the part of the world in view
    // Grid over world_: the points of cell c are cellPoints_[cellStart_[c] .. cellStart_[c + 1]).
    int gridN_ = 0;
    std::vector<int> cellStart_, cellPoints_;
    QImage cache_;
    bool cacheValid_ = false;
    bool lastDense_ = false;
    std::unique_ptr<QRubberBand> band_;
    QPoint pressPos_;
    QPoint lastPanPos_;
    Qt::MouseButton pressButton_ = Qt::NoButton;
    bool panning_ = false;
    bool banding_ = false;
    QString hoverText_;
};

}  // namespace stemscope::ui
