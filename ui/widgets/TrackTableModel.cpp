#include "widgets/TrackTableModel.h"

#include <QBrush>
#include <QColor>
#include <QFileInfo>

#include "widgets/ColourMaps.h"
#include "widgets/FocusSelector.h"

namespace stemscope::ui {

QString analysisStateText(AnalysisState s)
{
    switch (s) {
    case AnalysisState::None: return QObject::tr("–");
    case AnalysisState::Queued: return QObject::tr("queued");
    case AnalysisState::Running: return QObject::tr("running");
    case AnalysisState::Done: return QObject::tr("✓");
    case AnalysisState::Failed: return QObject::tr("failed");
    }
    return {};
}

TrackTableModel::TrackTableModel(QObject* parent) : QAbstractTableModel(parent), focuses_(FocusSelector::builtinFocuses()) {}

void TrackTableModel::setFocuses(const QStringList& ids)
{
    beginResetModel();
    focuses_ = ids;
    endResetModel();
}

void TrackTableModel::setTracks(QVector<TrackRow> rows)
{
    beginResetModel();
    rows_ = std::move(rows);
    reindex();
    endResetModel();
}

void TrackTableModel::reindex()
{
    rowById_.clear();
    for (int i = 0; i < rows_.size(); ++i) rowById_.insert(rows_[i].id, i);
}

void TrackTableModel::upsertTrack(const TrackRow& row)
{
    const int r = rowOfId(row.id);
    if (r >= 0) {
        rows_[r] = row;
        Q_EMIT dataChanged(index(r, 0), index(r, columnCount() - 1));
        return;
    }
    beginInsertRows({}, rows_.size(), rows_.size());
    rows_.push_back(row);
    rowById_.insert(row.id, rows_.size() - 1);
    endInsertRows();
}

bool TrackTableModel::removeTrack(qint64 id)
{
    const int r = rowOfId(id);
    if (r < 0) return false;
    beginRemoveRows({}, r, r);
    rows_.removeAt(r);
    reindex();
    endRemoveRows();
    return true;
}

namespace {
bool isPartial(const TrackRow& t) { return t.error.startsWith(QLatin1String("partial:")); }
}  // namespace

bool TrackTableModel::setAnalysisState(qint64 id, const QString& focus, AnalysisState state, const QString& error)
{
    const int r = rowOfId(id);
    if (r < 0) return false;
    rows_[r].analysis[focus] = state;
    if (!error.isNull()) rows_[r].error = error;
    const int c = focuses_.indexOf(focus);
    if (c >= 0) Q_EMIT dataChanged(index(r, FirstFocus + c), index(r, FirstFocus + c));
    Q_EMIT dataChanged(index(r, Title), index(r, Title), {Qt::ToolTipRole});
    return true;
}

int TrackTableModel::rowOfId(qint64 id) const { return rowById_.value(id, -1); }

const TrackRow* TrackTableModel::track(qint64 id) const
{
    const int r = rowOfId(id);
    return r < 0 ? nullptr : &rows_[r];
}

int TrackTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : rows_.size(); }
int TrackTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : FirstFocus + focuses_.size(); }

QVariant TrackTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rows_.size()) return {};
    const TrackRow& t = rows_[index.row()];
    const int col = index.column();
    const bool focusCol = col >= FirstFocus;
    const AnalysisState state = focusCol ? t.analysis.value(focuses_.value(col - FirstFocus), AnalysisState::None) : AnalysisState::None;
    switch (role) {
    case Qt::DisplayRole:
        switch (col) {
        case Title: return t.title.isEmpty() ? QFileInfo(t.path).completeBaseName() : t.title;
        case Artist: return t.artist;
        // A file decoded only up to its damage says so where its length is shown.
        case Duration: return formatDuration(t.durationSeconds) + (isPartial(t) ? QStringLiteral(" ⚠") : QString());
        case Tags: return t.tags.join(QStringLiteral(", "));
        default: return analysisStateText(state);
        }
    case SortRole:
        switch (col) {
        case Title: return (t.title.isEmpty() ? QFileInfo(t.path).completeBaseName() : t.title).toLower();
        case Artist: return t.artist.toLower();
        case Duration: return t.durationSeconds;
        case Tags: return t.tags.join(QStringLiteral(", ")).toLower();
        default: return int(state);
        }
    case FilterRole:
        return QStringList{t.title, t.artist, t.tags.join(QLatin1Char(' ')), QFileInfo(t.path).fileName()}.join(QLatin1Char(' '));
    case TrackIdRole: return t.id;
    case Qt::TextAlignmentRole:
        if (col == Duration) return int(Qt::AlignRight | Qt::AlignVCenter);
        if (focusCol) return int(Qt::AlignCenter);
        break;
    case Qt::ForegroundRole:
        if (col == Duration && isPartial(t)) return QBrush(QColor(0xc0, 0x60, 0x00));
        if (focusCol) {
            switch (state) {
            case AnalysisState::Done: return QBrush(QColor(0x2c, 0x8a, 0x2c));
            case AnalysisState::Failed: return QBrush(QColor(0xb0, 0x00, 0x20));
            case AnalysisState::Running: return QBrush(QColor(0x1f, 0x77, 0xb4));
            default: return QBrush(QColor(0x80, 0x80, 0x80));
            }
        }
        break;
    case Qt::ToolTipRole: {
        if (focusCol)
            return tr("%1 analysis: %2").arg(FocusSelector::displayName(focuses_.value(col - FirstFocus)), analysisStateText(state));
        QString tip = t.path;
        if (isPartial(t)) tip += tr("\nDamaged file, analysed up to the damage: %1").arg(t.error);
        else if (!t.error.isEmpty()) tip += tr("\nLast error: %1").arg(t.error);
        return tip;
    }
    }
    return {};
}

QVariant TrackTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Title: return tr("Title");
        case Artist: return tr("Artist");
        case Duration: return tr("Length");
        case Tags: return tr("Tags");
        default: return FocusSelector::displayName(focuses_.value(section - FirstFocus));
        }
    }
    if (role == Qt::ToolTipRole && section >= FirstFocus)
        return tr("Analysis state of the %1 focus (✓ = embedded and searchable)")
            .arg(FocusSelector::displayName(focuses_.value(section - FirstFocus)));
    return {};
}

TrackFilterProxy::TrackFilterProxy(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(TrackTableModel::SortRole);
    setDynamicSortFilter(true);
}

void TrackFilterProxy::setFilterText(const QString& text)
{
    text_ = text;
    words_ = text.simplified().toLower().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    invalidateFilter();
}

bool TrackFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (words_.isEmpty()) return true;
    const QString hay = sourceModel()->index(sourceRow, 0, sourceParent).data(TrackTableModel::FilterRole).toString().toLower();
    for (const QString& w : words_)
        if (!hay.contains(w)) return false;
    return true;
}

}  // namespace stemscope::ui
