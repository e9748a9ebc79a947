// `stemscope-cli train-mix` end to end on a tiny corpus: a constant-Q piano/guitar specialist
// trains, records its features and focuses, validates only the parts it trains (the learning curve
// keeps every column in place; the auxiliary mask loss and the solo teacher are recorded), and a stem bank of the other kind is refused, not rebuilt over.
// Also evaluate-mix's per-query report on the same corpus (which songs fail, how buried their part).
#include <QtTest>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "dsp/MatrixIO.h"

#include "CliRunner.h"
#include "LibraryFixtures.h"

using namespace stemscope;

class CliTrainMixTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    QString cli(const QStringList& args, int* rc) { return test::runCli(args, rc); }
    QString path(const QString& name) const { return dir_.filePath(name); }

    void writeCorpus(const QString& name, int n, int first) { test::writeFiveStemCorpus(path(name), n, first, 10.0); }

private Q_SLOTS:
    void initTestCase()
    {
        writeCorpus("train", 6, 0);
        writeCorpus("val", 4, 10);
    }

    void cqtSpecialistTrainsAndValidatesItsParts()
    {
        int rc = -1;
        const QStringList common{"train-mix", "--corpus", path("train"), "--out", path("out"), "--bank", path("cqt.bank"),
                                 "--steps", "2", "--checkpoint-every", "2", "--groups", "2", "--channels", "8,8,8,8",
                                 "--threads", "1", "--validate", path("val"), "--validate-songs", "4",
                                 "--validate-seconds", "4", "--quiet"};
        QString out = cli(common + QStringList{"--features", "cqt", "--focuses", "piano,guitar", "--same-timbre-negatives", "0.5", "--solo-prob", "0.2", "--mask-loss", "0.5", "--solo-teacher", "0.25"}, &rc);
        QVERIFY2(rc == 0, qPrintable(out));
        QVERIFY2(out.contains("instrument sounds known for 0 of 6 songs"), qPrintable(out));  // no meta.json here
        std::ifstream info(test::u8(path("out/model.train.json")));
        const auto j = nlohmann::json::parse(info);
        QCOMPARE(j["features"].get<std::string>(), std::string("cqt"));
        QCOMPARE(j["focuses"], nlohmann::json({"piano", "guitar"}));
        QCOMPARE(j["same_timbre_negatives"].get<double>(), 0.5);
        QCOMPARE(j["solo_prob"].get<double>(), 0.2);
        QCOMPARE(j["mask_loss"]["weight"].get<double>(), 0.5);
        QCOMPARE(j["mask_loss"]["layer"].get<int>(), 1);
        QCOMPARE(j["solo_teacher"].get<double>(), 0.25);
        QVERIFY(j["model"].get<std::string>().find("129x96 CQT") == 0);
        QFile curve(path("out/learning_curve.csv"));
        QVERIFY(curve.open(QIODevice::ReadOnly));
        const auto lines = QString::fromUtf8(curve.readAll()).trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        const auto header = lines[0].split(','), row = lines[1].split(',');
        QCOMPARE(row.size(), header.size());
        for (int c = 0; c < header.size(); ++c) {
            const bool trained = header[c].endsWith("_piano") || header[c].endsWith("_guitar");
            if (header[c].startsWith("val_")) QVERIFY2(row[c].isEmpty() != trained, qPrintable(header[c] + "=" + row[c]));
        }
        // The same bank for a log-mel model: refused with the reason, the bank left as it was.
        const auto size = std::filesystem::file_size(test::u8(path("cqt.bank")));
        out = cli(common + QStringList{"--out", path("mel")}, &rc);
        QVERIFY(rc != 0);
        QVERIFY2(out.contains("96 CQT bins") && out.contains("64 mel bands"), qPrintable(out));
        QCOMPARE(std::filesystem::file_size(test::u8(path("cqt.bank"))), size);
        out = cli(common + QStringList{"--features", "chroma"}, &rc);
        QVERIFY(rc != 0 && out.contains("--features"));
        out = cli(common + QStringList{"--features", "cqt", "--focuses", "piano,tuba"}, &rc);
        QVERIFY(rc != 0 && out.contains("tuba"));
        out = cli(common + QStringList{"--features", "cqt", "--fresh-blocks", "bass"}, &rc);
        QVERIFY(rc != 0 && out.contains("--fresh-blocks needs --init"));
        out = cli(common + QStringList{"--features", "cqt", "--mask-layer", "7", "--mask-loss", "1"}, &rc);
        QVERIFY(rc != 0 && out.contains("--mask-layer"));
    }

    void evaluateMixReportsEveryQuery()
    {
        int rc = -1;
        const QString out = cli({"evaluate-mix", "--corpus", path("val"), "--seconds", "4", "--models", path("no-models"),
                                 "--pipelines", "mel-stats", "--focus", "guitar", "--out", path("eval"), "--embeddings",
                                 path("emb")},
                                &rc);
        QVERIFY2(rc == 0, qPrintable(out));
        std::ifstream in(test::u8(path("eval/focus_on_mixes.json")));
        const auto j = nlohmann::json::parse(in);
        QCOMPARE(j["rows"].size(), size_t(1));
        const auto& row = j["rows"][0];
        const auto& perQuery = row["per_query"];
        QCOMPARE(perQuery.size(), size_t(4));
        int found = 0;
        for (const auto& q : perQuery) {
            const int rank = q["rank"].get<int>();
            QVERIFY(rank >= 1 && rank <= 4);
            found += rank == 1;
            QVERIFY((rank == 1) == (q["nearest"] == q["song"]));
            // Every stem here is one tone at the same level: the guitar is one part against four
            // (some sharing its harmonics), so well below the rest but not silent.
            const double db = q["query_part_db"].get<double>();
            QVERIFY2(db < -3 && db > -12, qPrintable(QString::number(db)));
        }
        QCOMPARE(found / 4.0, row["acc1"].get<double>());
        // The engine's ranking (hubness-corrected) beside it: its own ranks, its acc@1 from them.
        const auto& engine = row["engine"];
        QCOMPARE(engine["hubness_k"].get<int>(), 5);
        QCOMPARE(engine["rank"].size(), size_t(4));
        int engineFound = 0;
        for (const auto& r : engine["rank"]) engineFound += r.get<int>() == 1;
        QCOMPARE(engineFound / 4.0, engine["acc1"].get<double>());

        // --embeddings: the centroids the scores came from (one unit row per track), each segment
        // with its track, and the distractors (song i's accompaniment under gallery item i+1-3).
        const auto stem = path("emb/guitar.mel-stats.").toStdString();
        const Matrix qc = readMatrix(stem + "query_centroids.npy"), gs = readMatrix(stem + "gallery_segments.npy");
        const Matrix gt = readMatrix(stem + "gallery_segment_track.npy"), d = readMatrix(stem + "distractor.npy");
        QCOMPARE(qc.rows, 4);
        QCOMPARE(gs.rows, gt.rows);
        QVERIFY(gs.rows >= 4);
        QCOMPARE(gt.data.front(), 0.f);
        QCOMPARE(gt.data.back(), 3.f);
        // The model-free baseline weights its segments alike (a mix model's block lengths: unit tests).
        const Matrix gw = readMatrix(stem + "gallery_segment_weights.npy");
        QCOMPARE(gw.rows, gs.rows);
        QCOMPARE(gw.data, std::vector<float>(size_t(gs.rows), 1.f));
        double norm = 0;
        for (int c = 0; c < qc.cols; ++c) norm += double(qc(0, c)) * qc(0, c);
        QVERIFY(std::abs(norm - 1) < 1e-4);
        QCOMPARE(d.cols, 4);
        for (int i = 0; i < 4; ++i) QVERIFY(d.data[size_t(i)] != float(i));
    }
};

QTEST_GUILESS_MAIN(CliTrainMixTest)
#include "tst_cli_train_mix.moc"
