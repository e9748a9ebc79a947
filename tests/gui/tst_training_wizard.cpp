// The training wizard (Tools > Train a Model…) driven end to end on a tiny synthetic multitrack
// corpus (6 songs x 8 s of tones, bass focus, 2 epochs of a tiny network): data -> model -> split
// (validated) -> run (pause after epoch 1, "restart" = a new wizard that finds the checkpoint,
// resume) -> result (evaluation beside the installed model, register, use for the focus +
// re-embed). Also: a refused job keeps Next disabled and says why.
// STEMSCOPE_SCREENSHOT_DIR=docs/screenshots saves wizard-model.png, wizard-split.png,
// wizard-training.png and wizard-result.png.
#include <QtTest>

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cmath>
#include <filesystem>

#include "CoreLibraryBackend.h"
#include "SyntheticMultitrack.h"
#include "MainWindow.h"
#include "TrainingWizard.h"
#include "analysis/EmbedderRegistry.h"
#include "audio/AudioDecoder.h"
#include "embedding/TorchEmbedder.h"
#include "instrsim/TripletTrainer.h"
#include "library/LibraryStore.h"

using namespace stemscope;
using namespace stemscope::ui;
namespace fs = std::filesystem;

class TrainingWizardTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString corpus_;
    QString shots_;

    TrainingWizard::Options options(CoreLibraryBackend& backend)
    {
        TrainingWizard::Options o;
        o.modelsRoot = dir_.filePath("models");
        o.userModelsRoot = dir_.filePath("user-models");
        o.libraryPath = backend.path();
        o.workRoot = dir_.filePath("work");
        o.dataDir = corpus_;
        return o;
    }

    static QWidget& settled(QWidget& w)
    {
        for (int i = 0; i < 3; ++i) QCoreApplication::processEvents();  // pending relayouts first
        return w;
    }

    // Data + model pages filled in like a user would, ending on the split page.
    void fillPages(TrainingWizard& w, bool screenshot = false)
    {
        QCOMPARE(w.currentId(), int(TrainingWizard::DataPageId));
        QCOMPARE(w.dataFolderEdit()->text(), corpus_);
        QVERIFY(w.button(QWizard::NextButton)->isEnabled());
        w.next();
        QCOMPARE(w.currentId(), int(TrainingWizard::ModelPageId));
        w.focusCombo()->setCurrentIndex(w.focusCombo()->findData(QStringLiteral("bass")));
        w.epochsSpin()->setValue(2);
        w.channelsSpin()->setValue(8);
        w.segmentsSpin()->setValue(4);
        w.batchSpin()->setValue(8);
        if (screenshot && !shots_.isEmpty()) QVERIFY(settled(w).grab().save(QDir(shots_).filePath("wizard-model.png")));
        w.next();
        QCOMPARE(w.currentId(), int(TrainingWizard::SplitPageId));
        QTRY_VERIFY_WITH_TIMEOUT(w.validationLabel()->text().startsWith(QLatin1String("Ready")) ||
                                     w.validationLabel()->text().contains(QLatin1String("cannot run")),
                                 20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        shots_ = qEnvironmentVariable("STEMSCOPE_SCREENSHOT_DIR");
        qputenv("STEMSCOPE_MODELS", dir_.filePath("models").toUtf8());
        setEmbedderFactory(&makeModelEmbedder);
        corpus_ = dir_.filePath("corpus");
        test::writeSyntheticMultitrack(corpus_.toStdString());  // 6 songs x 8 s, mix + bass
        ModelSpec spec;  // the "installed" bass model: untrained, same input shape
        spec.channels = {8, 8, 8, 8};
        spec.dim = 16;
        writeUntrainedModel(spec, 3, dir_.filePath("models/bass/model.pt").toStdString());
    }

    void menuEntryOpensTheWizard()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName("StemscopeTest");
        MainWindowOptions o;
        o.libraryPath = dir_.filePath("window.sqlite");
        o.restoreGeometry = false;
        o.persistSettings = false;
        o.firstRunDemo = false;
        MainWindow w(std::make_unique<CoreLibraryBackend>(), o);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(!w.trainingWizard());
        QTest::keyClick(&w, Qt::Key_T, Qt::ControlModifier);
        QTRY_VERIFY(w.trainingWizard());
        QVERIFY(w.trainingWizard()->isVisible());
        QCOMPARE(w.trainingWizard()->currentId(), int(TrainingWizard::DataPageId));
        w.showTrainingWizard();  // a second Ctrl+T raises the same wizard
        QPointer<TrainingWizard> wizard = w.trainingWizard();
        wizard->reject();
        QTRY_VERIFY(!wizard);  // deleted on close
    }

    void refusedJobSaysWhy()
    {
        CoreLibraryBackend backend;
        QString error;
        QVERIFY2(backend.open(dir_.filePath("refused.sqlite"), &error), qPrintable(error));
        TrainingWizard w(&backend, options(backend));
        w.show();
        fillPages(w);
        // Piano: no song has a piano stem.
        w.back();
        w.focusCombo()->setCurrentIndex(w.focusCombo()->findData(QStringLiteral("piano")));
        w.next();
        QTRY_VERIFY_WITH_TIMEOUT(w.validationLabel()->text().contains(QLatin1String("cannot run")), 20000);
        QVERIFY(!w.validationOk());
        QVERIFY(!w.button(QWizard::NextButton)->isEnabled());
    }

    void endToEnd()
    {
        CoreLibraryBackend backend;
        QString error;
        QVERIFY2(backend.open(dir_.filePath("library.sqlite"), &error), qPrintable(error));
        {
            TrainingWizard w(&backend, options(backend));
            w.show();
            fillPages(w, true);
            QVERIFY2(w.validationOk(), qPrintable(w.validationLabel()->text()));
            if (!shots_.isEmpty()) QVERIFY(settled(w).grab().save(QDir(shots_).filePath("wizard-split.png")));
            QVERIFY(w.button(QWizard::NextButton)->isEnabled());
            w.next();
            QCOMPARE(w.currentId(), int(TrainingWizard::RunPageId));
            QCOMPARE(w.startButton()->text(), QStringLiteral("Start"));
            QVERIFY(!w.button(QWizard::NextButton)->isEnabled());
            QSignalSpy finished(&w, &TrainingWizard::trainingFinished);
            w.startButton()->click();
            QVERIFY(w.isTraining());
            w.pauseButton()->click();  // stops after epoch 1
            QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
            QCOMPARE(finished.at(0).at(0).toInt(), int(training::TrainingOutcome::Status::Paused));
            QCOMPARE(w.outcome().epochsDone, 1);
            QCOMPARE(w.startButton()->text(), QStringLiteral("Resume"));
            QCOMPARE(w.lossSeries()->count(), 1);
        }
        // "Restart": a new wizard with the same settings finds the checkpoint.
        TrainingWizard w(&backend, options(backend));
        w.show();
        fillPages(w);
        w.next();
        QCOMPARE(w.startButton()->text(), QStringLiteral("Resume"));
        QCOMPARE(w.lossSeries()->count(), 1);  // the saved curve is shown again
        QSignalSpy finished(&w, &TrainingWizard::trainingFinished);
        w.startButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.at(0).at(0).toInt(), int(training::TrainingOutcome::Status::Done));
        QCOMPARE(w.outcome().resumedFromEpoch, 1);
        QCOMPARE(w.lossSeries()->count(), 2);
        QCOMPARE(w.validationSeries()->count(), 2);
        QVERIFY(w.button(QWizard::NextButton)->isEnabled());
        if (!shots_.isEmpty()) QVERIFY(settled(w).grab().save(QDir(shots_).filePath("wizard-training.png")));

        w.next();
        QCOMPARE(w.currentId(), int(TrainingWizard::ResultPageId));
        QCOMPARE(w.outcome().scores.size(), size_t(2));  // trained + installed bass model
        QVERIFY(!w.nameEdit()->text().isEmpty());
        w.nameEdit()->setText(QStringLiteral("my bass"));
        QSignalSpy registered(&w, &TrainingWizard::modelRegistered);
        w.registerButton()->click();
        QCOMPARE(registered.count(), 1);
        const QString dir = w.registeredModelDir();
        QVERIFY(QFile::exists(dir + QStringLiteral("/model.pt")));
        QVERIFY(QFile::exists(dir + QStringLiteral("/model-card.md")));
        QVERIFY(dir.startsWith(dir_.filePath("user-models")));
        {
            LibraryStore store(backend.path().toStdString(), LibraryStore::Access::ReadOnly);
            const auto models = store.models(Focus::Bass);
            QVERIFY(std::find(models.begin(), models.end(), w.registeredModelId().toStdString()) != models.end());
        }
        if (!shots_.isEmpty()) QVERIFY(settled(w).grab().save(QDir(shots_).filePath("wizard-result.png")));
        QVERIFY(w.reembedButton()->isEnabled());
        w.reembedButton()->click();
        backend.waitForJobs();
        // The focus folder now holds the new model.
        const auto installed = makeTorchEmbedder(Focus::Bass, dir_.filePath("models/bass").toStdString());
        QCOMPARE(QString::fromStdString(installed->modelId()), w.registeredModelId());
        QVERIFY(QFile::exists(dir_.filePath("models/bass/model.pt.previous")));
    }
};

QTEST_MAIN(TrainingWizardTest)
#include "tst_training_wizard.moc"
