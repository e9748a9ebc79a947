// `stemscope-cli embed` with the shipped models: one file, several files (rows concatenated, each
// row's file recorded), a file that cannot be read is named and left out, JSON lines.
#include <QtTest>

#include <QProcess>
#include <QTemporaryDir>

#include <cmath>

#include "CliRunner.h"
#include "LibraryFixtures.h"
#include "dsp/MatrixIO.h"

using namespace stemscope;

class CliEmbedTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    QString cli(const QStringList& args, int* rc) { return test::runCli(args, rc); }
    QString path(const QString& name) const { return dir_.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        test::writeVoice(test::u8(path("a.wav")), 220.0, 9.0);
        test::writeVoice(test::u8(path("b ü.wav")), 330.0, 12.0);
    }

    void severalFilesConcatenateWithTheirOrigin()
    {
        int rc = -1;
        QString out = cli({"embed", path("a.wav"), "--focus", "drums", "--out", path("a.npy")}, &rc);
        QVERIFY2(rc == 0, qPrintable(out));
        const Matrix a = readMatrix(test::u8(path("a.npy")));
        QVERIFY(a.rows >= 4);  // 9 s at a 1.5 s hop
        out = cli({"embed", path("a.wav"), path("missing.wav"), path("b ü.wav"), "--focus", "drums", "--out", path("ab.npy")}, &rc);
        QVERIFY2(rc == 0, qPrintable(out));
        QVERIFY2(out.contains("missing.wav") && out.contains("left out"), qPrintable(out));
        const Matrix ab = readMatrix(test::u8(path("ab.npy")));
        const Matrix files = readMatrix(test::u8(path("ab.files.npy")));
        const Matrix starts = readMatrix(test::u8(path("ab.starts.npy")));
        QVERIFY(ab.rows > a.rows);
        QCOMPARE(ab.cols, a.cols);
        QCOMPARE(files.rows, ab.rows);
        QCOMPARE(starts.rows, ab.rows);
        // Each row's weight in its track's centroid (the drums model's block length): one per row, positive.
        const Matrix weights = readMatrix(test::u8(path("ab.weights.npy")));
        QCOMPARE(weights.rows, ab.rows);
        for (float w : weights.data) QVERIFY(w > 0.f);
        // The first file's rows are exactly the single-file run's; then the second file's (index 1).
        for (int r = 0; r < a.rows; ++r) {
            QCOMPARE(files(r, 0), 0.f);
            for (int c = 0; c < a.cols; ++c) QCOMPARE(ab(r, c), a(r, c));
        }
        QCOMPARE(files(a.rows, 0), 1.f);
        QCOMPARE(starts(a.rows, 0), 0.f);
        QFile names(path("ab.files.txt"));
        QVERIFY(names.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(names.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines, (QStringList{path("a.wav"), path("b ü.wav")}));
        for (int r = 0; r < ab.rows; ++r) {
            double n = 0;
            for (int c = 0; c < ab.cols; ++c) n += double(ab(r, c)) * ab(r, c);
            QVERIFY(std::abs(n - 1.0) < 1e-3);
        }
    }

    void aFileCutShortIsUsedAndSaidSo()
    {
        test::writeVoice(test::u8(path("cut.wav")), 440.0, 9.0);
        test::truncateFile(test::u8(path("cut.wav")), 0.5);
        for (const QStringList& args : {QStringList{"decode", path("cut.wav")},
                                        QStringList{"embed", path("cut.wav"), "--focus", "drums", "--out", path("cut.npy")}}) {
            int rc = -1;
            const QString out = cli(args, &rc);
            QVERIFY2(rc == 0, qPrintable(out));
            QVERIFY2(out.contains(path("cut.wav") + ": partial: 4.5 s of 9.0 s decoded ("), qPrintable(out));
        }
    }

    void jsonIsOneLinePerFileAndAllBadIsAnError()
    {
        int rc = -1;
        const QString out = cli({"embed", path("a.wav"), path("b ü.wav"), "--focus", "bass", "--json"}, &rc);
        QCOMPARE(rc, 0);
        int lines = 0;
        for (const auto& line : out.split('\n'))
            if (line.startsWith("{")) {
                ++lines;
                QVERIFY(line.contains("\"focus\":\"bass\""));
            }
        QCOMPARE(lines, 2);
        cli({"embed", path("missing.wav"), "--focus", "bass"}, &rc);
        QVERIFY(rc != 0);
    }
};

QTEST_GUILESS_MAIN(CliEmbedTest)
#include "tst_cli_embed.moc"
