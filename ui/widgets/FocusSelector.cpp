#include "widgets/FocusSelector.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

#include "embedding/Focus.h"

namespace stemscope::ui {

FocusSelector::FocusSelector(QWidget* parent) : QWidget(parent), group_(new QActionGroup(this)), layout_(new QHBoxLayout(this))
{
    group_->setExclusive(true);
    layout_->setContentsMargins(0, 0, 0, 0);
    layout_->setSpacing(2);
    for (const QString& id : builtinFocuses()) addFocus(id);
    current_ = QStringLiteral("mix");
    actionFor(current_)->setChecked(true);
    rebuildButtons();
    connect(group_, &QActionGroup::triggered, this, [this](QAction* a) {
        const QString id = a->data().toString();
        if (id == current_) return;
        current_ = id;
        Q_EMIT focusChanged(id);
    });
}

QStringList FocusSelector::builtinFocuses()
{
    QStringList ids;
    for (Focus f : kAllFocuses) ids << QString::fromLatin1(focusName(f));
    return ids;
}

QStringList FocusSelector::instrumentFocuses()
{
    QStringList ids;
    for (Focus f : kInstrumentFocuses) ids << QString::fromLatin1(focusName(f));
    return ids;
}

bool FocusSelector::hasStem(const QString& id)
{
    const auto f = focusFromName(id.toStdString());
    return f && focusHasStem(*f);
}

QString FocusSelector::displayName(const QString& id)
{
    if (id == QLatin1String("style")) return tr("Style (tags)");
    if (builtinFocuses().contains(id) && !id.isEmpty()) return id.left(1).toUpper() + id.mid(1);
    return id;
}

QAction* FocusSelector::addFocus(const QString& id)
{
    auto* a = new QAction(displayName(id), group_);
    a->setCheckable(true);
    a->setData(id);
    a->setObjectName(QStringLiteral("focus_") + id);
    if (id == QLatin1String("mix"))
        a->setToolTip(tr("Mix: compare whole songs"));
    else if (id == QLatin1String("style"))
        a->setToolTip(tr("Style (tags): compare whole songs as the learning-to-rank model does, trained on tag "
                         "similarity (style, groove, tempo, instruments)"));
    else
        a->setToolTip(tr("%1: compare songs by their %2 stem").arg(displayName(id), id));
    return a;
}

void FocusSelector::setExtraFocuses(const QStringList& ids)
{
    for (const QString& old : extras_) delete actionFor(old);
    extras_.clear();
    for (const QString& id : ids)
        if (!id.isEmpty() && !focuses().contains(id)) {
            extras_ << id;
            addFocus(id)->setToolTip(tr("Extra model “%1”").arg(id));
        }
    if (!actionFor(current_)) {
        current_ = QStringLiteral("mix");
        actionFor(current_)->setChecked(true);
        Q_EMIT focusChanged(current_);
    }
    rebuildButtons();
}

QStringList FocusSelector::focuses() const
{
    QStringList ids;
    for (auto* a : group_->actions()) ids << a->data().toString();
    return ids;
}

QStringList FocusSelector::labels() const
{
    QStringList l;
    for (auto* a : group_->actions()) l << a->text();
    return l;
}

QString FocusSelector::currentFocus() const { return current_; }

bool FocusSelector::setCurrentFocus(const QString& id)
{
    QAction* a = actionFor(id);
    if (!a) return false;
    a->setChecked(true);
    if (id != current_) {
        current_ = id;
        Q_EMIT focusChanged(id);
    }
    return true;
}

QAction* FocusSelector::actionFor(const QString& id) const
{
    for (auto* a : group_->actions())
        if (a->data().toString() == id) return a;
    return nullptr;
}

void FocusSelector::rebuildButtons()
{
    while (auto* item = layout_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    auto* label = new QLabel(tr("Focus:"), this);
    layout_->addWidget(label);
    for (auto* a : group_->actions()) {
        auto* b = new QToolButton(this);
        b->setDefaultAction(a);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setAutoRaise(true);
        b->setObjectName(QStringLiteral("focusButton_") + a->data().toString());
        layout_->addWidget(b);
    }
}

}  // namespace stemscope::ui
