#include "widgets/NeighbourList.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QSet>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace stemscope::ui {

void NeighbourModel::setNeighbours(QVector<NeighbourRow> rows)
{
    std::stable_sort(rows.begin(), rows.end(), [](const NeighbourRow& a, const NeighbourRow& b) { return a.distance < b.distance; });
    beginResetModel();
    rows_ = std::move(rows);
    endResetModel();
}

void NeighbourModel::clear()
{
    beginResetModel();
    rows_.clear();
    endResetModel();
}

void NeighbourModel::setHighlighted(const QSet<qint64>& ids)
{
    highlighted_ = ids;
    if (!rows_.isEmpty()) Q_EMIT dataChanged(index(0, 0), index(rows_.size() - 1, ColumnCount - 1));
}

int NeighbourModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : rows_.size(); }
int NeighbourModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant NeighbourModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rows_.size()) return {};
    const auto& r = rows_[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Rank: return index.row() + 1;
        case Title: return r.artist.isEmpty() ? r.title : tr("%1 — %2").arg(r.title, r.artist);
        case Distance: return QString::number(r.distance, 'f', 3);
        case Tags: return r.tags.join(QStringLiteral(", "));
        }
        break;
    case SortRole:
        switch (index.column()) {
        case Rank: return index.row();
        case Distance: return r.distance;
        case Title: return r.title.toLower();
        case Tags: return r.tags.join(QStringLiteral(", "));
        }
        break;
    case TrackIdRole: return r.trackId;
    case Qt::TextAlignmentRole:
        if (index.column() == Rank || index.column() == Distance) return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::FontRole:
        if (highlighted_.contains(r.trackId)) {
            QFont f;
            f.setBold(true);
            return f;
        }
        break;
    case Qt::ToolTipRole:
        return tr("%1\n%2distance %3 (smaller = more similar; below 0: closer than either track is to its usual "
                  "neighbours)\ncosine distance %4%5")
            .arg(r.title, r.artist.isEmpty() ? QString() : r.artist + QLatin1Char('\n'))
            .arg(r.distance, 0, 'f', 4)
            .arg(r.cosineDistance, 0, 'f', 4)
            .arg(highlighted_.contains(r.trackId) ? tr("\nalso a neighbour under the other focus") : QString());
    }
    return {};
}

QVariant NeighbourModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole && section == Distance)
        return tr("Cosine distance corrected for hubness: less the mean of the two tracks' distances to their "
                  "5 nearest library tracks. Below 0: closer than either is to its usual neighbours.");
    if (role != Qt::DisplayRole) return {};
    switch (section) {
    case Rank: return tr("#");
    case Title: return tr("Title");
    case Distance: return tr("Distance");
    case Tags: return tr("Tags");
    }
    return {};
}

NeighbourList::NeighbourList(QWidget* parent) : QWidget(parent), model_(new NeighbourModel(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    header_ = new QLabel(tr("Select a track to see its nearest neighbours."), this);
    header_->setWordWrap(true);
    header_->setTextFormat(Qt::PlainText);
    message_ = new QLabel(this);
    message_->setWordWrap(true);
    message_->setVisible(false);
    message_->setStyleSheet(QStringLiteral("color: palette(mid);"));
    view_ = new QTableView(this);
    view_->setModel(model_);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view_->verticalHeader()->hide();
    view_->setAlternatingRowColors(true);
    view_->setWordWrap(false);
    view_->horizontalHeader()->setSectionResizeMode(NeighbourModel::Rank, QHeaderView::ResizeToContents);
    view_->horizontalHeader()->setSectionResizeMode(NeighbourModel::Title, QHeaderView::Stretch);
    view_->horizontalHeader()->setSectionResizeMode(NeighbourModel::Distance, QHeaderView::ResizeToContents);
    view_->horizontalHeader()->setSectionResizeMode(NeighbourModel::Tags, QHeaderView::Stretch); // title and tags share the width
    view_->horizontalHeader()->setStretchLastSection(false);
    view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 6);
    view_->setToolTip(tr("Nearest neighbours, most similar first. Enter plays the 3 s segment that matches the query "
                         "best (Shift+Enter the whole mix, Ctrl+Enter the focus's stem); double-click makes a "
                         "neighbour the query; right-click for all of these."));
    view_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view_, &QWidget::customContextMenuRequested, this, &NeighbourList::showContextMenu);
    view_->installEventFilter(this);
    layout->addWidget(header_);
    layout->addWidget(message_);
    layout->addWidget(view_, 1);
    connect(view_, &QTableView::doubleClicked, this, [this](const QModelIndex& i) {
        if (i.isValid()) Q_EMIT trackActivated(model_->rowAt(i.row()).trackId);
    });
    connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& i) {
        if (i.isValid()) Q_EMIT trackSelected(model_->rowAt(i.row()).trackId);
    });
}

bool NeighbourList::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == view_ && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            const qint64 id = selectedTrack();
            if (id < 0) return false;
            const auto mods = key->modifiers() & ~Qt::KeypadModifier;
            if (!playback_) Q_EMIT trackActivated(id);
            else if (mods & Qt::ControlModifier) {
                if (!stemLabel_.isEmpty()) Q_EMIT stemPlayRequested(id);
            } else if (mods & Qt::ShiftModifier) Q_EMIT trackPlayRequested(id);
            else Q_EMIT segmentPlayRequested(id);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void NeighbourList::showContextMenu(const QPoint& pos)
{
    const QModelIndex i = view_->indexAt(pos);
    if (!i.isValid()) {
        if (model_->rowCount() == 0) return;
        QMenu menu(this);
        menu.addAction(tr("Export as Playlist…"), this, [this] { Q_EMIT exportPlaylistRequested(); })
            ->setObjectName(QStringLiteral("exportPlaylist"));
        menu.exec(view_->viewport()->mapToGlobal(pos));
        return;
    }
    view_->setCurrentIndex(i);
    const NeighbourRow& row = model_->rowAt(i.row());
    const qint64 id = row.trackId;
    QMenu menu(this);
    if (playback_) {
        auto* seg = menu.addAction(tr("Play the Matching 3 s Segment\tEnter"), this, [this, id] { Q_EMIT segmentPlayRequested(id); });
        seg->setObjectName(QStringLiteral("playSegment"));
        menu.addAction(tr("Play Whole Track (Mix)\tShift+Enter"), this, [this, id] { Q_EMIT trackPlayRequested(id); })
            ->setObjectName(QStringLiteral("playTrack"));
        auto* stem = menu.addAction(stemLabel_.isEmpty() ? tr("Play Its Stem (choose a stem focus)")
                                                         : tr("Play Its %1 Stem\tCtrl+Enter").arg(stemLabel_),
                                    this, [this, id] { Q_EMIT stemPlayRequested(id); });
        stem->setObjectName(QStringLiteral("playStem"));
        stem->setEnabled(!stemLabel_.isEmpty());
        menu.addSeparator();
    }
    menu.addAction(tr("Make It the Query\tdouble-click"), this, [this, id] { Q_EMIT trackActivated(id); });
    menu.addSeparator();
    menu.addAction(tr("Export as Playlist…"), this, [this] { Q_EMIT exportPlaylistRequested(); })
        ->setObjectName(QStringLiteral("exportPlaylist"));
    menu.exec(view_->viewport()->mapToGlobal(pos));
}

void NeighbourList::setQuery(const QString& title, const QString& focusLabel)
{
    header_->setText(title.isEmpty() ? tr("Select a track to see its nearest neighbours.")
                                     : tr("Neighbours of “%1” · %2").arg(title, focusLabel));
}

void NeighbourList::setMessage(const QString& message)
{
    message_->setText(message);
    message_->setVisible(!message.isEmpty());
}

void NeighbourList::setNeighbours(const QVector<NeighbourRow>& rows)
{
    model_->setNeighbours(rows);
    setMessage(rows.isEmpty() ? tr("No neighbours yet.") : QString());
}

qint64 NeighbourList::selectedTrack() const
{
    const QModelIndex i = view_->currentIndex();
    return i.isValid() ? model_->rowAt(i.row()).trackId : -1;
}

FocusComparison::FocusComparison(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    summary_ = new QLabel(tr("Compare the neighbours of one track under two focuses."), this);
    summary_->setWordWrap(true);
    auto* row = new QHBoxLayout();
    leftFocus_ = new QComboBox(this);
    rightFocus_ = new QComboBox(this);
    leftFocus_->setToolTip(tr("Focus of the left list"));
    rightFocus_->setToolTip(tr("Focus of the right list"));
    row->addWidget(new QLabel(tr("Left:"), this));
    row->addWidget(leftFocus_, 1);
    row->addSpacing(12);
    row->addWidget(new QLabel(tr("Right:"), this));
    row->addWidget(rightFocus_, 1);
    auto* lists = new QHBoxLayout();
    left_ = new NeighbourList(this);
    right_ = new NeighbourList(this);
    left_->setPlaybackEnabled(false); // Enter makes the query, as a double-click does
    right_->setPlaybackEnabled(false);
    lists->addWidget(left_);
    lists->addWidget(right_);
    layout->addWidget(summary_);
    layout->addLayout(row);
    layout->addLayout(lists, 1);
    auto changed = [this] { Q_EMIT focusesChanged(leftFocus(), rightFocus()); };
    connect(leftFocus_, &QComboBox::currentIndexChanged, this, changed);
    connect(rightFocus_, &QComboBox::currentIndexChanged, this, changed);
    connect(left_, &NeighbourList::trackActivated, this, &FocusComparison::trackActivated);
    connect(right_, &NeighbourList::trackActivated, this, &FocusComparison::trackActivated);
}

void FocusComparison::setFocuses(const QStringList& ids, const QStringList& labels)
{
    const QString l = leftFocus(), r = rightFocus();
    for (auto* box : {leftFocus_, rightFocus_}) {
        QSignalBlocker block(box);
        box->clear();
        for (int i = 0; i < ids.size(); ++i) box->addItem(labels.value(i, ids[i]), ids[i]);
    }
    setLeftFocus(l.isEmpty() ? ids.value(1, ids.value(0)) : l);
    setRightFocus(r.isEmpty() ? ids.value(2, ids.value(0)) : r);
}

QString FocusComparison::leftFocus() const { return leftFocus_->currentData().toString(); }
QString FocusComparison::rightFocus() const { return rightFocus_->currentData().toString(); }

void FocusComparison::setLeftFocus(const QString& id)
{
    const int i = leftFocus_->findData(id);
    if (i >= 0) leftFocus_->setCurrentIndex(i);
}

void FocusComparison::setRightFocus(const QString& id)
{
    const int i = rightFocus_->findData(id);
    if (i >= 0) rightFocus_->setCurrentIndex(i);
}

void FocusComparison::setQueryTitle(const QString& title)
{
    query_ = title;
    left_->setQuery(title, leftFocus_->currentText());
    right_->setQuery(title, rightFocus_->currentText());
    updateOverlap();
}

void FocusComparison::setLeft(const QVector<NeighbourRow>& rows)
{
    left_->setQuery(query_, leftFocus_->currentText());
    left_->setNeighbours(rows);
    updateOverlap();
}

void FocusComparison::setRight(const QVector<NeighbourRow>& rows)
{
    right_->setQuery(query_, rightFocus_->currentText());
    right_->setNeighbours(rows);
    updateOverlap();
}

void FocusComparison::setMessage(const QString& message)
{
    left_->setMessage(message);
    right_->setMessage(message);
}

void FocusComparison::updateOverlap()
{
    QSet<qint64> a, b;
    for (const auto& r : left_->model()->rows()) a.insert(r.trackId);
    for (const auto& r : right_->model()->rows()) b.insert(r.trackId);
    const QSet<qint64> both = a & b;
    overlap_ = both.size();
    left_->model()->setHighlighted(both);
    right_->model()->setHighlighted(both);
    if (query_.isEmpty()) summary_->setText(tr("Select a track to compare its neighbours under two focuses."));
    else
        summary_->setText(tr("“%1”: %2 of %3 neighbours are shared by %4 and %5 (shown in bold).")
                              .arg(query_)
                              .arg(overlap_)
                              .arg(std::max(a.size(), b.size()))
                              .arg(leftFocus_->currentText(), rightFocus_->currentText()));
}

}  // namespace stemscope::ui
