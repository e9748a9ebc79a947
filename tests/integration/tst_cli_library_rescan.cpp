// `stemscope-cli library import LIB --rescan` when a folder imported before is gone (an unplugged
// drive): the rescan succeeds, names the folder and marks its tracks missing; plugged back in, the
// tracks return unchanged. A path the user names that does not exist still fails the command.
#include <QtTest>

#include <QDir>
#include <QTemporaryDir>

#include "CliRunner.h"
#include "LibraryFixtures.h"

using namespace stemscope;

class CliLibraryRescanTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    QString cli(const QStringList& args, int* rc) { return test::runCli(args, rc); }
    QString path(const QString& name) const { return dir_.filePath(name); }

private Q_SLOTS:
    void vanishedSavedFolderIsAFindingNotAFailure()
    {
        QVERIFY(QDir(dir_.path()).mkpath("drive/music"));
        test::writeVoice(test::u8(path("drive/music/a.wav")), 220.0, 4.0);
        test::writeVoice(test::u8(path("drive/music/b.wav")), 330.0, 4.0);
        const QString lib = path("lib.sqlite");
        int rc = -1;
        QString out = cli({"library", "create", lib}, &rc);
        QVERIFY2(rc == 0, qPrintable(out));
        out = cli({"library", "import", lib, path("drive/music"), "--quiet"}, &rc);
        QVERIFY2(rc == 0 && out.contains("2 added"), qPrintable(out));

        QVERIFY(QDir(dir_.path()).rename("drive", "unplugged"));
        out = cli({"library", "import", lib, "--rescan", "--quiet"}, &rc);
        QVERIFY2(rc == 0, qPrintable(out));
        QVERIFY2(out.contains("drive/music") && out.contains("not there now") && out.contains("2 newly missing"), qPrintable(out));
        QVERIFY2(!out.contains("no such file or folder"), qPrintable(out));  // one explanation, not two

        // A path the user names that is not there: the command did not do what it was asked.
        out = cli({"library", "import", lib, path("nowhere"), "--quiet"}, &rc);
        QVERIFY2(rc == 1 && out.contains("nowhere: no such file or folder"), qPrintable(out));

        QVERIFY(QDir(dir_.path()).rename("unplugged", "drive"));
        out = cli({"library", "import", lib, "--rescan", "--quiet"}, &rc);
        QVERIFY2(rc == 0 && out.contains("2 unchanged") && !out.contains("not there now"), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(CliLibraryRescanTest)
#include "tst_cli_library_rescan.moc"
