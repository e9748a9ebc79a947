#include "MainWindow.h"

#include <QAction>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QVBoxLayout>

#include "audio/AudioDecoder.h"
#include "audio/AudioError.h"

namespace stemscope::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Stemscope"));
    resize(1100, 720);
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    status_ = new QLabel(tr("Open an audio file to inspect it (Ctrl+O)."), central);
    status_->setObjectName("inspectLabel");
    status_->setAlignment(Qt::AlignCenter);
    layout->addWidget(status_);
    setCentralWidget(central);

    auto* file = menuBar()->addMenu(tr("&File"));
    auto* open = file->addAction(tr("&Open audio file…"), this, &MainWindow::openAudioFile);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    statusBar()->showMessage(tr("Ready"));
}

void MainWindow::openAudioFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open audio"), QString(),
                                                      tr("Audio (*.wav *.aif *.aiff *.flac *.ogg *.mp3)"));
    if (path.isEmpty()) return;
    try {
        const auto info = defaultAudioDecoder()->probe(path.toStdString());
        status_->setText(tr("%1\n%2, %3 channel(s), %4 Hz, %5 s")
                             .arg(path, QString::fromStdString(info.format))
                             .arg(info.channels)
                             .arg(info.sampleRate)
                             .arg(info.durationSeconds(), 0, 'f', 1));
    } catch (const AudioError& e) {
        QMessageBox::warning(this, tr("Cannot open audio"), QString::fromStdString(e.what()));
    }
}

}  // namespace stemscope::ui
