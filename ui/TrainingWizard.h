#pragma once
// Tools > Train a model… (Ctrl+T): from a folder of songs to an evaluated, registered model
// without a terminal (issue 9, docs/training-wizard.md). Pages: data, model (focus, mode,
// front-end, pooling, hyper-parameters), split (checked with training::validateJob), run (live
// loss and validation curves, ETA, pause / cancel / resume, also after a restart), result
// (evaluation beside the installed model, name + register, use for the focus + re-embed).
// Training runs on a worker thread (QtConcurrent) with cooperative pause/cancel flags; progress
// reaches the GUI thread through queued invokeMethod calls.
#include <QFutureWatcher>
#include <QPointer>
#include <QWizard>

#include <atomic>
#include <memory>

#include "training/TrainingJob.h"
#include "training/TrainingRunner.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableWidget;
class QChartView;
class QLineSeries;
class QValueAxis;

namespace stemscope {
class Separator;
}

namespace stemscope::ui {

class LibraryBackend;

class TrainingWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { DataPageId, ModelPageId, SplitPageId, RunPageId, ResultPageId };

    struct Options {
        QString modelsRoot;      // installed focus models; empty = defaultModelsRoot()
        QString userModelsRoot;  // where registered models go; empty = training::userModelsRoot()
        QString libraryPath;     // empty = backend->path()
        QString dataDir;         // preset data folder
        QString workRoot;        // empty = the job's default work folder
        std::shared_ptr<const stemscope::Separator> separator;  // null: looked up when mixes are chosen
    };

    TrainingWizard(LibraryBackend* backend, Options options, QWidget* parent = nullptr);
    ~TrainingWizard() override;

    training::TrainingJob job() const;  // the job the pages describe now
    bool isTraining() const;
    const training::TrainingOutcome& outcome() const { return outcome_; }
    QString registeredModelDir() const { return registeredDir_; }
    QString registeredModelId() const { return registeredId_; }

    // Test hooks: the widgets a user would operate.
    QLineEdit* dataFolderEdit() const { return dataEdit_; }
    QSpinBox* epochsSpin() const { return epochs_; }
    QSpinBox* channelsSpin() const { return channels_; }
    QSpinBox* segmentsSpin() const { return segments_; }
    QSpinBox* batchSpin() const { return batch_; }
    QComboBox* focusCombo() const { return focus_; }
    QPushButton* startButton() const { return startButton_; }
    QPushButton* pauseButton() const { return pauseButton_; }
    QPushButton* registerButton() const { return registerButton_; }
    QPushButton* reembedButton() const { return reembedButton_; }
    QLineEdit* nameEdit() const { return nameEdit_; }
    QLabel* validationLabel() const { return validationSummary_; }
    QLineSeries* lossSeries() const { return lossSeries_; }
    QLineSeries* validationSeries() const { return knnSeries_; }

    bool validationOk() const { return validationOk_; }
    void done(int result) override;

Q_SIGNALS:
    void validationFinished(bool ok);
    void trainingFinished(int status);  // training::TrainingOutcome::Status
    void modelRegistered(const QString& id, const QString& dir);

public Q_SLOTS:
    void startTraining();   // also "Resume"
    void pauseTraining();   // after the current epoch
    void cancelTraining();  // now (the last epoch's checkpoint is kept)
    void startOver();       // discard the checkpoint
    void registerModel();
    void useAndReembed();

private:
    QWizardPage* buildDataPage();
    QWizardPage* buildModelPage();
    QWizardPage* buildSplitPage();
    QWizardPage* buildRunPage();
    QWizardPage* buildResultPage();
    void updateDataSummary();
    void updateModeWidgets();
    void runValidation();
    void prepareRunPage();
    void addEpochPoint(const training::EpochReport& e);
    void resetChart();
    void onTrainingDone();
    void fillResults();
    void setRunState(const QString& state);
    std::shared_ptr<const stemscope::Separator> separator();
    training::TrainingEnvironment environment() const;

    LibraryBackend* backend_;
    Options options_;
    bool separatorLooked_ = false;

    // data
    QRadioButton* multitrack_ = nullptr;
    QRadioButton* mixes_ = nullptr;
    QRadioButton* libraryTags_ = nullptr;
    QLineEdit* dataEdit_ = nullptr;
    QLabel* dataSummary_ = nullptr;
    QCheckBox* skipIncomplete_ = nullptr;
    // model
    QComboBox* focus_ = nullptr;
    QComboBox* mode_ = nullptr;
    QComboBox* frontEnd_ = nullptr;
    QComboBox* pooling_ = nullptr;
    QComboBox* mining_ = nullptr;
    QSpinBox* epochs_ = nullptr;
    QDoubleSpinBox* lr_ = nullptr;
    QDoubleSpinBox* margin_ = nullptr;
    QSpinBox* batch_ = nullptr;
    QSpinBox* segments_ = nullptr;
    QSpinBox* channels_ = nullptr;
    QSpinBox* steps_ = nullptr;
    QLabel* segmentsLabel_ = nullptr;
    QLabel* stepsLabel_ = nullptr;
    // split
    QSpinBox* testShare_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QLabel* validationSummary_ = nullptr;
    QPlainTextEdit* validationText_ = nullptr;
    QFutureWatcher<training::Validation>* validationWatcher_ = nullptr;
    bool validationOk_ = false;
    int validationGeneration_ = 0;
    // run
    QLabel* runState_ = nullptr;
    QLabel* resumeNote_ = nullptr;
    QLabel* eta_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QPushButton* startButton_ = nullptr;
    QPushButton* pauseButton_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    QPushButton* startOverButton_ = nullptr;
    QPlainTextEdit* log_ = nullptr;
    QChartView* chart_ = nullptr;
    QLineSeries* lossSeries_ = nullptr;
    QLineSeries* knnSeries_ = nullptr;
    QValueAxis* epochAxis_ = nullptr;
    QValueAxis* lossAxis_ = nullptr;
    double maxLoss_ = 0;
    std::shared_ptr<std::atomic<bool>> cancel_, pause_;
    QFutureWatcher<training::TrainingOutcome>* trainingWatcher_ = nullptr;
    training::TrainingOutcome outcome_;
    training::TrainingJob trainedJob_;  // the job of the last run (the pages may change meanwhile)
    bool trainingDone_ = false;
    // result
    QTableWidget* results_ = nullptr;
    QLabel* resultNote_ = nullptr;
    QLineEdit* nameEdit_ = nullptr;
    QLineEdit* notesEdit_ = nullptr;
    QPushButton* registerButton_ = nullptr;
    QPushButton* reembedButton_ = nullptr;
    QLabel* registerState_ = nullptr;
    QString registeredDir_, registeredId_;
};

}  // namespace stemscope::ui
