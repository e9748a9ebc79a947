#include "TrainingWizard.h"

#include <QApplication>
#include <QButtonGroup>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDate>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineEdit>
#include <QLineSeries>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <cmath>
#include <filesystem>

#include "LibraryBackend.h"
#include "analysis/EmbedderRegistry.h"
#include "instrsim/FeatureSet.h"
#include "separation/Separator.h"
#if __has_include("separation/TorchSeparator.h")
#include "separation/TorchSeparator.h"
#define STEMSCOPE_WIZARD_HAVE_SEPARATOR 1
#endif

namespace stemscope::ui {
using namespace stemscope::training;

namespace {
// A wizard page whose completeness and set-up are supplied by the wizard.
class Page : public QWizardPage {
public:
    std::function<bool()> complete;
    std::function<void()> init;
    bool isComplete() const override { return complete ? complete() : QWizardPage::isComplete(); }
    void initializePage() override
    {
        if (init) init();
    }
    void changed() { Q_EMIT completeChanged(); }
};

Page* asPage(QWizardPage* p) { return static_cast<Page*>(p); }

QString fmtSeconds(double s)
{
    if (!std::isfinite(s) || s < 0) return QStringLiteral("–");
    const int t = int(std::lround(s));
    if (t >= 3600) return QObject::tr("%1 h %2 min").arg(t / 3600).arg((t % 3600) / 60);
    if (t >= 60) return QObject::tr("%1 min %2 s").arg(t / 60).arg(t % 60);
    return QObject::tr("%1 s").arg(t);
}

QString fmtScore(double x) { return std::isfinite(x) ? QString::number(x, 'f', 3) : QStringLiteral("–"); }

QLabel* note(const QString& text)
{
    auto* l = new QLabel(text);
    l->setWordWrap(true);
    l->setTextFormat(Qt::PlainText);
    return l;
}
}  // namespace

TrainingWizard::TrainingWizard(LibraryBackend* backend, Options options, QWidget* parent)
    : QWizard(parent), backend_(backend), options_(std::move(options))
{
    setWindowTitle(tr("Train a Model"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnLastPage, true);
    setOption(QWizard::HaveHelpButton, false);
    if (options_.modelsRoot.isEmpty()) options_.modelsRoot = QString::fromStdString(defaultModelsRoot());
    if (options_.userModelsRoot.isEmpty()) options_.userModelsRoot = QString::fromStdString(userModelsRoot());
    if (options_.libraryPath.isEmpty() && backend_) options_.libraryPath = backend_->path();
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    pause_ = std::make_shared<std::atomic<bool>>(false);

    setPage(DataPageId, buildDataPage());
    setPage(ModelPageId, buildModelPage());
    setPage(SplitPageId, buildSplitPage());
    setPage(RunPageId, buildRunPage());
    setPage(ResultPageId, buildResultPage());
    setStartId(DataPageId);
    resize(820, 640);
    updateModeWidgets();
    updateDataSummary();
}

TrainingWizard::~TrainingWizard()
{
    if (trainingWatcher_ && trainingWatcher_->isRunning()) {
        *cancel_ = true;
        trainingWatcher_->waitForFinished();
    }
    if (validationWatcher_ && validationWatcher_->isRunning()) validationWatcher_->waitForFinished();
}

void TrainingWizard::done(int result)
{
    if (isTraining()) {
        const auto answer = QMessageBox::question(
            this, tr("Training is running"),
            tr("Stop the training? The last finished epoch is kept as a checkpoint: running the same job again "
               "resumes from it."));
        if (answer != QMessageBox::Yes) return;
        *cancel_ = true;
        trainingWatcher_->waitForFinished();
    }
    QWizard::done(result);
}

bool TrainingWizard::isTraining() const { return trainingWatcher_ && trainingWatcher_->isRunning(); }

// ------------------------------------------------------------------------------------ data page
QWizardPage* TrainingWizard::buildDataPage()
{
    auto* page = new Page;
    page->setTitle(tr("Data"));
    page->setSubTitle(tr("Where the songs come from. Training learns from songs, so it needs several of them."));
    auto* v = new QVBoxLayout(page);
    multitrack_ = new QRadioButton(tr("A multitrack folder: one folder per song with its stems"));
    multitrack_->setToolTip(tr("Each song folder holds mix.*, drums.*, bass.*, piano.*, guitar.* (FLAC, WAV, Ogg). "
                               "For ranked-list training, a tags.txt (style=funk, tempo=fast) or meta.json per song."));
    mixes_ = new QRadioButton(tr("Mixes only: separate them into stems first"));
    mixes_->setToolTip(tr("One audio file per song (or song folders with mix.*). Needs an installed separator model."));
    libraryTags_ = new QRadioButton(tr("The library and its tags (ranked lists)"));
    libraryTags_->setToolTip(tr("The open library's tracks (with the stems it knows) and their tags (genre, style, "
                                "tags): linked into a training folder, nothing is copied."));
    auto* group = new QButtonGroup(page);
    for (auto* b : {multitrack_, mixes_, libraryTags_}) {
        group->addButton(b);
        v->addWidget(b);
    }
    multitrack_->setChecked(true);

    auto* row = new QHBoxLayout;
    dataEdit_ = new QLineEdit(options_.dataDir);
    dataEdit_->setPlaceholderText(tr("Folder with one sub-folder per song"));
    auto* browse = new QPushButton(tr("Browse…"));
    row->addWidget(new QLabel(tr("Folder:")));
    row->addWidget(dataEdit_, 1);
    row->addWidget(browse);
    v->addSpacing(8);
    v->addLayout(row);
    dataSummary_ = note({});
    v->addWidget(dataSummary_);
    skipIncomplete_ = new QCheckBox(tr("Leave out songs whose stem is missing, silent or unreadable"));
    skipIncomplete_->setChecked(true);
    skipIncomplete_->setToolTip(tr("Unchecked: any such song stops the job, so you can fix the collection first."));
    v->addWidget(skipIncomplete_);
    v->addStretch(1);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Songs folder"), dataEdit_->text());
        if (!d.isEmpty()) dataEdit_->setText(d);
    });
    connect(dataEdit_, &QLineEdit::textChanged, this, [this, page] {
        updateDataSummary();
        page->changed();
    });
    for (auto* b : {multitrack_, mixes_, libraryTags_})
        connect(b, &QRadioButton::toggled, this, [this, page] {
            updateDataSummary();
            page->changed();
        });
    page->complete = [this] {
        return libraryTags_->isChecked() ? !options_.libraryPath.isEmpty() : QDir(dataEdit_->text()).exists();
    };
    return page;
}

void TrainingWizard::updateDataSummary()
{
    if (!dataSummary_) return;
    dataEdit_->setEnabled(!libraryTags_->isChecked());
    if (libraryTags_->isChecked()) {
        dataSummary_->setText(options_.libraryPath.isEmpty()
                                  ? tr("No library is open.")
                                  : tr("The tracks of %1%2 are linked into a training folder with the stems the "
                                       "library knows and their tags (genre, style, tags). Ranked lists need tags.")
                                        .arg(QDir::toNativeSeparators(options_.libraryPath),
                                             backend_ ? tr(" (%n track(s))", nullptr, int(backend_->tracks().size()))
                                                      : QString()));
        return;
    }
    const QString dir = dataEdit_->text();
    if (dir.isEmpty() || !QDir(dir).exists()) {
        dataSummary_->setText(tr("Choose a folder."));
        return;
    }
    if (mixes_->isChecked()) {
        const bool have = bool(separator());
        dataSummary_->setText(have ? tr("The mixes will be separated with the installed separator first.")
                                   : tr("No separator model is installed, so mixes cannot be used: training needs "
                                        "stems. Choose a multitrack folder."));
        return;
    }
    const auto songs = listCorpusSongs(dir.toStdString());
    dataSummary_->setText(songs.empty() ? tr("No song folders found here.")
                                        : tr("%n song folder(s) found. The next pages check their stems.", nullptr,
                                             int(songs.size())));
}

std::shared_ptr<const Separator> TrainingWizard::separator()
{
    if (!options_.separator && !separatorLooked_) {
        separatorLooked_ = true;
#ifdef STEMSCOPE_WIZARD_HAVE_SEPARATOR
        options_.separator = loadDefaultSeparator();
#endif
    }
    return options_.separator;
}

// ----------------------------------------------------------------------------------- model page
QWizardPage* TrainingWizard::buildModelPage()
{
    auto* page = new Page;
    page->setTitle(tr("Model"));
    page->setSubTitle(tr("What the model listens to and how it learns. The defaults suit a few hundred songs."));
    auto* pageLayout = new QVBoxLayout(page);
    auto* outer = new QHBoxLayout;
    pageLayout->addLayout(outer);
    pageLayout->addWidget(note(tr("Hover over a setting for what it does. Training time grows with the number of "
                                  "songs, the segments per song, the epochs and the network width; the training "
                                  "page shows the time left after the first epoch.")));
    pageLayout->addStretch(1);

    auto* what = new QGroupBox(tr("What to learn"));
    auto* f1 = new QFormLayout(what);
    focus_ = new QComboBox;
    for (Focus f : kInstrumentFocuses) focus_->addItem(QString::fromLatin1(focusName(f)), QString::fromLatin1(focusName(f)));
    focus_->setToolTip(tr("The instrument the model listens to: its stem of every song (the mix for 'mix')."));
    mode_ = new QComboBox;
    mode_->addItem(tr("Track-based triplets"), QString::fromLatin1(trainModeName(TrainMode::TrackTriplets)));
    mode_->addItem(tr("Ranked lists (tags)"), QString::fromLatin1(trainModeName(TrainMode::RankedList)));
    mode_->setToolTip(tr("Track-based triplets: two segments of one song are closer than segments of two songs "
                         "(no tags needed; the model the analysis uses).\nRanked lists: the model learns to rank "
                         "songs like their tags do (needs tags; an experimental research model)."));
    frontEnd_ = new QComboBox;
    frontEnd_->addItem(tr("Log-mel (64 bands, 3 s)"), QStringLiteral("mel"));
    frontEnd_->addItem(tr("CQT (96 bins, 12 s patches)"), QStringLiteral("cqt"));
    frontEnd_->setToolTip(tr("The time-frequency input. Track-based triplets read log-mel, ranked lists read CQT."));
    pooling_ = new QComboBox;
    pooling_->addItem(tr("Max"), QStringLiteral("max"));
    pooling_->addItem(tr("Auto-pool"), QStringLiteral("autopool"));
    pooling_->setToolTip(tr("How the ranked-list network summarises time: max, or auto-pool (a learned soft "
                            "max/mean per channel). Track-based triplets always use mean + max."));
    f1->addRow(tr("Focus:"), focus_);
    f1->addRow(tr("Mode:"), mode_);
    f1->addRow(tr("Front-end:"), frontEnd_);
    f1->addRow(tr("Pooling:"), pooling_);

    auto* how = new QGroupBox(tr("Hyper-parameters"));
    auto* f2 = new QFormLayout(how);
    mining_ = new QComboBox;
    epochs_ = new QSpinBox;
    epochs_->setRange(1, 500);
    epochs_->setValue(6);
    epochs_->setToolTip(tr("Passes over the training songs. More epochs: better fit, longer training."));
    lr_ = new QDoubleSpinBox;
    lr_->setDecimals(4);
    lr_->setRange(0.0001, 0.1);
    lr_->setSingleStep(0.0005);
    lr_->setValue(0.002);
    lr_->setToolTip(tr("Adam's peak learning rate (cosine-decayed). Lower it if the loss jumps around."));
    margin_ = new QDoubleSpinBox;
    margin_->setDecimals(2);
    margin_->setRange(0.01, 2.0);
    margin_->setSingleStep(0.05);
    margin_->setValue(0.2);
    margin_->setToolTip(tr("Triplet margin: how much closer the positive must be than the negative."));
    batch_ = new QSpinBox;
    batch_->setRange(2, 1024);
    batch_->setValue(64);
    batch_->setToolTip(tr("Triplets (or segments) per optimisation step."));
    segments_ = new QSpinBox;
    segments_->setRange(2, 400);
    segments_->setValue(40);
    segments_->setToolTip(tr("Non-silent 3 s segments used per song (the first ones)."));
    channels_ = new QSpinBox;
    channels_->setRange(4, 512);
    channels_->setValue(128);
    channels_->setToolTip(tr("Width of the four convolution blocks. Smaller trains faster; 128 is the default."));
    steps_ = new QSpinBox;
    steps_->setRange(1, 10000);
    steps_->setValue(50);
    steps_->setToolTip(tr("Optimisation steps per epoch (ranked lists)."));
    f2->addRow(tr("Triplet mining:"), mining_);
    f2->addRow(tr("Epochs:"), epochs_);
    f2->addRow(tr("Learning rate:"), lr_);
    f2->addRow(tr("Margin:"), margin_);
    f2->addRow(tr("Batch size:"), batch_);
    segmentsLabel_ = new QLabel(tr("Segments per song:"));
    f2->addRow(segmentsLabel_, segments_);
    f2->addRow(tr("Network width:"), channels_);
    stepsLabel_ = new QLabel(tr("Steps per epoch:"));
    f2->addRow(stepsLabel_, steps_);
    auto* defaults = new QPushButton(tr("Restore Defaults"));
    f2->addRow(QString(), defaults);

    outer->addWidget(what, 1, Qt::AlignTop);
    outer->addWidget(how, 1, Qt::AlignTop);
    connect(mode_, &QComboBox::currentIndexChanged, this, [this] {
        const bool ranked = mode_->currentData().toString() == QLatin1String("ranked-list");
        frontEnd_->setCurrentIndex(ranked ? 1 : 0);
        if (!ranked) pooling_->setCurrentIndex(0);
        margin_->setValue(ranked ? 0.5 : 0.2);
        lr_->setValue(ranked ? 0.001 : 0.002);
        batch_->setValue(ranked ? 16 : 64);
        channels_->setValue(ranked ? 8 : 128);
        updateModeWidgets();
    });
    connect(defaults, &QPushButton::clicked, this, [this] {
        const int m = mode_->currentIndex();
        mode_->setCurrentIndex(1 - m);
        mode_->setCurrentIndex(m);
        epochs_->setValue(6);
        segments_->setValue(40);
        steps_->setValue(50);
    });
    return page;
}

void TrainingWizard::updateModeWidgets()
{
    const bool ranked = mode_->currentData().toString() == QLatin1String("ranked-list");
    const QString keep = mining_->currentData().toString();
    mining_->clear();
    if (ranked) {
        mining_->addItem(tr("Random negatives"), QStringLiteral("random"));
        mining_->addItem(tr("Neighbours of the positive"), QStringLiteral("neighbors"));
        mining_->addItem(tr("Distance-weighted (hard)"), QStringLiteral("distance"));
        mining_->setToolTip(tr("How negatives are drawn below each positive in the tag ranking."));
    } else {
        mining_->addItem(tr("Batch-hard (recommended)"), QStringLiteral("batch-hard"));
        mining_->addItem(tr("Batch-all"), QStringLiteral("batch-all"));
        mining_->addItem(tr("Random (the paper)"), QStringLiteral("random"));
        mining_->setToolTip(tr("Which triplets train the network: random ones, or the hardest / all valid ones "
                               "inside each batch of songs."));
    }
    if (const int i = mining_->findData(keep); i >= 0) mining_->setCurrentIndex(i);
    frontEnd_->setEnabled(false);  // follows the mode
    pooling_->setEnabled(ranked);
    segments_->setEnabled(!ranked);
    segmentsLabel_->setEnabled(!ranked);
    steps_->setEnabled(ranked);
    stepsLabel_->setEnabled(ranked);
}

TrainingJob TrainingWizard::job() const
{
    TrainingJob j;
    j.source = mixes_->isChecked() ? DataSource::Mixes
                                   : libraryTags_->isChecked() ? DataSource::LibraryTags : DataSource::Multitrack;
    j.dataDir = QDir::cleanPath(dataEdit_->text()).toStdString();
    if (dataEdit_->text().isEmpty()) j.dataDir.clear();
    if (j.source == DataSource::LibraryTags) j.dataDir = options_.libraryPath.toStdString();
    j.skipIncompleteSongs = skipIncomplete_->isChecked();
    j.focus = focusFromName(focus_->currentData().toString().toStdString()).value_or(Focus::Mix);
    j.mode = trainModeFromName(mode_->currentData().toString().toStdString()).value_or(TrainMode::TrackTriplets);
    j.frontEnd = frontEndFromName(frontEnd_->currentData().toString().toStdString()).value_or(FrontEnd::Mel);
    j.pooling = poolingFromName(pooling_->currentData().toString().toStdString()).value_or(Pooling::Max);
    const std::string mining = mining_->currentData().toString().toStdString();
    j.epochs = epochs_->value();
    j.learningRate = lr_->value();
    if (j.mode == TrainMode::TrackTriplets) {
        j.mining = tripletMiningFromName(mining).value_or(TripletMining::BatchHard);
        j.margin = margin_->value();
        j.batchSize = batch_->value();
        j.maxSegmentsPerSong = segments_->value();
        const int c = channels_->value();
        j.channels = {c, c, c, c};
        j.dim = std::min(128, std::max(16, c));
    } else {
        j.rankMining = miningFromName(mining).value_or(MiningStrategy::Random);
        j.rankMargin = margin_->value();
        j.rankBatchSize = batch_->value();
        j.rankWidth = channels_->value();
        j.rankStepsPerEpoch = steps_->value();
    }
    j.testFraction = testShare_->value() / 100.0;
    j.seed = uint64_t(seed_->value());
    if (!options_.workRoot.isEmpty()) {
        const std::string def = defaultWorkDir(j);
        j.workDir = (std::filesystem::u8path(options_.workRoot.toStdString()) /
                     std::filesystem::u8path(def).filename())
                        .u8string();
    }
    return j;
}

TrainingEnvironment TrainingWizard::environment() const
{
    TrainingEnvironment env;
    env.modelsRoot = options_.modelsRoot.toStdString();
    env.libraryPath = options_.libraryPath.toStdString();
    env.validation.separator = options_.separator;
    env.validation.modelsDir = options_.userModelsRoot.toStdString();
    return env;
}

// ----------------------------------------------------------------------------------- split page
QWizardPage* TrainingWizard::buildSplitPage()
{
    auto* page = new Page;
    page->setTitle(tr("Train / test split"));
    page->setSubTitle(tr("Whole songs are held out for testing, so the evaluation measures songs the model never "
                         "heard. The songs are checked before anything is trained."));
    auto* v = new QVBoxLayout(page);
    auto* form = new QFormLayout;
    testShare_ = new QSpinBox;
    testShare_->setRange(5, 70);
    testShare_->setValue(20);
    testShare_->setSuffix(tr(" % of the songs"));
    testShare_->setToolTip(tr("Songs held out for the evaluation (at least 2; ranked lists: every n-th song)."));
    seed_ = new QSpinBox;
    seed_->setRange(1, 1000000);
    seed_->setValue(1);
    seed_->setToolTip(tr("Random seed of the split and of the training: the same seed gives the same model."));
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    form->addRow(tr("Test songs:"), testShare_);
    form->addRow(tr("Seed:"), seed_);
    v->addLayout(form);
    validationSummary_ = new QLabel;
    validationSummary_->setWordWrap(true);
    v->addWidget(validationSummary_);
    validationText_ = new QPlainTextEdit;
    validationText_->setReadOnly(true);
    v->addWidget(validationText_, 1);
    page->complete = [this] { return validationOk_; };
    page->init = [this] { runValidation(); };
    for (auto* s : {testShare_, seed_})
        connect(s, &QSpinBox::valueChanged, this, [this] {
            if (currentId() == SplitPageId) runValidation();
        });
    return page;
}

void TrainingWizard::runValidation()
{
    validationOk_ = false;
    asPage(page(SplitPageId))->changed();
    validationSummary_->setText(tr("Checking the songs…"));
    validationText_->clear();
    if (mixes_->isChecked()) separator();  // looked up on the GUI thread, once
    const TrainingJob j = job();
    TrainingEnvironment env = environment();
    const int gen = ++validationGeneration_;
    auto* watcher = new QFutureWatcher<Validation>(this);
    validationWatcher_ = watcher;
    connect(watcher, &QFutureWatcher<Validation>::finished, this, [this, watcher, gen] {
        watcher->deleteLater();
        if (gen != validationGeneration_) return;
        validationWatcher_ = nullptr;
        const Validation v = watcher->result();
        validationOk_ = v.ok();
        QStringList lines;
        for (const auto& e : v.errors) lines << QString::fromStdString(e);
        for (const auto& w : v.warnings) lines << tr("Note: %1").arg(QString::fromStdString(w));
        if (!v.split.train.empty() || !v.split.test.empty()) {
            auto join = [](const std::vector<std::string>& s) {
                QStringList l;
                for (const auto& x : s) l << QString::fromStdString(x);
                return l.join(QStringLiteral(", "));
            };
            if (!lines.isEmpty()) lines << QString();
            lines << tr("Training songs (%1): %2").arg(v.split.train.size()).arg(join(v.split.train))
                  << tr("Test songs (%1): %2").arg(v.split.test.size()).arg(join(v.split.test));
        }
        validationText_->setPlainText(lines.join(QLatin1Char('\n')));
        validationSummary_->setText(
            validationOk_ ? tr("Ready: %1 training songs, %2 test songs. About %3 MB of disk space will be used.")
                                .arg(v.split.train.size())
                                .arg(v.split.test.size())
                                .arg(qulonglong(v.neededBytes / (1024 * 1024)))
                          : tr("This job cannot run yet - see below. Go back to change it."));
        validationSummary_->setStyleSheet(validationOk_ ? QString() : QStringLiteral("color: #b00020;"));
        asPage(page(SplitPageId))->changed();
        Q_EMIT validationFinished(validationOk_);
    });
    watcher->setFuture(QtConcurrent::run([j, env] { return validateJob(j, env.validation); }));
}

// ------------------------------------------------------------------------------------- run page
QWizardPage* TrainingWizard::buildRunPage()
{
    auto* page = new Page;
    page->setTitle(tr("Training"));
    page->setSubTitle(tr("Runs in the background. Pause stops after the current epoch; the job resumes from its "
                         "checkpoint, also after Stemscope is restarted."));
    auto* v = new QVBoxLayout(page);
    resumeNote_ = note({});
    resumeNote_->setStyleSheet(QStringLiteral("color: #1a5fb4;"));
    v->addWidget(resumeNote_);

    auto* chart = new QChart;
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    lossSeries_ = new QLineSeries;
    lossSeries_->setName(tr("training loss"));
    lossSeries_->setPointsVisible(true);
    knnSeries_ = new QLineSeries;
    knnSeries_->setName(tr("validation kNN accuracy (held-out songs)"));
    knnSeries_->setPointsVisible(true);
    chart->addSeries(lossSeries_);
    chart->addSeries(knnSeries_);
    epochAxis_ = new QValueAxis;
    epochAxis_->setTitleText(tr("epoch"));
    epochAxis_->setLabelFormat(QStringLiteral("%d"));
    lossAxis_ = new QValueAxis;
    lossAxis_->setTitleText(tr("loss"));
    auto* knnAxis = new QValueAxis;
    knnAxis->setTitleText(tr("kNN accuracy"));
    knnAxis->setRange(0, 1);
    chart->addAxis(epochAxis_, Qt::AlignBottom);
    chart->addAxis(lossAxis_, Qt::AlignLeft);
    chart->addAxis(knnAxis, Qt::AlignRight);
    lossSeries_->attachAxis(epochAxis_);
    lossSeries_->attachAxis(lossAxis_);
    knnSeries_->attachAxis(epochAxis_);
    knnSeries_->attachAxis(knnAxis);
    chart_ = new QChartView(chart);
    chart_->setRenderHint(QPainter::Antialiasing);
    chart_->setMinimumHeight(240);
    v->addWidget(chart_, 3);

    auto* status = new QHBoxLayout;
    runState_ = new QLabel(tr("Not started."));
    progress_ = new QProgressBar;
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    eta_ = new QLabel;
    eta_->setMinimumWidth(140);
    status->addWidget(runState_, 2);
    status->addWidget(progress_, 2);
    status->addWidget(eta_);
    v->addLayout(status);

    auto* buttons = new QHBoxLayout;
    startButton_ = new QPushButton(tr("Start"));
    startButton_->setToolTip(tr("Start (or resume) the training."));
    pauseButton_ = new QPushButton(tr("Pause"));
    pauseButton_->setToolTip(tr("Stop after the current epoch; Resume continues from there."));
    cancelButton_ = new QPushButton(tr("Stop Now"));
    cancelButton_->setToolTip(tr("Stop at once. The last finished epoch stays as a checkpoint."));
    startOverButton_ = new QPushButton(tr("Start Over"));
    startOverButton_->setToolTip(tr("Forget the checkpoint of this job and train from scratch."));
    buttons->addWidget(startButton_);
    buttons->addWidget(pauseButton_);
    buttons->addWidget(cancelButton_);
    buttons->addStretch(1);
    buttons->addWidget(startOverButton_);
    v->addLayout(buttons);
    log_ = new QPlainTextEdit;
    log_->setReadOnly(true);
    log_->setMaximumBlockCount(500);
    log_->setMaximumHeight(90);
    v->addWidget(log_, 1);

    connect(startButton_, &QPushButton::clicked, this, &TrainingWizard::startTraining);
    connect(pauseButton_, &QPushButton::clicked, this, &TrainingWizard::pauseTraining);
    connect(cancelButton_, &QPushButton::clicked, this, &TrainingWizard::cancelTraining);
    connect(startOverButton_, &QPushButton::clicked, this, &TrainingWizard::startOver);
    page->complete = [this] { return trainingDone_ && !isTraining(); };
    page->init = [this] { prepareRunPage(); };
    return page;
}

void TrainingWizard::resetChart()
{
    lossSeries_->clear();
    knnSeries_->clear();
    maxLoss_ = 0;
    epochAxis_->setRange(0, std::max(1, epochs_->value()));
    epochAxis_->setTickCount(std::min(11, epochs_->value() + 1));
    lossAxis_->setRange(0, 1);
}

void TrainingWizard::addEpochPoint(const EpochReport& e)
{
    // Resumed epochs are replayed: keep one point per epoch.
    if (!lossSeries_->points().isEmpty() && lossSeries_->points().last().x() >= e.epoch) return;
    lossSeries_->append(e.epoch, e.loss);
    if (std::isfinite(e.validationKnn)) knnSeries_->append(e.epoch, e.validationKnn);
    maxLoss_ = std::max(maxLoss_, e.loss);
    lossAxis_->setRange(0, std::max(0.05, maxLoss_ * 1.15));
    epochAxis_->setRange(0, std::max(1, e.epochs));
    progress_->setValue(int(1000.0 * e.epoch / std::max(1, e.epochs)));
    eta_->setText(e.epoch >= e.epochs ? QString() : tr("ETA %1").arg(fmtSeconds(e.etaSeconds)));
    log_->appendPlainText(tr("epoch %1/%2: loss %3%4")
                              .arg(e.epoch)
                              .arg(e.epochs)
                              .arg(e.loss, 0, 'f', 4)
                              .arg(std::isfinite(e.validationKnn)
                                       ? tr(", validation kNN %1").arg(e.validationKnn, 0, 'f', 3)
                                       : QString()));
}

void TrainingWizard::setRunState(const QString& state) { runState_->setText(state); }

void TrainingWizard::prepareRunPage()
{
    if (isTraining()) return;
    trainingDone_ = false;
    resetChart();
    log_->clear();
    progress_->setValue(0);
    eta_->clear();
    const TrainingJob j = job();
    TrainingRunner runner(j, environment());
    const int done = runner.checkpointEpoch();
    const bool ranked = j.mode == TrainMode::RankedList;
    pauseButton_->setEnabled(false);
    cancelButton_->setEnabled(false);
    pauseButton_->setVisible(!ranked);  // ranked-list training has no checkpoints (yet)
    if (done > 0) {
        for (const auto& e : runner.savedHistory()) addEpochPoint(e);
        resumeNote_->setText(tr("An unfinished run of this job was found (epoch %1 of %2, checkpoint in %3). Resume "
                                "continues from it; Start Over trains from scratch.")
                                 .arg(done)
                                 .arg(j.epochs)
                                 .arg(QString::fromStdString(runner.workDir())));
        resumeNote_->show();
        startButton_->setText(tr("Resume"));
        startOverButton_->setEnabled(true);
        setRunState(tr("Paused after epoch %1.").arg(done));
    } else {
        resumeNote_->hide();
        startButton_->setText(tr("Start"));
        startOverButton_->setEnabled(false);
        setRunState(tr("Ready to train %1 epochs.").arg(j.epochs));
    }
    startButton_->setEnabled(true);
    asPage(page(RunPageId))->changed();
}

void TrainingWizard::startTraining()
{
    if (isTraining()) return;
    *cancel_ = false;
    *pause_ = false;
    trainingDone_ = false;
    startButton_->setEnabled(false);
    startOverButton_->setEnabled(false);
    pauseButton_->setEnabled(true);
    cancelButton_->setEnabled(true);
    button(QWizard::BackButton)->setEnabled(false);
    setRunState(tr("Starting…"));
    resumeNote_->hide();

    QPointer<TrainingWizard> self(this);
    auto post = [self](std::function<void(TrainingWizard*)> f) {
        QMetaObject::invokeMethod(
            qApp, [self, f] {
                if (self) f(self);
            },
            Qt::QueuedConnection);
    };
    TrainingCallbacks cb;
    cb.phase = [post](const std::string& phase, double fraction) {
        post([p = QString::fromStdString(phase), fraction](TrainingWizard* w) {
            if (p == QLatin1String("training")) w->setRunState(w->tr("Training…"));
            else if (p == QLatin1String("features")) w->setRunState(w->tr("Computing features… %1 %").arg(int(fraction * 100)));
            else if (p == QLatin1String("evaluating")) w->setRunState(w->tr("Evaluating on the test songs…"));
            else if (p == QLatin1String("checking")) w->setRunState(w->tr("Checking the songs…"));
            else w->setRunState(p);
        });
    };
    auto lastStep = std::make_shared<QElapsedTimer>();
    lastStep->start();
    cb.step = [post, lastStep](int epoch, int epochs, int step, int steps, double loss) {
        if (lastStep->elapsed() < 150 && step != steps) return;  // at most ~7 updates a second
        lastStep->restart();
        post([=](TrainingWizard* w) {
            const double f = (epoch - 1 + double(step) / std::max(1, steps)) / std::max(1, epochs);
            w->progress_->setValue(int(1000 * f));
            w->setRunState(w->tr("Epoch %1 of %2 · step %3/%4 · loss %5")
                               .arg(epoch)
                               .arg(epochs)
                               .arg(step)
                               .arg(steps)
                               .arg(loss, 0, 'f', 4));
        });
    };
    cb.epoch = [post](const EpochReport& e) { post([e](TrainingWizard* w) { w->addEpochPoint(e); }); };
    cb.log = [post](const std::string& s) {
        post([t = QString::fromStdString(s)](TrainingWizard* w) { w->log_->appendPlainText(t); });
    };

    trainedJob_ = job();
    auto runner = std::make_shared<TrainingRunner>(trainedJob_, environment());
    auto cancel = cancel_;
    auto pause = pause_;
    trainingWatcher_ = new QFutureWatcher<TrainingOutcome>(this);
    connect(trainingWatcher_, &QFutureWatcher<TrainingOutcome>::finished, this, &TrainingWizard::onTrainingDone);
    trainingWatcher_->setFuture(QtConcurrent::run([runner, cb, cancel, pause] {
        return runner->run(cb, cancel.get(), pause.get());
    }));
}

void TrainingWizard::pauseTraining()
{
    if (!isTraining()) return;
    *pause_ = true;
    pauseButton_->setEnabled(false);
    setRunState(tr("Pausing after this epoch…"));
}

void TrainingWizard::cancelTraining()
{
    if (!isTraining()) return;
    *cancel_ = true;
    cancelButton_->setEnabled(false);
    pauseButton_->setEnabled(false);
    setRunState(tr("Stopping…"));
}

void TrainingWizard::startOver()
{
    if (isTraining()) return;
    TrainingRunner(job(), environment()).discardCheckpoint();
    prepareRunPage();
}

void TrainingWizard::onTrainingDone()
{
    auto* watcher = trainingWatcher_;
    outcome_ = watcher->result();
    watcher->deleteLater();
    trainingWatcher_ = nullptr;
    QCoreApplication::sendPostedEvents(qApp, QEvent::MetaCall);  // the last queued progress first
    pauseButton_->setEnabled(false);
    cancelButton_->setEnabled(false);
    button(QWizard::BackButton)->setEnabled(true);
    using S = TrainingOutcome::Status;
    switch (outcome_.status) {
    case S::Done:
        trainingDone_ = true;
        progress_->setValue(1000);
        eta_->clear();
        setRunState(tr("Done: %1 epochs in %2. Next shows the evaluation.")
                        .arg(outcome_.epochsDone)
                        .arg(fmtSeconds(outcome_.seconds)));
        startButton_->setEnabled(false);
        startOverButton_->setEnabled(true);
        fillResults();
        break;
    case S::Paused:
    case S::Cancelled:
        setRunState(outcome_.status == S::Paused ? tr("Paused after epoch %1.").arg(outcome_.epochsDone)
                                                 : tr("Stopped. The checkpoint after epoch %1 is kept.")
                                                       .arg(outcome_.epochsDone));
        startButton_->setText(tr("Resume"));
        startButton_->setEnabled(true);
        startOverButton_->setEnabled(true);
        break;
    case S::Failed:
        setRunState(tr("Failed."));
        log_->appendPlainText(QString::fromStdString(outcome_.error));
        startButton_->setText(tr("Try Again"));
        startButton_->setEnabled(true);
        startOverButton_->setEnabled(true);
        break;
    }
    asPage(page(RunPageId))->changed();
    Q_EMIT trainingFinished(int(outcome_.status));
}

// ---------------------------------------------------------------------------------- result page
QWizardPage* TrainingWizard::buildResultPage()
{
    auto* page = new Page;
    page->setTitle(tr("Result"));
    page->setSubTitle(tr("How well the new model tells the held-out songs apart, beside the model installed now."));
    auto* v = new QVBoxLayout(page);
    results_ = new QTableWidget;
    results_->verticalHeader()->hide();
    results_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    results_->setSelectionMode(QAbstractItemView::NoSelection);
    results_->horizontalHeader()->setStretchLastSection(true);
    results_->setFocusPolicy(Qt::NoFocus);
    results_->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    results_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    v->addWidget(results_);
    resultNote_ = note({});
    v->addWidget(resultNote_);

    auto* reg = new QGroupBox(tr("Register"));
    auto* form = new QFormLayout(reg);
    nameEdit_ = new QLineEdit;
    nameEdit_->setToolTip(tr("The model's folder name under %1").arg(options_.userModelsRoot));
    notesEdit_ = new QLineEdit;
    notesEdit_->setPlaceholderText(tr("Optional: what this model was trained on, for the model card"));
    registerButton_ = new QPushButton(tr("Register Model"));
    registerButton_->setToolTip(tr("Copy the model with its model card into the models folder and add it to the "
                                   "library's model registry."));
    form->addRow(tr("Name:"), nameEdit_);
    form->addRow(tr("Notes:"), notesEdit_);
    form->addRow(QString(), registerButton_);
    v->addWidget(reg);

    reembedButton_ = new QPushButton(tr("Use It for This Focus and Re-embed the Library"));
    reembedButton_->setEnabled(false);
    v->addWidget(reembedButton_, 0, Qt::AlignLeft);
    registerState_ = note({});
    registerState_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(registerState_);
    v->addStretch(1);
    connect(registerButton_, &QPushButton::clicked, this, &TrainingWizard::registerModel);
    connect(reembedButton_, &QPushButton::clicked, this, &TrainingWizard::useAndReembed);
    return page;
}

void TrainingWizard::fillResults()
{
    const TrainingJob& j = trainedJob_;
    const bool ranked = j.mode == TrainMode::RankedList;
    QStringList headers{tr("model")};
    if (ranked) headers << tr("MAP") << tr("recall") << tr("nDCG");
    else headers << tr("kNN song-ID accuracy (k = 5)");
    results_->clear();
    results_->setColumnCount(headers.size());
    results_->setHorizontalHeaderLabels(headers);
    results_->setRowCount(int(outcome_.scores.size()));
    for (int r = 0; r < int(outcome_.scores.size()); ++r) {
        const auto& s = outcome_.scores[size_t(r)];
        QString label = QString::fromStdString(s.label);
        if (!s.modelId.empty()) label += QStringLiteral(" (%1)").arg(QString::fromStdString(s.modelId));
        results_->setItem(r, 0, new QTableWidgetItem(label));
        if (ranked) {
            results_->setItem(r, 1, new QTableWidgetItem(fmtScore(s.map)));
            results_->setItem(r, 2, new QTableWidgetItem(fmtScore(s.recall)));
            results_->setItem(r, 3, new QTableWidgetItem(fmtScore(s.ndcg)));
        } else {
            results_->setItem(r, 1, new QTableWidgetItem(fmtScore(s.knnAccuracy)));
        }
        if (r == 0) {
            QFont f = results_->font();
            f.setBold(true);
            for (int c = 0; c < headers.size(); ++c)
                if (auto* it = results_->item(r, c)) it->setFont(f);
        }
    }
    results_->resizeColumnsToContents();
    results_->horizontalHeader()->setStretchLastSection(true);
    results_->setFixedHeight(results_->horizontalHeader()->height() + 2 * results_->frameWidth() +
                             results_->verticalHeader()->length() + 2);
    QString text = tr("%1 training songs, %2 test songs (%3 segments).")
                       .arg(outcome_.trainSongs)
                       .arg(outcome_.testSongs)
                       .arg(outcome_.testSegments);
    if (!ranked && outcome_.scores.size() < 2)
        text += QLatin1Char(' ') + tr("No %1 model is installed, so there is nothing to compare with.")
                                       .arg(QString::fromLatin1(focusName(j.focus)));
    if (!ranked)
        text += QLatin1Char(' ') + tr("kNN accuracy: the share of 3 s segments whose 5 nearest neighbours mostly come "
                                      "from their own song (higher is better).");
    else
        text += QLatin1Char(' ') + tr("Ranking scores at 20 against the tag ranking of the test songs; chance is a "
                                      "random order.");
    resultNote_->setText(text);
    if (nameEdit_->text().isEmpty())
        nameEdit_->setText(QStringLiteral("%1-%2").arg(QString::fromLatin1(focusName(j.focus)),
                                                       QDate::currentDate().toString(QStringLiteral("yyyy-MM-dd"))));
    registerButton_->setEnabled(true);
    registerState_->clear();
    reembedButton_->setEnabled(false);
    reembedButton_->setToolTip(ranked ? tr("Ranked-list models are research models: the analysis uses "
                                           "track-based triplet models.")
                                      : tr("Copies the model to %1/%2 (the previous one kept as model.pt.previous) "
                                           "and re-analyses the library with it.")
                                            .arg(options_.modelsRoot, QString::fromLatin1(focusName(j.focus))));
}

void TrainingWizard::registerModel()
{
    try {
        const auto r = installTrainedModel(trainedJob_, outcome_, nameEdit_->text().toStdString(),
                                           options_.userModelsRoot.toStdString(), options_.libraryPath.toStdString(),
                                           notesEdit_->text().toStdString());
        registeredDir_ = QString::fromStdString(r.dir);
        registeredId_ = QString::fromStdString(r.modelId);
        registerState_->setStyleSheet(QString());
        registerState_->setText(tr("Registered in the library as %1.\nFolder: %2\nModel card: model-card.md")
                                    .arg(registeredId_, QDir::toNativeSeparators(registeredDir_)));
        registerButton_->setEnabled(false);
        reembedButton_->setEnabled(trainedJob_.mode == TrainMode::TrackTriplets && backend_);
        Q_EMIT modelRegistered(registeredId_, registeredDir_);
    } catch (const std::exception& e) {
        registerState_->setStyleSheet(QStringLiteral("color: #b00020;"));
        registerState_->setText(tr("Not registered: %1").arg(QString::fromStdString(e.what())));
    }
}

void TrainingWizard::useAndReembed()
{
    if (registeredDir_.isEmpty() || !backend_) return;
    try {
        const Focus focus = trainedJob_.focus;
        const auto id = activateModel(registeredDir_.toStdString(), focus, options_.modelsRoot.toStdString());
        backend_->reloadModels();
        QString error;
        const quint64 jobId = backend_->analyse(true, &error);
        registerState_->setText(jobId ? tr("Now the %1 model (%2). Re-embedding the library - see the Jobs panel.")
                                            .arg(QString::fromLatin1(focusName(focus)), QString::fromStdString(id))
                                      : tr("Installed as the %1 model, but the analysis did not start: %2")
                                            .arg(QString::fromLatin1(focusName(focus)), error));
        reembedButton_->setEnabled(false);
    } catch (const std::exception& e) {
        registerState_->setStyleSheet(QStringLiteral("color: #b00020;"));
        registerState_->setText(tr("Could not install it for the focus: %1").arg(QString::fromStdString(e.what())));
    }
}

}  // namespace stemscope::ui
