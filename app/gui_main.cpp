#include <QApplication>
#include <QIcon>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

#include "MainWindow.h"
#include "MapBenchmark.h"

int main(int argc, char** argv)
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    QApplication app(argc, argv);
    QApplication::setApplicationName("Stemscope");
    QApplication::setOrganizationName("Stemscope");
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/stemscope.svg")));
    QApplication::setDesktopFileName(QStringLiteral("stemscope"));

    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Browse a music library by instrument."));
    cli.addHelpOption();
    cli.addVersionOption();
    QCommandLineOption library(QStringLiteral("library"), QStringLiteral("Open this library file instead of the configured one."),
                               QStringLiteral("file"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Open the library (a fresh demo library unless --library is given), wait "
                                                 "for its jobs, save PNGs of the main views into DIR and quit."),
                                  QStringLiteral("dir"));
    QCommandLineOption timeout(QStringLiteral("timeout"), QStringLiteral("Screenshot mode: seconds to wait for jobs (default 900)."),
                               QStringLiteral("seconds"), QStringLiteral("900"));
    QCommandLineOption benchmarkMap(QStringLiteral("benchmark-map"),
                                    QStringLiteral("Open the library, time start-up until its map is drawn and the frame time "
                                                   "of zooming and panning it; print JSON and quit."));
    cli.addOptions({library, screenshot, timeout, benchmarkMap});
    cli.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Audio files or folders to add to the library."), QStringLiteral("[files...]"));
    cli.process(app);

    stemscope::ui::MainWindowOptions options;
    options.libraryPath = cli.value(library);
    QTemporaryDir scratch;
    const bool shots = cli.isSet(screenshot);
    if (cli.isSet(benchmarkMap)) {
        options.restoreGeometry = false;
        options.persistSettings = false;
        options.firstRunDemo = false;
    }
    if (shots) {
        options.restoreGeometry = false;
        options.persistSettings = false;
        if (options.libraryPath.isEmpty()) options.libraryPath = QDir(scratch.path()).filePath(QStringLiteral("library.sqlite"));
    }
    stemscope::ui::MainWindow window({}, options);
    window.resize(1400, 860);
    window.show();
    if (!cli.positionalArguments().isEmpty())
        QTimer::singleShot(0, &window, [&] { window.addPaths(cli.positionalArguments()); });
    if (cli.isSet(benchmarkMap)) {
        QTimer::singleShot(0, &window, [&] { QApplication::exit(runMapBenchmark(window, sinceStart, cli.value(timeout).toInt() * 1000)); });
    }
    if (shots) {
        QTimer::singleShot(0, &window, [&] {
            const int limitMs = cli.value(timeout).toInt() * 1000;
            QApplication::processEvents();
            if (!window.waitUntilIdle(limitMs)) std::fprintf(stderr, "stemscope: jobs still running after %d s, taking screenshots anyway\n", limitMs / 1000);
            QString error;
            const bool ok = window.saveScreenshots(cli.value(screenshot), &error);
            if (!ok) std::fprintf(stderr, "stemscope: %s\n", qPrintable(error));
            else std::printf("stemscope: screenshots saved in %s\n", qPrintable(cli.value(screenshot)));
            QApplication::exit(ok ? 0 : 1);
        });
    }
    return app.exec();
}
