#pragma once
// The built-in A/B/X listening test (issue 10, docs/listening-test.md): setup (listener, focus,
// mode, trials, training round, excerpt length, same sets as an earlier session), the trial view
// (X/A/B with keys X, A, B, looping L, replay R, stop S; answers 1/2, confident C; pause P) and
// the results view (per-focus agreement with 95 % Wilson CI and exact binomial p, stacked bars by
// confidence, per-listener table, CSV/JSON export). Every answer is committed to the library at
// once. Set generation and excerpt preparation run off the GUI thread (QtConcurrent).
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QWidget>

#include <QElapsedTimer>
#include <memory>

#include "listening/ListeningSession.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableWidget;
class QTimer;

class QChartView;

namespace stemscope {
class Player;
}
namespace stemscope::listening {
class LibraryListening;
}

namespace stemscope::ui {

class LibraryBackend;

class ListeningTestPanel : public QWidget {
    Q_OBJECT
public:
    enum class Page { Setup, Trial, Results };

    // `player`: shared with the window (not owned); null: the panel creates its own.
    explicit ListeningTestPanel(LibraryBackend* backend, Player* player = nullptr, QWidget* parent = nullptr);
    ~ListeningTestPanel() override;

    // The library changed (opened another one): back to setup, reload the session list.
    void libraryChanged();
    // Stops playback and forgets the shared player (the window is going away).
    void detachPlayer();
    // Gives the keyboard to the current page (the trial keys X/A/B/1/2/C... need it).
    void activate();

    Page page() const;
    bool isBusy() const { return busy_ > 0; }
    qint64 sessionId() const { return sessionId_; }
    int currentTrial() const { return current_; }
    const listening::ListeningSession& session() const { return session_; }
    QString message() const; // the panel's current note/error line
    QString playing() const { return playingSlot_; } // "X", "A", "B" or ""

    // Setup (also for tests and scripting).
    void setListener(const QString& name);
    void selectFocus(const QString& focus);       // "mix", "drums"...
    void setAbxMode(bool abx);
    void setTrialCount(int trials, int trainingTrials);
    void setExcerptSeconds(double seconds);
    void setSeed(quint64 seed);
    void startSession();                          // async: page() becomes Trial when ready
    void resumeSession(qint64 sessionId);         // async
    void answer(const QString& ab);               // "A" / "B" for the current trial
    void play(const QString& slot);               // "X", "A", "B"
    void stop();
    void pause();                                 // back to setup; the session stays resumable
    void showResults();                           // async
    bool exportTo(const QString& path, QString* error); // .csv or .json by extension

    // Widgets for tests and screenshots.
    QTableWidget* resultsTable() const { return resultsTable_; }
    QTableWidget* listenerTable() const { return listenerTable_; }
    QTableWidget* sessionsTable() const { return sessionsTable_; }
    QChartView* chartView() const { return chart_; }
    QCheckBox* confidentBox() const { return confident_; }
    QPushButton* answerButton(int i) const { return i == 0 ? answerA_ : answerB_; }
    QPushButton* startButton() const { return startButton_; }

Q_SIGNALS:
    void busyChanged(bool busy);
    void answerSaved(int trialIndex);
    void sessionFinished(qint64 sessionId);

private:
    void buildSetupPage();
    void buildTrialPage();
    void buildResultsPage();
    void buildShortcuts();
    void refreshSessions();
    void enterSession(qint64 id, std::vector<listening::Trial> trials, std::vector<listening::Answer> answers,
                      double excerptSeconds, const QString& note);
    void showTrial();
    void onJobFinished(quint64 id);
    void prepareAudio(int index);
    void updatePlayButtons();
    void onTick();
    void setMessage(const QString& text, bool error = false);
    void setPage(Page p);
    void addBusy(int delta);
    std::shared_ptr<listening::LibraryListening> engine();
    template <typename T, typename Work, typename Done>
    void runAsync(Work work, Done done);

    struct Audio {
        QString x, a, b, note, error;
    };

    LibraryBackend* backend_;
    Player* player_ = nullptr;
    std::unique_ptr<Player> ownPlayer_;
    QThreadPool pool_;
    int busy_ = 0;
    quint64 generation_ = 0; // bumped when a session is entered/left: stale async results dropped

    // session state
    qint64 sessionId_ = 0;
    listening::ListeningSession session_;
    int current_ = -1;
    double excerptSeconds_ = 10;
    QHash<int, Audio> audio_;
    QSet<int> preparing_;
    QString playingSlot_;
    bool wantPlaying_ = false;
    QElapsedTimer trialClock_;
    std::unique_ptr<QTemporaryDir> excerptDir_;
    QString audioProblem_;
    // The session's tracks being separated for listening (an instrument focus plays stems): the
    // first trial waits for them rather than play mixes.
    quint64 stemsJob_ = 0;  // the backend's job id; 0: none pending

    QStackedWidget* pages_ = nullptr;
    QLabel* message_ = nullptr;
    // setup
    QLineEdit* listener_ = nullptr;
    QComboBox* mode_ = nullptr;
    QComboBox* focus_ = nullptr;
    QSpinBox* trials_ = nullptr;
    QSpinBox* training_ = nullptr;
    QDoubleSpinBox* excerpt_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QComboBox* reuse_ = nullptr;
    QPushButton* startButton_ = nullptr;
    QTableWidget* sessionsTable_ = nullptr;
    // trial
    QLabel* trialTitle_ = nullptr;
    QLabel* question_ = nullptr;
    QLabel* trialNote_ = nullptr;
    QPushButton* playX_ = nullptr;
    QPushButton* playA_ = nullptr;
    QPushButton* playB_ = nullptr;
    QCheckBox* loop_ = nullptr;
    QPushButton* answerA_ = nullptr;
    QPushButton* answerB_ = nullptr;
    QCheckBox* confident_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QProgressBar* position_ = nullptr;
    // results
    QComboBox* resultsMode_ = nullptr;
    QTableWidget* resultsTable_ = nullptr;
    QTableWidget* listenerTable_ = nullptr;
    QChartView* chart_ = nullptr;
    QLabel* resultsSummary_ = nullptr;
    QTimer* tick_ = nullptr;
};

}  // namespace stemscope::ui
