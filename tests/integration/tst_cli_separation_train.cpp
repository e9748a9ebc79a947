// `stemscope-cli separation train` on two corpora at once through the mapped stem caches: both
// corpora train as one set, each gets a cache file of its own, and a second run reads both back
// (the same batches, so the same loss) instead of decoding again.
#include <QtTest>

#include <QTemporaryDir>

#include <fstream>

#include <nlohmann/json.hpp>

#include "CliRunner.h"
#include "LibraryFixtures.h"

using namespace stemscope;

class CliSeparationTrainTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    QString path(const QString& name) const { return dir_.filePath(name); }

    void writeCorpus(const QString& name, int n, int first) { test::writeFiveStemCorpus(path(name), n, first, 4.0); }

    static QString lossLine(const QString& out)
    {
        for (const auto& line : out.split('\n'))
            if (line.startsWith("step 4/4")) return line.section("  ", 0, 1);
        return {};
    }

private Q_SLOTS:
    void twoCorporaTrainAsOneSetThroughTheirOwnCaches()
    {
        writeCorpus("a", 2, 0);
        writeCorpus("b", 3, 10);
        const QStringList args{"separation", "train", "--corpus", path("a") + "," + path("b"), "--half-precision",
                               "--data-cache", path("cache/stems.bin"), "--arch", "bandsplit", "--hidden", "8",
                               "--blocks", "1", "--steps", "4", "--batch", "2", "--excerpt", "1", "--threads", "1",
                               "--checkpoint-every", "4"};
        int rc = -1;
        const QString first = test::runCli(args + QStringList{"--out", path("m1.pt")}, &rc);
        QVERIFY2(rc == 0, qPrintable(first));
        QVERIFY2(first.contains("loaded 5 songs"), qPrintable(first));
        QVERIFY2(first.contains("written to the cache " + path("cache/stems.bin") + "\n"), qPrintable(first));
        QVERIFY2(first.contains("written to the cache " + path("cache/stems.bin.2")), qPrintable(first));
        std::ifstream in(test::u8(path("m1.train.json")));
        const auto info = nlohmann::json::parse(in);
        QCOMPARE(info.at("songs").get<int>(), 5);
        QVERIFY(QString::fromStdString(info.at("corpus").get<std::string>()).contains(","));

        const QString second = test::runCli(args + QStringList{"--out", path("m2.pt")}, &rc);
        QVERIFY2(rc == 0, qPrintable(second));
        QVERIFY2(second.contains("read from the cache " + path("cache/stems.bin") + "\n"), qPrintable(second));
        QVERIFY2(second.contains("read from the cache " + path("cache/stems.bin.2")), qPrintable(second));
        QVERIFY(!lossLine(first).isEmpty());
        QCOMPARE(lossLine(second), lossLine(first));  // mapped stems, the same samples
    }
};

QTEST_APPLESS_MAIN(CliSeparationTrainTest)
#include "tst_cli_separation_train.moc"
