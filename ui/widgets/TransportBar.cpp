#include "widgets/TransportBar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QStyle>
#include <QToolButton>

#include <algorithm>
#include <cmath>

namespace stemscope::ui {

TransportBar::TransportBar(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("transportBar"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    play_ = new QToolButton(this);
    play_->setObjectName(QStringLiteral("transportPlay"));
    play_->setAutoRaise(true);
    play_->setFocusPolicy(Qt::NoFocus); // Space belongs to the window's Play/Stop shortcut
    connect(play_, &QToolButton::clicked, this, &TransportBar::playStopClicked);
    slider_ = new QSlider(Qt::Horizontal, this);
    slider_->setObjectName(QStringLiteral("seekSlider"));
    slider_->setTracking(false); // seek once, on release (or on a click/page step)
    slider_->setFocusPolicy(Qt::NoFocus);
    slider_->setMinimumWidth(160);
    slider_->setToolTip(tr("Drag or click to seek (Ctrl+Left / Ctrl+Right: 5 s back / forward)"));
    connect(slider_, &QSlider::valueChanged, this, [this](int ms) {
        if (playing_) Q_EMIT seekRequested(ms / 1000.0);
    });
    connect(slider_, &QSlider::sliderMoved, this, [this](int ms) { updateTime(ms / 1000.0); });
    time_ = new QLabel(this);
    time_->setObjectName(QStringLiteral("transportTime"));
    time_->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("00:00:00 / 00:00:00")));
    time_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    what_ = new QLabel(this);
    what_->setObjectName(QStringLiteral("transportWhat"));
    what_->setTextFormat(Qt::PlainText);
    what_->setMinimumWidth(120);
    what_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // long titles elide instead of widening the window
    layout->addWidget(play_);
    layout->addWidget(slider_, 3);
    layout->addWidget(time_);
    layout->addSpacing(8);
    layout->addWidget(what_, 2);
    setStopped();
}

QString TransportBar::formatTime(double seconds)
{
    const int s = std::isfinite(seconds) ? std::max(0, int(std::floor(seconds + 1e-6))) : 0;
    if (s >= 3600) return QStringLiteral("%1:%2:%3").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

void TransportBar::setStopped(const QString& lastPlayed)
{
    playing_ = false;
    play_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    play_->setToolTip(tr("Play the selected track (Space)"));
    {
        const QSignalBlocker block(slider_);
        slider_->setRange(0, 0);
        slider_->setValue(0);
    }
    slider_->setEnabled(false);
    time_->setText(QStringLiteral("–:–– / –:––"));
    if (!available_) return;
    play_->setEnabled(true);
    what_->setText(lastPlayed.isEmpty() ? tr("Stopped") : tr("Stopped · %1").arg(lastPlayed));
    what_->setToolTip(what_->text());
}

void TransportBar::setNowPlaying(const QString& what, double fromSeconds, double toSeconds)
{
    available_ = true;
    setEnabled(true);
    playing_ = true;
    from_ = fromSeconds;
    to_ = std::max(fromSeconds, toSeconds);
    play_->setEnabled(true);
    play_->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    play_->setToolTip(tr("Stop (Space)"));
    {
        const QSignalBlocker block(slider_);
        slider_->setRange(int(std::lround(from_ * 1000)), int(std::lround(to_ * 1000)));
        slider_->setPageStep(std::max(1000, int((to_ - from_) * 100))); // a click jumps 10 %
        slider_->setSingleStep(1000);
        slider_->setValue(slider_->minimum());
    }
    slider_->setEnabled(true);
    what_->setText(tr("▶ %1").arg(what));
    what_->setToolTip(what);
    updateTime(from_);
}

void TransportBar::setPosition(double seconds)
{
    if (!playing_ || slider_->isSliderDown()) return;
    const QSignalBlocker block(slider_);
    slider_->setValue(int(std::lround(std::clamp(seconds, from_, to_) * 1000)));
    updateTime(seconds);
}

void TransportBar::setUnavailable(const QString& reason)
{
    available_ = false;
    setStopped();
    play_->setEnabled(false);
    what_->setText(tr("Playback unavailable: %1").arg(reason));
    what_->setToolTip(tr("Playback needs an audio output device (ALSA). Everything else works without one."));
    setEnabled(false);
}

void TransportBar::updateTime(double seconds)
{
    time_->setText(QStringLiteral("%1 / %2").arg(formatTime(std::clamp(seconds, from_, to_)), formatTime(to_)));
}

}  // namespace stemscope::ui
