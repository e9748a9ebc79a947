#include "ListeningTestPanel.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedBarSeries>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTimer>
#include <QValueAxis>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <random>

#include "LibraryBackend.h"
#include "audio/Player.h"
#include "listening/LibraryListening.h"
#include "widgets/FocusSelector.h"

namespace stemscope::ui {

using namespace stemscope::listening;

namespace {

QString focusLabel(const QString& id) { return FocusSelector::displayName(id); }

QString pct(double p) { return QStringLiteral("%1 %").arg(100.0 * p, 0, 'f', 1); }

QString pValueText(double p)
{
    if (p < 0.001) return QStringLiteral("< 0.001");
    return QString::number(p, 'f', 3);
}

QTableWidgetItem* item(const QString& text, bool number = false)
{
    auto* it = new QTableWidgetItem(text);
    it->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    if (number) it->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return it;
}

QPushButton* bigButton(const QString& text, QWidget* parent)
{
    auto* b = new QPushButton(text, parent);
    b->setMinimumSize(150, 90);
    QFont f = b->font();
    f.setPointSizeF(f.pointSizeF() * 1.5);
    f.setBold(true);
    b->setFont(f);
    b->setCheckable(true);
    b->setFocusPolicy(Qt::NoFocus);
    return b;
}

}  // namespace

ListeningTestPanel::ListeningTestPanel(LibraryBackend* backend, Player* player, QWidget* parent)
    : QWidget(parent), backend_(backend), player_(player)
{
    setObjectName(QStringLiteral("ListeningTestPanel"));
    if (!player_) {
        ownPlayer_ = createPlayer();
        player_ = ownPlayer_.get();
    }
    pool_.setMaxThreadCount(2);
    if (backend_)
        connect(backend_, &LibraryBackend::jobFinished, this,
                [this](quint64 id, JobsPanel::Outcome, const QString&) { onJobFinished(id); });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    pages_ = new QStackedWidget(this);
    layout->addWidget(pages_, 1);
    message_ = new QLabel(this);
    message_->setWordWrap(true);
    message_->setObjectName(QStringLiteral("listeningMessage"));
    layout->addWidget(message_);
    buildSetupPage();
    buildTrialPage();
    buildResultsPage();
    buildShortcuts();
    tick_ = new QTimer(this);
    tick_->setInterval(100);
    connect(tick_, &QTimer::timeout, this, &ListeningTestPanel::onTick);
    tick_->start();
    refreshSessions();
}

ListeningTestPanel::~ListeningTestPanel()
{
    ++generation_;
    pool_.waitForDone();
    detachPlayer();
}

void ListeningTestPanel::detachPlayer()
{
    if (player_ && wantPlaying_) player_->stop();
    wantPlaying_ = false;
    if (!ownPlayer_) player_ = nullptr;
}

void ListeningTestPanel::activate() { pages_->currentWidget()->setFocus(Qt::OtherFocusReason); }

std::shared_ptr<LibraryListening> ListeningTestPanel::engine() { return backend_ ? backend_->listening() : nullptr; }

template <typename T, typename Work, typename Done>
void ListeningTestPanel::runAsync(Work work, Done done)
{
    auto* watcher = new QFutureWatcher<T>(this);
    addBusy(1);
    const quint64 gen = generation_;
    connect(watcher, &QFutureWatcher<T>::finished, this, [this, watcher, done, gen] {
        const T result = watcher->result();
        watcher->deleteLater();
        if (gen == generation_) done(result);
        addBusy(-1);
    });
    watcher->setFuture(QtConcurrent::run(&pool_, [work]() -> T {
        try {
            return work();
        } catch (const std::exception& e) {
            T t;
            t.error = QString::fromStdString(e.what());
            return t;
        }
    }));
}

void ListeningTestPanel::addBusy(int delta)
{
    const bool was = busy_ > 0;
    busy_ += delta;
    if (was != (busy_ > 0)) Q_EMIT busyChanged(busy_ > 0);
}

void ListeningTestPanel::setMessage(const QString& text, bool error)
{
    message_->setText(text);
    message_->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

QString ListeningTestPanel::message() const { return message_->text(); }

ListeningTestPanel::Page ListeningTestPanel::page() const { return Page(pages_->currentIndex()); }

void ListeningTestPanel::setPage(Page p)
{
    pages_->setCurrentIndex(int(p));
    if (p == Page::Trial) pages_->currentWidget()->setFocus();
}

// ------------------------------------------------------------------ setup

void ListeningTestPanel::buildSetupPage()
{
    auto* page = new QWidget(pages_);
    auto* outer = new QHBoxLayout(page);
    auto* setupBox = new QGroupBox(tr("New session"), page);
    auto* form = new QFormLayout(setupBox);
    listener_ = new QLineEdit(setupBox);
    listener_->setPlaceholderText(tr("name or code of the listener"));
    form->addRow(tr("Listener:"), listener_);
    mode_ = new QComboBox(setupBox);
    mode_->addItem(tr("A/B/X similarity (which is more similar to X?)"), QStringLiteral("similarity"));
    mode_->addItem(tr("ABX discrimination (is X = A or B?)"), QStringLiteral("abx"));
    form->addRow(tr("Test:"), mode_);
    focus_ = new QComboBox(setupBox);
    for (const QString& f : FocusSelector::instrumentFocuses()) focus_->addItem(focusLabel(f), f);
    focus_->setCurrentIndex(1);
    form->addRow(tr("Focus:"), focus_);
    trials_ = new QSpinBox(setupBox);
    trials_->setRange(1, 500);
    trials_->setValue(20);
    form->addRow(tr("Trials:"), trials_);
    training_ = new QSpinBox(setupBox);
    training_->setRange(0, 20);
    training_->setValue(2);
    training_->setToolTip(tr("Extra trials first, to get used to the task; they are stored but never counted"));
    form->addRow(tr("Training trials:"), training_);
    excerpt_ = new QDoubleSpinBox(setupBox);
    excerpt_->setRange(2, 60);
    excerpt_->setDecimals(1);
    excerpt_->setValue(10);
    excerpt_->setSuffix(tr(" s"));
    form->addRow(tr("Excerpt length:"), excerpt_);
    seed_ = new QSpinBox(setupBox);
    seed_->setRange(1, 999999);
    seed_->setValue(int(std::random_device{}() % 999999) + 1);
    seed_->setToolTip(tr("The same seed on the same library draws the same sets"));
    form->addRow(tr("Seed:"), seed_);
    reuse_ = new QComboBox(setupBox);
    reuse_->setToolTip(tr("Give this listener exactly the trials of an earlier session (several listeners, same sets)"));
    form->addRow(tr("Sets:"), reuse_);
    startButton_ = new QPushButton(tr("Start session"), setupBox);
    startButton_->setDefault(true);
    connect(startButton_, &QPushButton::clicked, this, &ListeningTestPanel::startSession);
    form->addRow(QString(), startButton_);
    auto* help = new QLabel(tr("<small>Keys during a trial: <b>X</b>, <b>A</b>, <b>B</b> play (switching keeps the "
                               "position), <b>L</b> loop, <b>R</b> replay, <b>S</b> stop, <b>1</b>/<b>2</b> answer A/B, "
                               "<b>C</b> confident, <b>P</b> pause.</small>"),
                            setupBox);
    help->setWordWrap(true);
    form->addRow(help);
    outer->addWidget(setupBox, 2);

    auto* sessionsBox = new QGroupBox(tr("Sessions in this library"), page);
    auto* sl = new QVBoxLayout(sessionsBox);
    sessionsTable_ = new QTableWidget(0, 6, sessionsBox);
    sessionsTable_->setHorizontalHeaderLabels({tr("#"), tr("Listener"), tr("Test"), tr("Focus"), tr("Answered"), tr("Started")});
    sessionsTable_->verticalHeader()->hide();
    sessionsTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
    sessionsTable_->setSelectionMode(QAbstractItemView::SingleSelection);
    sessionsTable_->horizontalHeader()->setStretchLastSection(true);
    sessionsTable_->verticalHeader()->setDefaultSectionSize(sessionsTable_->fontMetrics().height() + 8);
    sessionsTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    sl->addWidget(sessionsTable_);
    auto* row = new QHBoxLayout;
    auto* resume = new QPushButton(tr("Resume"), sessionsBox);
    auto* del = new QPushButton(tr("Delete…"), sessionsBox);
    auto* results = new QPushButton(tr("Results"), sessionsBox);
    row->addWidget(resume);
    row->addWidget(del);
    row->addStretch(1);
    row->addWidget(results);
    sl->addLayout(row);
    connect(resume, &QPushButton::clicked, this, [this] {
        const int r = sessionsTable_->currentRow();
        if (r < 0) return setMessage(tr("Select a session to resume."));
        resumeSession(sessionsTable_->item(r, 0)->data(Qt::UserRole).toLongLong());
    });
    connect(sessionsTable_, &QTableWidget::cellDoubleClicked, this,
            [this](int r, int) { resumeSession(sessionsTable_->item(r, 0)->data(Qt::UserRole).toLongLong()); });
    connect(del, &QPushButton::clicked, this, [this] {
        const int r = sessionsTable_->currentRow();
        auto e = engine();
        if (r < 0 || !e) return;
        const qint64 id = sessionsTable_->item(r, 0)->data(Qt::UserRole).toLongLong();
        if (QMessageBox::question(this, tr("Delete session"), tr("Delete session #%1 and all its answers?").arg(id)) !=
            QMessageBox::Yes)
            return;
        try {
            e->store().deleteSession(id);
        } catch (const std::exception& ex) {
            setMessage(QString::fromStdString(ex.what()), true);
        }
        refreshSessions();
    });
    connect(results, &QPushButton::clicked, this, &ListeningTestPanel::showResults);
    outer->addWidget(sessionsBox, 3);
    pages_->addWidget(page);
}

void ListeningTestPanel::refreshSessions()
{
    sessionsTable_->setRowCount(0);
    const QVariant keep = reuse_->currentData();
    reuse_->clear();
    reuse_->addItem(tr("New random sets"), 0);
    auto e = engine();
    if (!e) {
        setMessage(tr("Open a library with analysed tracks to run a listening test."));
        return;
    }
    std::vector<SessionInfo> sessions;
    try {
        sessions = e->store().sessions();
    } catch (const std::exception& ex) {
        setMessage(QString::fromStdString(ex.what()), true);
        return;
    }
    sessionsTable_->setRowCount(int(sessions.size()));
    for (int r = 0; r < int(sessions.size()); ++r) {
        const auto& s = sessions[size_t(r)];
        auto* id = item(QString::number(s.id), true);
        id->setData(Qt::UserRole, qint64(s.id));
        sessionsTable_->setItem(r, 0, id);
        sessionsTable_->setItem(r, 1, item(QString::fromStdString(s.listener)));
        sessionsTable_->setItem(r, 2, item(s.mode == "abx" ? tr("ABX") : tr("A/B/X")));
        sessionsTable_->setItem(r, 3, item(focusLabel(QString::fromStdString(s.focus))));
        sessionsTable_->setItem(r, 4, item(QStringLiteral("%1 / %2%3").arg(s.answered).arg(s.trials).arg(s.finished() ? QString() : tr(" (open)")), true));
        sessionsTable_->setItem(r, 5, item(QString::fromStdString(s.startedAt).replace('T', ' ').remove('Z')));
        reuse_->addItem(tr("Same sets as #%1 (%2, %3)").arg(s.id).arg(QString::fromStdString(s.listener), focusLabel(QString::fromStdString(s.focus))),
                        qint64(s.id));
    }
    sessionsTable_->resizeColumnsToContents();
    const int i = reuse_->findData(keep);
    reuse_->setCurrentIndex(i < 0 ? 0 : i);
}

void ListeningTestPanel::libraryChanged()
{
    ++generation_;
    stop();
    sessionId_ = 0;
    session_ = {};
    current_ = -1;
    audio_.clear();
    preparing_.clear();
    setPage(Page::Setup);
    setMessage(QString());
    refreshSessions();
}

void ListeningTestPanel::setListener(const QString& name) { listener_->setText(name); }
void ListeningTestPanel::selectFocus(const QString& focus)
{
    const int i = focus_->findData(focus);
    if (i >= 0) focus_->setCurrentIndex(i);
}
void ListeningTestPanel::setAbxMode(bool abx) { mode_->setCurrentIndex(abx ? 1 : 0); }
void ListeningTestPanel::setTrialCount(int trials, int trainingTrials)
{
    trials_->setValue(trials);
    training_->setValue(trainingTrials);
}
void ListeningTestPanel::setExcerptSeconds(double seconds) { excerpt_->setValue(seconds); }
void ListeningTestPanel::setSeed(quint64 seed) { seed_->setValue(int(seed)); }

namespace {
struct SessionLoad {
    qint64 id = 0;
    std::vector<Trial> trials;
    std::vector<Answer> answers;
    double excerptSeconds = 10;
    QString note, error;
};
}  // namespace

void ListeningTestPanel::startSession()
{
    auto e = engine();
    if (!e) return setMessage(tr("No library is open."), true);
    const QString listener = listener_->text().trimmed();
    if (listener.isEmpty()) {
        listener_->setFocus();
        return setMessage(tr("Enter the listener's name (or a code) first."), true);
    }
    NewSessionRequest req;
    req.spec.listener = listener.toStdString();
    req.spec.mode = mode_->currentData().toString() == QLatin1String("abx") ? Mode::Abx : Mode::Similarity;
    req.spec.focus = focusFromName(focus_->currentData().toString().toStdString()).value_or(Focus::Mix);
    req.spec.seed = quint64(seed_->value());
    req.spec.excerptSeconds = excerpt_->value();
    req.trials = trials_->value();
    req.trainingTrials = training_->value();
    req.reuseSetsOf = reuse_->currentData().toLongLong();
    startButton_->setEnabled(false);
    setMessage(tr("Drawing the sets…"));
    runAsync<SessionLoad>(
        [e, req] {
            SessionLoad l;
            auto r = e->createSession(req);
            l.id = r.sessionId;
            l.trials = std::move(r.trials);
            l.note = QString::fromStdString(r.message);
            if (!l.id) l.error = l.note.isEmpty() ? QStringLiteral("could not create the session") : l.note;
            if (auto info = e->store().session(l.id)) l.excerptSeconds = info->excerptSeconds;
            return l;
        },
        [this](const SessionLoad& l) {
            startButton_->setEnabled(true);
            if (!l.error.isEmpty()) return setMessage(tr("Cannot start: %1").arg(l.error), true);
            enterSession(l.id, l.trials, l.answers, l.excerptSeconds, l.note);
        });
}

void ListeningTestPanel::resumeSession(qint64 id)
{
    auto e = engine();
    if (!e) return;
    runAsync<SessionLoad>(
        [e, id] {
            SessionLoad l;
            l.id = id;
            l.trials = e->store().trials(id);
            l.answers = e->store().answers(id);
            if (auto info = e->store().session(id)) l.excerptSeconds = info->excerptSeconds;
            if (l.trials.empty()) l.error = QStringLiteral("session %1 has no trials").arg(id);
            return l;
        },
        [this](const SessionLoad& l) {
            if (!l.error.isEmpty()) return setMessage(l.error, true);
            enterSession(l.id, l.trials, l.answers, l.excerptSeconds, QString());
        });
}

void ListeningTestPanel::enterSession(qint64 id, std::vector<Trial> trials, std::vector<Answer> answers,
                                      double excerptSeconds, const QString& note)
{
    ++generation_;
    sessionId_ = id;
    session_ = ListeningSession(std::move(trials), answers);
    excerptSeconds_ = excerptSeconds;
    audio_.clear();
    preparing_.clear();
    excerptDir_ = std::make_unique<QTemporaryDir>();
    audioProblem_.clear();
    if (player_) {
        const auto r = player_->checkOutput();
        if (!r) audioProblem_ = QString::fromStdString(r.error);
    } else {
        audioProblem_ = QString::fromLatin1(kNoAudioDeviceError);
    }
    refreshSessions();
    if (session_.done()) {
        showResults();
        setMessage(tr("Session #%1 is complete.").arg(id));
        return;
    }
    setMessage(note);
    // Stems the library has not separated yet (they come after the analysis): separate them first;
    // the first trial starts when that job ends, however it ends (the mix, said so, if no stem).
    stemsJob_ = 0;
    QSet<qint64> tracks;
    for (int i = 0; i < session_.total(); ++i) {
        const Trial& t = session_.trial(i);
        if (t.focus == Focus::Mix) continue;
        tracks << t.x << t.a << t.b;
    }
    if (backend_ && !tracks.isEmpty()) {
        stemsJob_ = backend_->prepareListeningStems(QVector<qint64>(tracks.begin(), tracks.end()), true, nullptr);
        if (stemsJob_ != 0) {
            setMessage(tr("Separating the session's %n track(s) so that their stems can be played…", nullptr, int(tracks.size())));
            return;
        }
    }
    showTrial();
}

void ListeningTestPanel::onJobFinished(quint64 id)
{
    if (id == 0 || id != stemsJob_) return;
    stemsJob_ = 0;
    if (sessionId_ && !session_.done()) {
        setMessage({});
        showTrial();
    }
}

// ------------------------------------------------------------------ trial

void ListeningTestPanel::buildTrialPage()
{
    auto* page = new QWidget(pages_);
    page->setFocusPolicy(Qt::StrongFocus);
    auto* v = new QVBoxLayout(page);
    v->setSpacing(10);
    trialTitle_ = new QLabel(page);
    QFont tf = trialTitle_->font();
    tf.setPointSizeF(tf.pointSizeF() * 1.3);
    tf.setBold(true);
    trialTitle_->setFont(tf);
    v->addWidget(trialTitle_);
    question_ = new QLabel(page);
    question_->setWordWrap(true);
    QFont qf = question_->font();
    qf.setPointSizeF(qf.pointSizeF() * 1.15);
    question_->setFont(qf);
    v->addWidget(question_);
    v->addStretch(1);

    auto* players = new QHBoxLayout;
    players->addStretch(1);
    playX_ = bigButton(tr("X"), page);
    playA_ = bigButton(tr("A"), page);
    playB_ = bigButton(tr("B"), page);
    playX_->setToolTip(tr("Play the reference X (key X)"));
    playA_->setToolTip(tr("Play A (key A)"));
    playB_->setToolTip(tr("Play B (key B)"));
    players->addWidget(playX_);
    players->addSpacing(24);
    players->addWidget(playA_);
    players->addWidget(playB_);
    players->addStretch(1);
    v->addLayout(players);
    connect(playX_, &QPushButton::clicked, this, [this] { play(QStringLiteral("X")); });
    connect(playA_, &QPushButton::clicked, this, [this] { play(QStringLiteral("A")); });
    connect(playB_, &QPushButton::clicked, this, [this] { play(QStringLiteral("B")); });

    position_ = new QProgressBar(page);
    position_->setRange(0, 1000);
    position_->setTextVisible(false);
    position_->setMaximumHeight(8);
    position_->setFixedWidth(520);
    v->addWidget(position_, 0, Qt::AlignHCenter);

    auto* transport = new QHBoxLayout;
    loop_ = new QCheckBox(tr("&Loop (L)"), page);
    loop_->setChecked(true);
    loop_->setFocusPolicy(Qt::NoFocus);
    auto* replay = new QPushButton(tr("Replay (R)"), page);
    auto* stopB = new QPushButton(tr("Stop (S)"), page);
    for (auto* b : {replay, stopB}) b->setFocusPolicy(Qt::NoFocus);
    connect(replay, &QPushButton::clicked, this, [this] {
        const QString slot = playingSlot_.isEmpty() ? QStringLiteral("X") : playingSlot_;
        stop();
        play(slot);
    });
    connect(stopB, &QPushButton::clicked, this, &ListeningTestPanel::stop);
    transport->addStretch(1);
    transport->addWidget(loop_);
    transport->addWidget(replay);
    transport->addWidget(stopB);
    transport->addStretch(1);
    v->addLayout(transport);

    v->addSpacing(12);
    auto* answers = new QHBoxLayout;
    answers->addStretch(1);
    answerA_ = new QPushButton(page);
    answerB_ = new QPushButton(page);
    for (auto* b : {answerA_, answerB_}) {
        b->setMinimumSize(200, 48);
        b->setFocusPolicy(Qt::NoFocus);
        answers->addWidget(b);
    }
    answers->addStretch(1);
    v->addLayout(answers);
    connect(answerA_, &QPushButton::clicked, this, [this] { answer(QStringLiteral("A")); });
    connect(answerB_, &QPushButton::clicked, this, [this] { answer(QStringLiteral("B")); });
    auto* conf = new QHBoxLayout;
    conf->addStretch(1);
    confident_ = new QCheckBox(tr("I am &confident (C)"), page);
    confident_->setFocusPolicy(Qt::NoFocus);
    conf->addWidget(confident_);
    conf->addStretch(1);
    v->addLayout(conf);

    trialNote_ = new QLabel(page);
    trialNote_->setWordWrap(true);
    trialNote_->setAlignment(Qt::AlignCenter);
    v->addWidget(trialNote_);
    v->addStretch(2);

    auto* bottom = new QHBoxLayout;
    progress_ = new QProgressBar(page);
    progress_->setFormat(tr("%v of %m answered"));
    bottom->addWidget(progress_, 1);
    auto* pauseB = new QPushButton(tr("Pause (P)"), page);
    pauseB->setFocusPolicy(Qt::NoFocus);
    pauseB->setToolTip(tr("Back to the setup; resume the session later from the session list"));
    connect(pauseB, &QPushButton::clicked, this, &ListeningTestPanel::pause);
    bottom->addWidget(pauseB);
    v->addLayout(bottom);
    pages_->addWidget(page);
}

void ListeningTestPanel::buildShortcuts()
{
    QWidget* trialPage = pages_->widget(int(Page::Trial));
    auto key = [&](QKeySequence seq, std::function<void()> f) {
        auto* s = new QShortcut(seq, trialPage);
        s->setContext(Qt::WidgetWithChildrenShortcut);
        connect(s, &QShortcut::activated, this, f);
    };
    key(QKeySequence(Qt::Key_X), [this] { play(QStringLiteral("X")); });
    key(QKeySequence(Qt::Key_A), [this] { play(QStringLiteral("A")); });
    key(QKeySequence(Qt::Key_B), [this] { play(QStringLiteral("B")); });
    key(QKeySequence(Qt::Key_L), [this] { loop_->toggle(); });
    key(QKeySequence(Qt::Key_R), [this] {
        const QString slot = playingSlot_.isEmpty() ? QStringLiteral("X") : playingSlot_;
        stop();
        play(slot);
    });
    key(QKeySequence(Qt::Key_S), [this] { stop(); });
    key(QKeySequence(Qt::Key_1), [this] { answer(QStringLiteral("A")); });
    key(QKeySequence(Qt::Key_2), [this] { answer(QStringLiteral("B")); });
    key(QKeySequence(Qt::Key_C), [this] { confident_->toggle(); });
    key(QKeySequence(Qt::Key_P), [this] { pause(); });
}

void ListeningTestPanel::showTrial()
{
    current_ = session_.current();
    if (current_ < 0) return;
    const Trial& t = session_.trial(current_);
    const int training = session_.trainingCount();
    const QString focus = QString::fromLatin1(focusName(t.focus));
    if (t.training)
        trialTitle_->setText(tr("Training %1 of %2 · not counted").arg(current_ + 1).arg(training));
    else
        trialTitle_->setText(tr("Trial %1 of %2").arg(current_ + 1 - training).arg(session_.total() - training));
    if (t.mode == Mode::Abx) {
        question_->setText(tr("X is the same excerpt as A or as B (listening to the %1). Which one?")
                               .arg(t.focus == Focus::Mix ? tr("whole mix") : focusLabel(focus).toLower()));
        answerA_->setText(tr("X is A  (1)"));
        answerB_->setText(tr("X is B  (2)"));
    } else {
        question_->setText(t.focus == Focus::Mix
                               ? tr("Which of A and B sounds more similar to X as a whole (the full mix)?")
                               : tr("Listening to the %1 only: which of A and B is more similar to X?")
                                     .arg(focusLabel(focus).toLower()));
        answerA_->setText(tr("A more similar  (1)"));
        answerB_->setText(tr("B more similar  (2)"));
    }
    confident_->setChecked(false);
    progress_->setRange(0, session_.total());
    progress_->setValue(session_.answeredCount());
    if (!t.training && current_ == training && training > 0)
        setMessage(tr("Training round over: from now on every answer counts."));
    playingSlot_.clear();
    updatePlayButtons();
    setPage(Page::Trial);
    trialClock_.restart();
    prepareAudio(current_);
    if (current_ + 1 < session_.total()) prepareAudio(current_ + 1);
    trialNote_->setText(audio_.contains(current_) ? audio_[current_].note : tr("Preparing excerpts…"));
    if (!audioProblem_.isEmpty())
        trialNote_->setText(trialNote_->text() + QStringLiteral("\n") +
                            tr("Audio output unavailable (%1): nothing can be heard, but the trials can still be "
                               "answered.").arg(audioProblem_));
}

namespace {
struct AudioResult {
    int index = 0;
    TrialAudio audio;
    QString error;
};
}  // namespace

void ListeningTestPanel::prepareAudio(int index)
{
    if (audio_.contains(index) || preparing_.contains(index)) return;
    auto e = engine();
    if (!e || !excerptDir_) return;
    preparing_.insert(index);
    const Trial t = session_.trial(index);
    const double seconds = excerptSeconds_;
    const std::string dir = excerptDir_->path().toStdString();
    runAsync<AudioResult>(
        [e, t, seconds, dir, index] {
            AudioResult r;
            r.index = index;
            r.audio = e->prepareTrial(t, seconds, dir);
            return r;
        },
        [this, index](const AudioResult& r) {
            preparing_.remove(index);
            Audio a;
            a.x = QString::fromStdString(r.audio.x);
            a.a = QString::fromStdString(r.audio.a);
            a.b = QString::fromStdString(r.audio.b);
            a.note = QString::fromStdString(r.audio.note);
            a.error = r.error;
            if (!a.error.isEmpty()) a.note = tr("Could not prepare the excerpts: %1").arg(a.error);
            audio_.insert(index, a);
            if (index != current_ || page() != Page::Trial) return;
            QString note = a.note;
            if (!audioProblem_.isEmpty())
                note += (note.isEmpty() ? QString() : QStringLiteral("\n")) +
                        tr("Audio output unavailable (%1): nothing can be heard, but the trials can still be answered.")
                            .arg(audioProblem_);
            trialNote_->setText(note);
            if (a.error.isEmpty() && audioProblem_.isEmpty() && playingSlot_.isEmpty()) play(QStringLiteral("X"));
        });
}

void ListeningTestPanel::play(const QString& slot)
{
    if (page() != Page::Trial || current_ < 0) return;
    playingSlot_ = slot;
    updatePlayButtons();
    auto it = audio_.constFind(current_);
    if (it == audio_.constEnd() || !it->error.isEmpty()) return; // plays once ready (X), or cannot
    const QString file = slot == QLatin1String("A") ? it->a : slot == QLatin1String("B") ? it->b : it->x;
    if (!player_ || !audioProblem_.isEmpty()) return;
    // Instant switching: the other excerpt continues from the same position.
    double pos = 0;
    const QString now = QString::fromStdString(player_->currentPath());
    if (wantPlaying_ && player_->isPlaying() && (now == it->a || now == it->b || now == it->x)) pos = player_->positionSeconds();
    if (pos >= excerptSeconds_ - 0.05) pos = 0;
    const auto r = player_->playFile(file.toStdString(), pos);
    wantPlaying_ = bool(r);
    if (!r) {
        audioProblem_ = QString::fromStdString(r.error);
        trialNote_->setText(tr("Audio output unavailable (%1): nothing can be heard, but the trials can still be answered.")
                                .arg(audioProblem_));
    }
}

void ListeningTestPanel::stop()
{
    if (player_ && wantPlaying_) player_->stop();
    wantPlaying_ = false;
    playingSlot_.clear();
    updatePlayButtons();
    if (position_) position_->setValue(0);
}

void ListeningTestPanel::updatePlayButtons()
{
    playX_->setChecked(playingSlot_ == QLatin1String("X"));
    playA_->setChecked(playingSlot_ == QLatin1String("A"));
    playB_->setChecked(playingSlot_ == QLatin1String("B"));
}

void ListeningTestPanel::onTick()
{
    if (!wantPlaying_ || !player_) return;
    if (player_->isPlaying()) {
        const double len = player_->lengthSeconds();
        position_->setValue(len > 0 ? int(1000 * player_->positionSeconds() / len) : 0);
        return;
    }
    // Reached the end by itself (or the window played something else: then leave it alone).
    const auto it = audio_.constFind(current_);
    const QString now = QString::fromStdString(player_->currentPath());
    const bool ours = it != audio_.constEnd() && (now == it->x || now == it->a || now == it->b);
    if (ours && loop_->isChecked() && !playingSlot_.isEmpty()) {
        wantPlaying_ = false;
        const QString slot = playingSlot_;
        play(slot);
    } else {
        wantPlaying_ = false;
        playingSlot_.clear();
        updatePlayButtons();
        position_->setValue(0);
    }
}

void ListeningTestPanel::answer(const QString& ab)
{
    if (page() != Page::Trial || current_ < 0 || (ab != QLatin1String("A") && ab != QLatin1String("B"))) return;
    auto e = engine();
    if (!e) return setMessage(tr("The library is no longer open."), true);
    Answer a;
    a.trialIndex = current_;
    a.answer = ab.toStdString();
    a.confident = confident_->isChecked();
    a.responseMs = trialClock_.elapsed();
    // Committed right here, in its own transaction (a few ms): a crash after this loses nothing.
    try {
        e->store().saveAnswer(sessionId_, session_.trial(current_), a);
        session_.record(a);
    } catch (const std::exception& ex) {
        return setMessage(tr("The answer could not be saved: %1").arg(QString::fromStdString(ex.what())), true);
    }
    stop();
    const int answered = current_;
    audio_.remove(answered);
    Q_EMIT answerSaved(answered);
    if (session_.done()) {
        try {
            e->store().finishSession(sessionId_);
        } catch (const std::exception&) {
        }
        current_ = -1;
        refreshSessions();
        Q_EMIT sessionFinished(sessionId_);
        showResults();
        setMessage(tr("Session #%1 complete: thank you! %2 answers saved.").arg(sessionId_).arg(session_.answeredCount()));
        return;
    }
    if (!session_.trial(answered).training || session_.trial(session_.current()).training) setMessage(QString());
    showTrial();
}

void ListeningTestPanel::pause()
{
    if (page() != Page::Trial) return;
    stop();
    setMessage(tr("Session #%1 paused after %2 of %3 answers: select it and press Resume to go on.")
                   .arg(sessionId_)
                   .arg(session_.answeredCount())
                   .arg(session_.total()));
    refreshSessions();
    setPage(Page::Setup);
}

// ------------------------------------------------------------------ results

void ListeningTestPanel::buildResultsPage()
{
    auto* page = new QWidget(pages_);
    auto* v = new QVBoxLayout(page);
    auto* top = new QHBoxLayout;
    auto* back = new QPushButton(tr("← Sessions"), page);
    connect(back, &QPushButton::clicked, this, [this] {
        refreshSessions();
        setPage(Page::Setup);
    });
    top->addWidget(back);
    top->addWidget(new QLabel(tr("Test:"), page));
    resultsMode_ = new QComboBox(page);
    resultsMode_->addItem(tr("A/B/X similarity: answers agreeing with the model"), QStringLiteral("similarity"));
    resultsMode_->addItem(tr("ABX discrimination: correct answers"), QStringLiteral("abx"));
    connect(resultsMode_, &QComboBox::currentIndexChanged, this, [this] { showResults(); });
    top->addWidget(resultsMode_);
    top->addStretch(1);
    auto* csv = new QPushButton(tr("Export CSV…"), page);
    auto* json = new QPushButton(tr("Export JSON…"), page);
    top->addWidget(csv);
    top->addWidget(json);
    v->addLayout(top);
    auto exportDialog = [this](const QString& ext) {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export listening test"),
                                                          QStringLiteral("listening-test.") + ext,
                                                          ext == QLatin1String("csv") ? tr("CSV (*.csv)") : tr("JSON (*.json)"));
        if (path.isEmpty()) return;
        QString error;
        if (exportTo(path, &error)) setMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
        else setMessage(error, true);
    };
    connect(csv, &QPushButton::clicked, this, [exportDialog] { exportDialog(QStringLiteral("csv")); });
    connect(json, &QPushButton::clicked, this, [exportDialog] { exportDialog(QStringLiteral("json")); });

    resultsSummary_ = new QLabel(page);
    resultsSummary_->setWordWrap(true);
    v->addWidget(resultsSummary_);

    auto* split = new QSplitter(Qt::Horizontal, page);
    auto* left = new QWidget(split);
    auto* lv = new QVBoxLayout(left);
    lv->setContentsMargins(0, 0, 0, 0);
    resultsTable_ = new QTableWidget(0, 7, left);
    resultsTable_->setObjectName(QStringLiteral("listeningResults"));
    resultsTable_->setHorizontalHeaderLabels(
        {tr("Focus"), tr("Answers"), tr("Agree"), tr("Proportion"), tr("95 % CI (Wilson)"), tr("p (binomial)"), tr("Confident")});
    resultsTable_->verticalHeader()->hide();
    lv->addWidget(new QLabel(tr("<b>Per focus</b> (training trials excluded)"), left));
    lv->addWidget(resultsTable_, 0);
    listenerTable_ = new QTableWidget(0, 6, left);
    listenerTable_->setObjectName(QStringLiteral("listeningListeners"));
    listenerTable_->setHorizontalHeaderLabels({tr("Listener"), tr("Focus"), tr("Answers"), tr("Proportion"), tr("95 % CI"), tr("p")});
    listenerTable_->verticalHeader()->hide();
    lv->addWidget(new QLabel(tr("<b>Per listener</b>"), left));
    lv->addWidget(listenerTable_, 1);
    for (auto* t : {resultsTable_, listenerTable_}) {
        t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 8);
        t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    }

    auto* chart = new QChart;
    chart->setTitle(tr("Answers by focus and confidence"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart_ = new QChartView(chart, split);
    chart_->setRenderHint(QPainter::Antialiasing);
    chart_->setMinimumWidth(460);
    split->addWidget(left);
    split->addWidget(chart_);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({530, 570});
    v->addWidget(split, 1);
    pages_->addWidget(page);
}

namespace {
struct ResultsLoad {
    ListeningResults results;
    QString error;
};
}  // namespace

void ListeningTestPanel::showResults()
{
    stop();
    setMessage(QString());
    setPage(Page::Results);
    auto e = engine();
    if (!e) return setMessage(tr("No library is open."), true);
    const std::string mode = resultsMode_->currentData().toString().toStdString();
    runAsync<ResultsLoad>(
        [e, mode] {
            ResultsLoad l;
            l.results = computeResults(e->store().scoredAnswers(mode));
            return l;
        },
        [this](const ResultsLoad& l) {
            if (!l.error.isEmpty()) return setMessage(l.error, true);
            const auto& r = l.results;
            const bool abx = resultsMode_->currentIndex() == 1;
            // Built-in focus order first, then anything else.
            QStringList order;
            for (const QString& f : FocusSelector::builtinFocuses())
                if (r.byFocus.count(f.toStdString())) order << f;
            for (const auto& [f, s] : r.byFocus)
                if (!order.contains(QString::fromStdString(f))) order << QString::fromStdString(f);
            resultsTable_->setRowCount(order.size() + (order.size() > 1 ? 1 : 0));
            auto fillRow = [&](int row, const QString& name, const ProportionSummary& s) {
                resultsTable_->setItem(row, 0, item(name));
                resultsTable_->setItem(row, 1, item(QString::number(s.n), true));
                resultsTable_->setItem(row, 2, item(QString::number(s.agree), true));
                resultsTable_->setItem(row, 3, item(pct(s.proportion), true));
                resultsTable_->setItem(row, 4, item(QStringLiteral("%1 – %2").arg(pct(s.ci.low), pct(s.ci.high)), true));
                resultsTable_->setItem(row, 5, item(pValueText(s.pValue) + (s.pValue < 0.05 ? QStringLiteral(" *") : QString()), true));
                resultsTable_->setItem(row, 6, item(QString::number(s.agreeConfident + s.disagreeConfident), true));
            };
            for (int i = 0; i < order.size(); ++i) fillRow(i, focusLabel(order[i]), r.byFocus.at(order[i].toStdString()));
            if (order.size() > 1) fillRow(order.size(), tr("All"), r.overall);
            resultsTable_->resizeColumnsToContents();
            resultsTable_->setFixedHeight(resultsTable_->horizontalHeader()->height() +
                                          resultsTable_->verticalHeader()->defaultSectionSize() * std::max(1, resultsTable_->rowCount()) +
                                          2 * resultsTable_->frameWidth() + 2);

            int rows = 0;
            for (const auto& [listener, m] : r.byListenerFocus) rows += int(m.size()) + (m.size() > 1 ? 1 : 0);
            listenerTable_->setRowCount(rows);
            int row = 0;
            auto listenerRow = [&](const QString& who, const QString& focus, const ProportionSummary& s) {
                listenerTable_->setItem(row, 0, item(who));
                listenerTable_->setItem(row, 1, item(focus));
                listenerTable_->setItem(row, 2, item(QString::number(s.n), true));
                listenerTable_->setItem(row, 3, item(QStringLiteral("%1 (%2)").arg(pct(s.proportion)).arg(s.agree), true));
                listenerTable_->setItem(row, 4, item(QStringLiteral("%1 – %2").arg(pct(s.ci.low), pct(s.ci.high)), true));
                listenerTable_->setItem(row, 5, item(pValueText(s.pValue), true));
                ++row;
            };
            for (const auto& [listener, m] : r.byListenerFocus) {
                const QString who = QString::fromStdString(listener);
                for (const QString& f : order)
                    if (auto it = m.find(f.toStdString()); it != m.end()) listenerRow(who, focusLabel(f), it->second);
                if (m.size() > 1) listenerRow(who, tr("All"), r.byListener.at(listener));
            }
            listenerTable_->resizeColumnsToContents();

            // The paper's Fig. 5: per focus, stacked shares of the answers by agreement and confidence.
            QChart* chart = chart_->chart();
            chart->removeAllSeries();
            for (auto* axis : chart->axes()) {
                chart->removeAxis(axis);
                delete axis;
            }
            auto* series = new QStackedBarSeries;
            const QString yes = abx ? tr("correct") : tr("agree");
            const QString no = abx ? tr("wrong") : tr("disagree");
            auto* s1 = new QBarSet(yes + tr(", sure"));
            auto* s2 = new QBarSet(yes + tr(", unsure"));
            auto* s3 = new QBarSet(no + tr(", unsure"));
            auto* s4 = new QBarSet(no + tr(", sure"));
            s1->setColor(QColor(0x1b, 0x5e, 0x20));
            s2->setColor(QColor(0x81, 0xc7, 0x84));
            s3->setColor(QColor(0xef, 0x9a, 0x9a));
            s4->setColor(QColor(0xc6, 0x28, 0x28));
            QStringList categories;
            for (const QString& f : order) {
                const auto& s = r.byFocus.at(f.toStdString());
                const double n = std::max(1, s.n);
                *s1 << 100.0 * s.agreeConfident / n;
                *s2 << 100.0 * s.agreeUnsure / n;
                *s3 << 100.0 * s.disagreeUnsure / n;
                *s4 << 100.0 * s.disagreeConfident / n;
                categories << focusLabel(f);
            }
            series->append({s1, s2, s3, s4});
            chart->addSeries(series);
            auto* x = new QBarCategoryAxis;
            x->append(categories);
            auto* y = new QValueAxis;
            y->setRange(0, 100);
            y->setLabelFormat(QStringLiteral("%d %%"));
            y->setTitleText(tr("share of answers"));
            chart->addAxis(x, Qt::AlignBottom);
            chart->addAxis(y, Qt::AlignLeft);
            series->attachAxis(x);
            series->attachAxis(y);

            if (r.overall.n == 0)
                resultsSummary_->setText(tr("No counted answers yet for this test. Training trials are never counted."));
            else
                resultsSummary_->setText(
                    tr("%1 counted answers from %2 listener(s): %3 %4 (95 % CI %5 – %6, two-sided exact binomial test "
                       "against chance: p %7).")
                        .arg(r.overall.n)
                        .arg(r.byListener.size())
                        .arg(pct(r.overall.proportion), abx ? tr("correct") : tr("agree with the model"), pct(r.overall.ci.low),
                             pct(r.overall.ci.high), r.overall.pValue < 0.001 ? QStringLiteral("< 0.001") : QStringLiteral("= ") + pValueText(r.overall.pValue)));
        });
}

bool ListeningTestPanel::exportTo(const QString& path, QString* error)
{
    auto e = engine();
    if (!e) {
        if (error) *error = tr("No library is open.");
        return false;
    }
    std::string text;
    try {
        text = path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive) ? e->store().exportJson() : e->store().exportCsv();
    } catch (const std::exception& ex) {
        if (error) *error = QString::fromStdString(ex.what());
        return false;
    }
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(text.data(), qint64(text.size())) != qint64(text.size())) {
        if (error) *error = tr("Could not write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

}  // namespace stemscope::ui
