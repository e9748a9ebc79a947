#include "widgets/JobsPanel.h"

#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace stemscope::ui {

JobsPanel::JobsPanel(QWidget* parent) : QWidget(parent)
{
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(4, 4, 4, 4);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* inner = new QWidget(scroll);
    list_ = new QVBoxLayout(inner);
    list_->setContentsMargins(0, 0, 0, 0);
    empty_ = new QLabel(tr("No background jobs."), inner);
    empty_->setAlignment(Qt::AlignCenter);
    list_->addWidget(empty_);
    list_->addStretch(1);
    scroll->setWidget(inner);
    outer->addWidget(scroll, 1);
    auto* clear = new QPushButton(tr("Clear finished"), this);
    clear->setToolTip(tr("Remove finished, failed and cancelled jobs from this list"));
    connect(clear, &QPushButton::clicked, this, &JobsPanel::clearFinished);
    outer->addWidget(clear, 0, Qt::AlignRight);
}

QString JobsPanel::formatEta(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0) return tr("estimating…");
    const long long s = std::llround(seconds);
    if (s < 1) return tr("almost done");
    if (s < 60) return tr("%1 s left").arg(s);
    if (s < 3600) return tr("%1 min %2 s left").arg(s / 60).arg(s % 60);
    return tr("%1 h %2 min left").arg(s / 3600).arg((s / 60) % 60);
}

void JobsPanel::addJob(quint64 id, const QString& title, bool cancellable)
{
    if (rows_.contains(id)) return;
    Row r;
    r.widget = new QFrame(list_->parentWidget());
    static_cast<QFrame*>(r.widget)->setFrameShape(QFrame::StyledPanel);
    r.widget->setObjectName(QStringLiteral("job_%1").arg(id));
    auto* g = new QGridLayout(r.widget);
    g->setContentsMargins(6, 4, 6, 4);
    r.title = new QLabel(title, r.widget);
    r.title->setTextFormat(Qt::PlainText);
    QFont f = r.title->font();
    f.setBold(true);
    r.title->setFont(f);
    r.bar = new QProgressBar(r.widget);
    r.bar->setRange(0, 0); // busy until the first progress report
    r.bar->setTextVisible(true);
    r.eta = new QLabel(tr("starting…"), r.widget);
    r.status = new QLabel(r.widget);
    r.status->setTextFormat(Qt::PlainText);
    r.status->setWordWrap(true);
    r.cancel = new QToolButton(r.widget);
    r.cancel->setText(tr("Cancel"));
    r.cancel->setToolTip(tr("Cancel “%1”; work already saved is kept").arg(title));
    r.cancel->setEnabled(cancellable);
    connect(r.cancel, &QToolButton::clicked, this, [this, id] {
        auto it = rows_.find(id);
        if (it == rows_.end() || it->finished) return;
        it->cancel->setEnabled(false);
        it->eta->setText(tr("cancelling…"));
        Q_EMIT cancelRequested(id);
    });
    g->addWidget(r.title, 0, 0, 1, 2);
    g->addWidget(r.bar, 1, 0);
    g->addWidget(r.cancel, 1, 1);
    g->addWidget(r.eta, 2, 0);
    g->addWidget(r.status, 3, 0, 1, 2);
    list_->insertWidget(list_->count() - 1, r.widget);
    rows_.insert(id, r);
    empty_->setVisible(false);
    Q_EMIT activeCountChanged(activeCount());
}

void JobsPanel::updateJob(quint64 id, double fraction, double etaSeconds, const QString& message)
{
    auto it = rows_.find(id);
    if (it == rows_.end() || it->finished) return;
    if (fraction >= 0 && std::isfinite(fraction)) {
        it->bar->setRange(0, 1000);
        it->bar->setValue(int(std::lround(std::clamp(fraction, 0.0, 1.0) * 1000)));
        it->bar->setFormat(QStringLiteral("%1 %").arg(fraction * 100.0, 0, 'f', 0));
    } else {
        it->bar->setRange(0, 0);
    }
    if (it->cancel->isEnabled() || !it->eta->text().startsWith(tr("cancelling")))
        it->eta->setText(formatEta(etaSeconds));
    if (!message.isNull()) it->status->setText(message);
}

void JobsPanel::finishJob(quint64 id, Outcome outcome, const QString& message)
{
    auto it = rows_.find(id);
    if (it == rows_.end()) return;
    it->finished = true;
    it->cancel->setEnabled(false);
    it->bar->setRange(0, 1000);
    switch (outcome) {
    case Outcome::Done:
        it->bar->setValue(1000);
        it->bar->setFormat(tr("done"));
        it->eta->setText(tr("finished"));
        break;
    case Outcome::Failed:
        it->bar->setFormat(tr("failed"));
        it->eta->setText(tr("failed"));
        it->status->setStyleSheet(QStringLiteral("color: #b00020;"));
        break;
    case Outcome::Cancelled:
        it->bar->setFormat(tr("cancelled"));
        it->eta->setText(tr("cancelled"));
        break;
    }
    if (!message.isNull()) it->status->setText(message);
    Q_EMIT activeCountChanged(activeCount());
}

void JobsPanel::clearFinished()
{
    for (auto it = rows_.begin(); it != rows_.end();) {
        if (it->finished) {
            delete it->widget;
            it = rows_.erase(it);
        } else {
            ++it;
        }
    }
    empty_->setVisible(rows_.isEmpty());
}

int JobsPanel::activeCount() const
{
    int n = 0;
    for (const auto& r : rows_) n += r.finished ? 0 : 1;
    return n;
}

int JobsPanel::progressPercent(quint64 id) const
{
    auto it = rows_.constFind(id);
    if (it == rows_.cend() || it->bar->maximum() == 0) return -1;
    return int(std::lround(100.0 * it->bar->value() / it->bar->maximum()));
}

QString JobsPanel::statusText(quint64 id) const
{
    auto it = rows_.constFind(id);
    return it == rows_.cend() ? QString() : it->status->text();
}

QString JobsPanel::etaText(quint64 id) const
{
    auto it = rows_.constFind(id);
    return it == rows_.cend() ? QString() : it->eta->text();
}

}  // namespace stemscope::ui
