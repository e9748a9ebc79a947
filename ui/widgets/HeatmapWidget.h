#pragma once
// Distance-matrix heatmap: one cell per (track, track) pair, coloured on a viridis ramp with a
// colour bar; hover shows both track names and the value; rows/columns can be reordered by
// average-linkage clustering so that similar tracks form visible blocks; exports to PNG.
// Pure data in (names + n x n distances): no engine types, testable with synthetic matrices.
#include <QImage>
#include <QStringList>
#include <QWidget>

#include <vector>

namespace stemscope::ui {

class HeatmapWidget : public QWidget {
    Q_OBJECT
public:
    explicit HeatmapWidget(QWidget* parent = nullptr);

    // `values` is names.size() x names.size(), row-major. A size mismatch clears the widget and
    // returns false (nothing is painted from a partial matrix).
    bool setMatrix(const QStringList& names, const std::vector<float>& values);
    void clear();
    void setTitle(const QString& title);
    QString title() const { return title_; }
    void setValueLabel(const QString& label); // e.g. "cosine distance"

    int count() const { return int(names_.size()); }
    QStringList names() const { return names_; }
    // Value between original indices i and j (NaN when out of range).
    float value(int i, int j) const;

    // Display order: position p shows original index order()[p].
    const std::vector<int>& order() const { return order_; }
    bool setOrder(const std::vector<int>& order); // rejected (false) unless a permutation
    void clusterOrder();                          // average linkage
    void resetOrder();                            // original order
    bool isClustered() const { return clustered_; }

    // Geometry helpers (widget coordinates). cellAt returns original indices, {-1,-1} outside.
    QRect matrixRect() const;
    QPair<int, int> cellAt(const QPoint& pos) const;
    QPoint cellCentre(int row, int col) const; // original indices -> widget point
    QString tooltipTextAt(const QPoint& pos) const;
    QString hoverText() const { return hoverText_; } // text of the last hovered cell

    QImage renderImage(const QSize& size) const;
    bool exportPng(const QString& path, QString* error = nullptr) const;

    QSize sizeHint() const override { return {640, 560}; }
    QSize minimumSizeHint() const override { return {240, 200}; }

Q_SIGNALS:
    void cellHovered(int row, int col, float value);
    void cellClicked(int row, int col);
    void orderChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Layout {
        QRect matrix;
        QRect colourBar;
        QRect title;
        bool labels = false;
    };
    Layout layoutFor(const QRect& area) const;
    void paintTo(QPainter& painter, const QRect& area) const;
    void rebuildImage();
    QString describe(int i, int j) const;

    QStringList names_;
    std::vector<float> values_;
    std::vector<int> order_;
    float lo_ = 0.f, hi_ = 1.f;
    QImage cells_; // one pixel per cell in display order, scaled when painting
    QString title_;
    QString valueLabel_;
    QString hoverText_;
    QPair<int, int> hover_{-1, -1};
    bool clustered_ = false;
};

}  // namespace stemscope::ui
