#include "SettingsDialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QThread>

#include <algorithm>

namespace stemscope::ui {

QString AppSettings::defaultLibraryPath()
{
    // GenericDataLocation = ~/.local/share on Linux; keep our own folder inside it.
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir(base).filePath(QStringLiteral("Stemscope/library.sqlite"));
}

AppSettings AppSettings::load()
{
    QSettings s;
    AppSettings a;
    a.libraryPath = s.value(QStringLiteral("library/path"), defaultLibraryPath()).toString();
    if (a.libraryPath.trimmed().isEmpty()) a.libraryPath = defaultLibraryPath();
    a.analysisThreads = std::clamp(s.value(QStringLiteral("analysis/threads"), 0).toInt(), 0, 256);
    a.silenceDb = std::clamp(s.value(QStringLiteral("analysis/silenceDb"), -60.0).toDouble(), -120.0, 0.0);
    return a;
}

void AppSettings::save() const
{
    QSettings s;
    s.setValue(QStringLiteral("library/path"), libraryPath);
    s.setValue(QStringLiteral("analysis/threads"), analysisThreads);
    s.setValue(QStringLiteral("analysis/silenceDb"), silenceDb);
}

SettingsDialog::SettingsDialog(const AppSettings& current, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Stemscope Settings"));
    auto* form = new QFormLayout();
    auto* pathRow = new QHBoxLayout();
    libraryPath_ = new QLineEdit(current.libraryPath, this);
    libraryPath_->setToolTip(tr("The SQLite file holding your library. A new file is created if it does not exist."));
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getSaveFileName(this, tr("Library file"), libraryPath_->text(),
                                                       tr("Stemscope library (*.sqlite)"), nullptr,
                                                       QFileDialog::DontConfirmOverwrite);
        if (!p.isEmpty()) libraryPath_->setText(p);
    });
    pathRow->addWidget(libraryPath_, 1);
    pathRow->addWidget(browse);
    form->addRow(tr("Library file:"), pathRow);

    threads_ = new QSpinBox(this);
    threads_->setRange(0, 256);
    threads_->setSpecialValueText(tr("automatic (%1)").arg(QThread::idealThreadCount()));
    threads_->setValue(current.analysisThreads);
    threads_->setToolTip(tr("Worker threads for import and analysis. Automatic uses one per CPU core."));
    form->addRow(tr("Analysis threads:"), threads_);

    silence_ = new QDoubleSpinBox(this);
    silence_->setRange(-120.0, 0.0);
    silence_->setDecimals(1);
    silence_->setSingleStep(5.0);
    silence_->setSuffix(tr(" dBFS"));
    silence_->setValue(current.silenceDb);
    silence_->setToolTip(tr("3-second segments whose loudness (RMS) is below this are skipped as silence.\n"
                            "Applies to analyses started after the change."));
    form->addRow(tr("Silence threshold:"), silence_);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, [this] {
        libraryPath_->setText(AppSettings::defaultLibraryPath());
        threads_->setValue(0);
        silence_->setValue(-60.0);
    });
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

AppSettings SettingsDialog::settings() const
{
    AppSettings a;
    a.libraryPath = QDir::cleanPath(libraryPath_->text().trimmed());
    a.analysisThreads = threads_->value();
    a.silenceDb = silence_->value();
    return a;
}

void SettingsDialog::accept()
{
    const QString path = libraryPath_->text().trimmed();
    if (path.isEmpty()) {
        QMessageBox::warning(this, tr("Library file"), tr("Please choose a library file."));
        return;
    }
    const QFileInfo info(path);
    if (info.exists() && info.isDir()) {
        QMessageBox::warning(this, tr("Library file"),
                             tr("“%1” is a folder. Please choose a file name such as library.sqlite inside it.").arg(path));
        return;
    }
    QDialog::accept();
}

}  // namespace stemscope::ui
