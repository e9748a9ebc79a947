#pragma once
// Playback transport: play/stop, a position slider that seeks, the time, and what is playing
// ("Song · mix", "Song · Drums stem · 3 s segment"). Engine-free: the owner polls the player and
// feeds positions in seconds; the bar emits requests. setUnavailable() disables it with a reason
// (e.g. no audio output device).
#include <QWidget>

class QLabel;
class QSlider;
class QToolButton;

namespace stemscope::ui {

class TransportBar : public QWidget {
    Q_OBJECT
public:
    explicit TransportBar(QWidget* parent = nullptr);

    // Nothing loaded, or something loaded: `from`..`to` is the slider's range in the file
    // (the whole file, or a segment's window).
    void setStopped(const QString& lastPlayed = {});
    void setNowPlaying(const QString& what, double fromSeconds, double toSeconds);
    void setPosition(double seconds); // ignored while the user drags the slider
    void setUnavailable(const QString& reason);
    bool isAvailable() const { return available_; }
    bool isPlaying() const { return playing_; }

    QSlider* slider() const { return slider_; }
    QToolButton* playButton() const { return play_; }
    QLabel* whatLabel() const { return what_; }
    QLabel* timeLabel() const { return time_; }

    static QString formatTime(double seconds); // m:ss (h:mm:ss from an hour)

Q_SIGNALS:
    void playStopClicked();
    void seekRequested(double seconds);

private:
    void updateTime(double seconds);
    QToolButton* play_;
    QSlider* slider_;
    QLabel* time_;
    QLabel* what_;
    double from_ = 0, to_ = 0;
    bool playing_ = false;
    bool available_ = true;
};

}  // namespace stemscope::ui
