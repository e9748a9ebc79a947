#pragma once
// Ranked nearest neighbours of one track under one focus (model + view), and a side-by-side
// comparison of two focuses ("same song: who are its drum neighbours vs. its bass neighbours").
#include <QAbstractTableModel>
#include <QSet>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QComboBox;
class QLabel;
class QTableView;

namespace stemscope::ui {

struct NeighbourRow {
    qint64 trackId = -1;
    QString title;
    QString artist;
    double distance = 0.0;  // what the list is ranked by (hubness-corrected, see TrackRanking)
    QStringList tags;
    double cosineDistance = 0.0;  // the plain cosine distance, for the tooltip
};

class NeighbourModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Rank, Title, Distance, Tags, ColumnCount };
    static constexpr int TrackIdRole = Qt::UserRole + 1;
    static constexpr int SortRole = Qt::UserRole + 2;

    using QAbstractTableModel::QAbstractTableModel;
    // Rows are kept sorted by ascending distance (stable for ties); rank = position + 1.
    void setNeighbours(QVector<NeighbourRow> rows);
    void clear();
    const NeighbourRow& rowAt(int row) const { return rows_[row]; }
    const QVector<NeighbourRow>& rows() const { return rows_; }
    void setHighlighted(const QSet<qint64>& ids); // e.g. tracks that appear in both compared lists

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVector<NeighbourRow> rows_;
    QSet<qint64> highlighted_;
};

// Header ("Neighbours of <title> · <focus>") + table. Double-click makes a row the query. With
// playback on (the default): Enter asks to play the row's matching 3 s segment, Shift+Enter its
// whole mix, Ctrl+Enter its stem of the current focus; the context menu offers all of them.
// With playback off, Enter activates the row like a double-click.
class NeighbourList : public QWidget {
    Q_OBJECT
public:
    explicit NeighbourList(QWidget* parent = nullptr);
    void setPlaybackEnabled(bool on) { playback_ = on; }
    // e.g. "Drums": names the stem action; empty (the mix focus) disables it.
    void setStemLabel(const QString& label) { stemLabel_ = label; }
    QString stemLabel() const { return stemLabel_; }
    NeighbourModel* model() const { return model_; }
    QTableView* view() const { return view_; }
    void setQuery(const QString& title, const QString& focusLabel);
    void setMessage(const QString& message); // e.g. "Analysing…", "No drums analysis for this track"
    void setNeighbours(const QVector<NeighbourRow>& rows);
    qint64 selectedTrack() const;

Q_SIGNALS:
    void trackActivated(qint64 trackId);  // double-click (Enter too when playback is off)
    void trackSelected(qint64 trackId);
    void segmentPlayRequested(qint64 trackId); // its 3 s segment that matches the query best
    void trackPlayRequested(qint64 trackId);   // the whole mix
    void stemPlayRequested(qint64 trackId);    // the whole stem of the current focus
    void exportPlaylistRequested();            // the query and this list, as a playlist file

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void showContextMenu(const QPoint& pos);
    NeighbourModel* model_;
    bool playback_ = true;
    QString stemLabel_;
    QTableView* view_;
    QLabel* header_;
    QLabel* message_;
};

// Two neighbour lists for the same query track under two focuses; tracks found by both are
// highlighted, and the overlap is summarised at the top.
class FocusComparison : public QWidget {
    Q_OBJECT
public:
    explicit FocusComparison(QWidget* parent = nullptr);
    void setFocuses(const QStringList& ids, const QStringList& labels);
    QString leftFocus() const;
    QString rightFocus() const;
    void setLeftFocus(const QString& id);
    void setRightFocus(const QString& id);
    void setQueryTitle(const QString& title);
    void setLeft(const QVector<NeighbourRow>& rows);
    void setRight(const QVector<NeighbourRow>& rows);
    void setMessage(const QString& message);
    NeighbourList* left() const { return left_; }
    NeighbourList* right() const { return right_; }
    int overlapCount() const { return overlap_; }

Q_SIGNALS:
    void focusesChanged(const QString& left, const QString& right);
    void trackActivated(qint64 trackId);

private:
    void updateOverlap();
    QComboBox* leftFocus_;
    QComboBox* rightFocus_;
    NeighbourList* left_;
    NeighbourList* right_;
    QLabel* summary_;
    QString query_;
    int overlap_ = 0;
};

}  // namespace stemscope::ui
