#pragma once
// The library table: title, artist, duration, tags and one analysis-state column per focus.
// TrackFilterProxy sorts (numerically where it matters) and filters on every word typed, across
// title, artist, tags and file name.
#include <QAbstractTableModel>
#include <QHash>
#include <QMap>
#include <QSortFilterProxyModel>
#include <QStringList>
#include <QVector>

namespace stemscope::ui {

enum class AnalysisState { None, Queued, Running, Done, Failed };
QString analysisStateText(AnalysisState s);

struct TrackRow {
    qint64 id = -1;
    QString title;
    QString artist;
    QString path;
    double durationSeconds = -1;
    QStringList tags;
    QMap<QString, AnalysisState> analysis; // focus id -> state
    QString error;                         // last analysis/import error, shown in the tooltip
};

class TrackTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Title, Artist, Duration, Tags, FirstFocus };
    static constexpr int TrackIdRole = Qt::UserRole + 1;
    static constexpr int SortRole = Qt::UserRole + 2;
    static constexpr int FilterRole = Qt::UserRole + 3;

    explicit TrackTableModel(QObject* parent = nullptr);

    void setFocuses(const QStringList& ids); // one state column per focus
    QStringList focuses() const { return focuses_; }
    void setTracks(QVector<TrackRow> rows);
    void upsertTrack(const TrackRow& row);   // insert or replace by id
    bool removeTrack(qint64 id);
    bool setAnalysisState(qint64 id, const QString& focus, AnalysisState state, const QString& error = {});
    int rowOfId(qint64 id) const;
    const TrackRow* track(qint64 id) const;
    const TrackRow& trackAt(int row) const { return rows_[row]; }
    const QVector<TrackRow>& tracks() const { return rows_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void reindex();
    QVector<TrackRow> rows_;
    QHash<qint64, int> rowById_;
    QStringList focuses_;
};

class TrackFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit TrackFilterProxy(QObject* parent = nullptr);
    void setFilterText(const QString& text); // whitespace-separated words, all must match
    QString filterText() const { return text_; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString text_;
    QStringList words_;
};

}  // namespace stemscope::ui
