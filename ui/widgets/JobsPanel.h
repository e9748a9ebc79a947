#pragma once
// Background jobs at a glance: one row per job with its title, a progress bar (busy when the
// fraction is unknown), an ETA, a status line and a Cancel button. Engine-agnostic: callers push
// progress in (from the core job engine or a QFutureWatcher) and listen for cancelRequested.
#include <QHash>
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;
class QVBoxLayout;

namespace stemscope::ui {

class JobsPanel : public QWidget {
    Q_OBJECT
public:
    enum class Outcome { Done, Failed, Cancelled };
    explicit JobsPanel(QWidget* parent = nullptr);

    void addJob(quint64 id, const QString& title, bool cancellable = true);
    // fraction in [0,1] or < 0 for "unknown"; etaSeconds < 0 = unknown.
    void updateJob(quint64 id, double fraction, double etaSeconds = -1, const QString& message = {});
    void finishJob(quint64 id, Outcome outcome, const QString& message = {});
    void clearFinished();

    bool hasJob(quint64 id) const { return rows_.contains(id); }
    int jobCount() const { return rows_.size(); }
    int activeCount() const;
    int progressPercent(quint64 id) const; // -1 if unknown/absent
    QString statusText(quint64 id) const;
    QString etaText(quint64 id) const;
    static QString formatEta(double seconds);

Q_SIGNALS:
    void cancelRequested(quint64 id);
    void activeCountChanged(int active);

private:
    struct Row {
        QWidget* widget = nullptr;
        QLabel* title = nullptr;
        QProgressBar* bar = nullptr;
        QLabel* eta = nullptr;
        QLabel* status = nullptr;
        QToolButton* cancel = nullptr;
        bool finished = false;
    };
    QHash<quint64, Row> rows_;
    QVBoxLayout* list_;
    QLabel* empty_;
};

}  // namespace stemscope::ui
