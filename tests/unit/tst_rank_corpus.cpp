// Tagged corpus scanning, the CQT cache and the synthetic stand-in corpus (core/ranking/RankCorpus.h).
#include <QtTest>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "ranking/RankCorpus.h"
#include "ranking/RankModelFile.h"
#include "ranking/RankPipeline.h"
#include "ranking/SyntheticCorpus.h"

using namespace stemscope;

namespace {

// A 12-song synthetic corpus in `dir`/corpus and a tiny training of it: 2 steps of 4 per epoch,
// 3 songs set aside for validation.
RankTrainRequest tinyRequest(const std::string& dir)
{
    SyntheticCorpusConfig c;
    c.songs = 12;
    c.seconds = 3.0;
    writeSyntheticRankCorpus(dir + "/corpus", c);
    RankTrainRequest r;
    r.corpusDir = dir + "/corpus";
    r.out = dir + "/m.rank";
    r.cacheDir = dir + "/cache";
    r.width = 2;
    r.dim = 8;
    r.train.stepsPerEpoch = 2;
    r.train.batchSize = 4;
    r.train.threads = 2;
    r.validateSongs = 3;
    return r;
}
bool hasField(const TagList& l, const std::string& field)
{
    for (const auto& t : l)
        if (t.field == field) return true;
    return false;
}
}  // namespace

class RankCorpusTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void synthScanAndCache()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        SyntheticCorpusConfig c;
        c.songs = 3;
        c.seconds = 3.0;
        QCOMPARE(writeSyntheticRankCorpus(dir + "/corpus", c), 3);
        // A user-tagged folder without meta.json, and a folder with neither (skipped).
        std::filesystem::create_directories(dir + "/corpus/user");
        std::ofstream(dir + "/corpus/user/tags.txt") << "style=funk, groove=shuffle\n";
        std::filesystem::create_directories(dir + "/corpus/empty");

        const auto songs = scanRankCorpus(dir + "/corpus");
        QCOMPARE(int(songs.size()), 4);
        QCOMPARE(songs[0].name, std::string("song000"));
        for (const char* f : {"style", "groove", "tempo", "key", "program.bass", "class", "soundfont"})
            QVERIFY2(hasField(songs[0].tags, f), f);
        QCOMPARE(songs[3].name, std::string("user"));
        QCOMPARE(int(songs[3].tags.size()), 2);

        const Cqt cqt;
        const std::string cache = dir + "/cache";
        const Matrix m = songCqt(songs[0], "drums", cache, cqt);
        QCOMPARE(m.cols, 96);
        QCOMPARE(m.rows, cqt.frameCount(3 * 44100));
        const std::string file = cache + "/song000.drums.cqt";
        QVERIFY(std::filesystem::exists(file));
        Matrix again;
        const auto src = std::filesystem::path(songs[0].dir) / "drums.flac";
        const long long size = (long long)std::filesystem::file_size(src);
        const long long mtime = (long long)std::filesystem::last_write_time(src).time_since_epoch().count();
        QVERIFY(readCqtCache(file, size, mtime, cqt.config(), again));
        QCOMPARE(again.data, m.data);
        QVERIFY(!readCqtCache(file, size + 1, mtime, cqt.config(), again)); // stale source
        CqtConfig other = cqt.config();
        other.hop = 512;
        QVERIFY(!readCqtCache(file, size, mtime, other, again)); // other configuration
        QCOMPARE(songCqt(songs[0], "drums", cache, cqt).data, m.data);

        // Two trainings sharing the cache write the same song at once (the CV script's two chains):
        // neither may fail, and what stays is a whole file.
        std::atomic<int> failures{0};
        auto writer = [&] {
            for (int i = 0; i < 200; ++i) try {
                    writeCqtCache(file, m, size, mtime, cqt.config());
                } catch (const std::exception&) {
                    ++failures;
                }
        };
        std::thread a(writer), b(writer);
        a.join();
        b.join();
        QCOMPARE(failures.load(), 0);
        QVERIFY(readCqtCache(file, size, mtime, cqt.config(), again));
        QCOMPARE(again.data, m.data);
    }

    void foldsMakeEverySongAQueryOnce()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        SyntheticCorpusConfig c;
        c.songs = 4;
        c.seconds = 1.0;
        c.namePrefix = "a";
        writeSyntheticRankCorpus(dir + "/one", c);
        c.namePrefix = "b";
        c.seed = 2;
        writeSyntheticRankCorpus(dir + "/two", c);
        const auto all = scanRankCorpora(dir + "/one," + dir + "/two");
        QCOMPARE(int(all.size()), 8);
        std::map<std::string, int> asQuery;
        for (int f = 0; f < 4; ++f) {
            const RankFolds cv{4, f, 7};
            const auto held = foldSongs(all, cv, true), train = foldSongs(all, cv, false);
            QCOMPARE(int(held.size() + train.size()), 8);
            QCOMPARE(int(held.size()), 2);
            for (const auto& s : held) {
                ++asQuery[s.dir];
                for (const auto& t : train) QVERIFY(t.dir != s.dir);  // never trained on its own queries
            }
        }
        QCOMPARE(int(asQuery.size()), 8);
        for (const auto& [song, n] : asQuery) QCOMPARE(n, 1);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, foldSongs(all, RankFolds{4, 4, 7}, true));
    }

    void learningCurveAndResume()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        RankTrainRequest r = tinyRequest(dir);
        r.train.epochs = 2;
        r.oracleFields = {"style", "groove"};
        r.curvePath = dir + "/curve.csv";
        r.checkpoint = true;
        auto res = runRankTraining(r);
        QCOMPARE(res.validationSongs, 3);
        QCOMPARE(res.trainTracks, 12 - 2 - 3);  // every 6th held out for evaluation, 3 set aside for validation
        QCOMPARE(int(res.curve.size()), 3);  // epoch 0 (the network as initialised), 1, 2
        QCOMPARE(res.curve[0].epoch, 0);
        QCOMPARE(res.curve[0].steps, 0);
        for (const auto& p : res.curve) QVERIFY(p.map > 0 && p.map <= 1 && p.ndcg > 0 && p.ndcg <= 1);
        QVERIFY(std::filesystem::exists(r.out + ".ckpt"));
        // Resumed for a third epoch: the curve file gets one more row, the model file its steps.
        r.train.epochs = 3;
        r.resume = true;
        res = runRankTraining(r);
        QCOMPARE(res.report.resumedFromEpoch, 2);
        QCOMPARE(int(res.curve.size()), 1);
        QCOMPARE(res.curve[0].epoch, 3);
        std::ifstream in(r.curvePath);
        std::vector<std::string> lines;
        for (std::string l; std::getline(in, l);) lines.push_back(l);
        QCOMPARE(int(lines.size()), 5);
        QCOMPARE(lines[0], std::string("epoch,steps,seconds,loss,val_map,val_ndcg,val_rr,val_recall"));
        QVERIFY(lines[1].rfind("0,0,0,,", 0) == 0);  // no loss before the first step
        QVERIFY(lines[4].rfind("3,6,", 0) == 0);
        RankModelInfo info;
        loadRankModel(r.out, info);
        QCOMPARE(info.steps, 6);
        QCOMPARE(info.oracle, std::string("style,groove"));
        QVERIFY(!info.vocabulary.empty());
        for (const auto& t : info.vocabulary) QVERIFY2(t.rfind("style=", 0) == 0 || t.rfind("groove=", 0) == 0, t.c_str());
        // Too few songs to set aside is a clear error.
        r.validateSongs = 20;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, runRankTraining(r));
    }

    // --patience: training stops `patience` epochs after the best validation MAP, and the model is
    // that epoch's (its steps in the file); a resume reads the plateau back (<out>.best) and goes
    // on only as far as the new patience allows, and not at all when it is already reached.
    void trainsToThePlateauAndKeepsTheBestEpoch()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        RankTrainRequest r = tinyRequest(dir);
        r.train.epochs = 40;
        r.patience = 2;
        r.checkpoint = true;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, runRankTraining(r));  // no curve to resume the plateau from
        r.curvePath = dir + "/curve.csv";
        auto res = runRankTraining(r);
        auto firstBest = [](const std::vector<RankCurvePoint>& c) {
            size_t b = 0;
            for (size_t i = 1; i < c.size(); ++i)
                if (c[i].map > c[b].map) b = i;
            return c[b].epoch;
        };
        QVERIFY(res.report.stoppedEarly);
        QCOMPARE(res.bestEpoch, firstBest(res.curve));
        QCOMPARE(res.report.epochs, res.bestEpoch + 2);
        RankModelInfo info;
        loadRankModel(r.out, info);
        QCOMPARE(info.steps, 2 * res.bestEpoch);  // 2 steps per epoch
        QCOMPARE(info.stepsRun, 2 * res.report.epochs);
        // Named for its method even where the best epoch was the first (0 steps kept); only a
        // network that never trained is the untrained floor (older files: by the kept steps).
        RankModelInfo named = info;
        named.mode = "tl";
        named.mining = "neighbors";
        named.steps = 0;
        QCOMPARE(rankMethodName(named), std::string("TL neighbors (max)"));
        named.mode = "at";
        QCOMPARE(rankMethodName(named), std::string("AT baseline (max)"));
        named.stepsRun = 0;
        QCOMPARE(rankMethodName(named), std::string("untrained network (max)"));
        named.stepsRun = -1;
        QCOMPARE(rankMethodName(named), std::string("untrained network (max)"));
        named.steps = 4;
        QCOMPARE(rankMethodName(named), std::string("AT baseline (max)"));
        QVERIFY(std::filesystem::exists(r.out + ".best"));
        const int stoppedAt = res.report.epochs;
        r.resume = true;
        r.patience = 3;
        res = runRankTraining(r);
        QCOMPARE(res.report.resumedFromEpoch, stoppedAt);
        QVERIFY(res.report.stoppedEarly);
        QCOMPARE(res.report.epochs, res.bestEpoch + 3);
        // Already at its plateau: a resume trains nothing more.
        const int epochs = res.report.epochs;
        res = runRankTraining(r);
        QVERIFY(res.report.stoppedEarly);
        QCOMPARE(res.report.epochs, epochs);
        QCOMPARE(res.report.steps, 2 * epochs);
        // Without the best epoch's weights a resume cannot keep its promise: refused by name.
        std::filesystem::remove(r.out + ".best");
        r.patience = 5;
        try {
            runRankTraining(r);
            QFAIL("resumed without the best weights");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::string(e.what()).find(".best") != std::string::npos, e.what());
        }
    }

    void holdoutRule()
    {
        int held = 0;
        for (int i = 0; i < 180; ++i) held += isHeldOut(i, 6);
        QCOMPARE(held, 30);
        QVERIFY(!isHeldOut(0, 6) && isHeldOut(5, 6) && !isHeldOut(5, 0));
    }
};

QTEST_APPLESS_MAIN(RankCorpusTest)
#include "tst_rank_corpus.moc"
