// End-to-end learning to rank on synthetic tagged data (features generated in-test): a tiny
// triplet network and a tiny auto-tagger must beat random ranking on unseen tracks.
#include <QtTest>

#include <random>

#include <QTemporaryDir>

#include <torch/torch.h>

#include "ranking/PatchSampling.h"
#include "ranking/RankEvaluation.h"
#include "ranking/RankNet.h"
#include "ranking/RankTrainer.h"
#include "ranking/RankedLists.h"
#include "ranking/TagVector.h"
#include "ranking/TripletMining.h"

using namespace stemscope;

namespace {
constexpr int kBins = 24, kFrames = 32, kTrackFrames = 96;

struct Synthetic {
    std::vector<TagList> tags;
    std::vector<Matrix> features;
};

// Three tag fields with three values each, each leaving a distinct trace in a CQT-like matrix:
// style -> which of three frequency bands is loud, groove -> the period of an amplitude pattern
// in a high band, tempo -> the level of a low band. Gaussian noise on top (dB-like values).
Synthetic makeTracks(int n, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> noise(0.f, 4.f);
    Synthetic s;
    for (int t = 0; t < n; ++t) {
        const int style = int(rng() % 3), groove = int(rng() % 3), tempo = int(rng() % 3);
        s.tags.push_back({{"style", std::to_string(style)}, {"groove", std::to_string(groove)},
                          {"tempo", std::to_string(tempo)}});
        Matrix m(kTrackFrames, kBins);
        const int period = 4 << groove;
        const int phase = int(rng() % 16);
        for (int f = 0; f < kTrackFrames; ++f)
            for (int b = 0; b < kBins; ++b) {
                float v = -60.f + noise(rng);
                if (b >= 3 + 5 * style && b < 6 + 5 * style) v += 30.f;
                if (b >= 19 && ((f + phase) % period) < period / 2) v += 25.f;
                if (b < 2) v += 12.f * float(tempo);
                m(f, b) = v;
            }
        s.features.push_back(std::move(m));
    }
    return s;
}

Matrix oracleOf(const std::vector<TagList>& tags)
{
    const TagVocabulary vocab(tags);
    std::vector<std::vector<float>> rows;
    for (const auto& t : tags) rows.push_back(vocab.vector(t));
    return cosineSimilarity(stackRows(rows));
}

RankNetConfig tinyConfig()
{
    RankNetConfig c;
    c.bins = kBins;
    c.frames = kFrames;
    c.width = 4;
    c.dim = 16;
    return c;
}

TrainOptions quickOptions()
{
    TrainOptions o;
    o.epochs = 4;
    o.stepsPerEpoch = 40;
    o.batchSize = 16;
    o.learningRate = 3e-3;
    o.threads = 1;
    return o;
}
}  // namespace

class RankTrainingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        train_ = makeTracks(60, 1);
        test_ = makeTracks(40, 2);
        oracleTest_ = oracleOf(test_.tags);
        chance_ = randomRankingScores(oracleTest_);
    }

    void patchSampling()
    {
        std::mt19937_64 rng(1);
        const Matrix& m = train_.features[0];
        const Matrix p = randomPatch(m, kFrames, rng);
        QCOMPARE(p.rows, kFrames);
        const auto even = evenPatches(m, kFrames, 8);
        QCOMPARE(int(even.size()), 8);
        QCOMPARE(even.front().data, m.slice(0, kFrames).data);
        QCOMPARE(even.back().data, m.slice(kTrackFrames - kFrames, kFrames).data);
        const auto shortOne = evenPatches(m.slice(0, 10), kFrames, 8);
        QCOMPARE(int(shortOne.size()), 1);
        QCOMPARE(shortOne[0](20, 0), kPatchPadValue);
    }

    void tripletNetworkBeatsRandom_data()
    {
        QTest::addColumn<int>("strategy");
        QTest::addColumn<int>("pooling");
        QTest::newRow("random/max") << int(MiningStrategy::Random) << int(TemporalPooling::Max);
        QTest::newRow("distance/autopool") << int(MiningStrategy::Distance) << int(TemporalPooling::AutoPool);
    }
    void tripletNetworkBeatsRandom()
    {
        QFETCH(int, strategy);
        QFETCH(int, pooling);
        const Matrix s = oracleOf(train_.tags);
        MiningConfig mc;
        mc.strategy = MiningStrategy(strategy);
        mc.negatives = 20;
        const auto triplets = mineTriplets(s, rankedLists(s), mc);
        RankNetConfig c = tinyConfig();
        c.pooling = TemporalPooling(pooling);
        RankNet net(c, 7);
        const TrainReport r = trainTriplets(net, train_.features, triplets, quickOptions());
        qInfo("loss per epoch: %.3f ... %.3f", r.epochLoss.front(), r.epochLoss.back());
        std::vector<std::vector<float>> emb;
        for (const auto& f : test_.features) emb.push_back(meanRow(net.infer(evenPatches(f, kFrames, 8))));
        const RankingScores got = evaluateRanking(oracleTest_, cosineSimilarity(stackRows(emb)));
        qInfo("TL %s: MAP@20 %.3f (chance %.3f), nDCG@20 %.3f (chance %.3f), %d steps in %.1f s",
              miningName(mc.strategy), got.map.mean, chance_.map.mean, got.ndcg.mean, chance_.ndcg.mean, r.steps,
              r.seconds);
        QVERIFY(got.map.mean > chance_.map.mean + 0.15);
        QVERIFY(got.ndcg.mean - got.ndcg.halfWidth > chance_.ndcg.mean + chance_.ndcg.halfWidth);
    }

    void autoTaggerBeatsRandom()
    {
        const TagVocabulary vocab(train_.tags);
        std::vector<std::vector<float>> targets;
        for (const auto& t : train_.tags) targets.push_back(vocab.multiHot(t));
        RankNetConfig c = tinyConfig();
        c.outputs = vocab.size();
        RankNet net(c, 7);
        const TrainReport r = trainTagger(net, train_.features, targets, quickOptions());
        QVERIFY(r.epochLoss.back() < r.epochLoss.front());
        std::vector<std::vector<float>> predicted;
        for (const auto& f : test_.features)
            predicted.push_back(vocab.vectorFromScores(meanRow(net.infer(evenPatches(f, kFrames, 8)))));
        const RankingScores got = evaluateRanking(oracleTest_, cosineSimilarity(stackRows(predicted)));
        qInfo("AT: MAP@20 %.3f (chance %.3f), nDCG@20 %.3f, %d steps in %.1f s", got.map.mean, chance_.map.mean,
              got.ndcg.mean, r.steps, r.seconds);
        QVERIFY(got.map.mean > chance_.map.mean + 0.15);
    }

    void budgetStopsTraining()
    {
        const Matrix s = oracleOf(train_.tags);
        const auto triplets = mineTriplets(s, rankedLists(s), MiningConfig{});
        RankNet net(tinyConfig(), 1);
        TrainOptions o = quickOptions();
        o.epochs = 1000;
        o.timeBudgetSeconds = 0.5;
        const TrainReport r = trainTriplets(net, train_.features, triplets, o);
        QVERIFY(r.stoppedByBudget);
        QVERIFY(r.seconds < 5.0);
    }

    void resumeContinuesAsIfNeverStopped()
    {
        QTemporaryDir tmp;
        const Matrix s = oracleOf(train_.tags);
        const auto triplets = mineTriplets(s, rankedLists(s), MiningConfig{});
        TrainOptions o = quickOptions();
        o.stepsPerEpoch = 10;
        o.checkpointPath = (tmp.path() + "/straight.ckpt").toStdString();
        RankNet straight(tinyConfig(), 1);
        const TrainReport all = trainTriplets(straight, train_.features, triplets, o);
        QCOMPARE(all.epochs, 4);

        // Two epochs, stop; a fresh process (a fresh network) resumes for the other two.
        o.checkpointPath = (tmp.path() + "/split.ckpt").toStdString();
        o.epochs = 2;
        RankNet first(tinyConfig(), 1);
        QCOMPARE(trainTriplets(first, train_.features, triplets, o).epochs, 2);
        o.epochs = 4;
        o.resume = true;
        RankNet resumed(tinyConfig(), 99);  // other initial weights: the checkpoint replaces them
        const TrainReport rest = trainTriplets(resumed, train_.features, triplets, o);
        QCOMPARE(rest.resumedFromEpoch, 2);
        QCOMPARE(rest.epochs, 4);
        QCOMPARE(rest.steps, all.steps);
        QCOMPARE(int(rest.epochLoss.size()), 4);
        for (int e = 0; e < 4; ++e) QVERIFY2(std::abs(rest.epochLoss[size_t(e)] - all.epochLoss[size_t(e)]) < 1e-4,
                                             qPrintable(QString("epoch %1: %2 vs %3").arg(e).arg(rest.epochLoss[size_t(e)]).arg(all.epochLoss[size_t(e)])));
        const Matrix a = straight.infer({randomPatchFree(test_.features[0])});
        const Matrix b = resumed.infer({randomPatchFree(test_.features[0])});
        for (int k = 0; k < a.cols; ++k) QVERIFY(std::abs(a(0, k) - b(0, k)) < 1e-4);

        // A checkpoint of another network is refused with the reason, not half-loaded.
        RankNetConfig other = tinyConfig();
        other.dim = 8;
        RankNet wrong(other, 1);
        try {
            trainTriplets(wrong, train_.features, triplets, o);
            QFAIL("resumed another network");
        } catch (const std::runtime_error& e) {
            QVERIFY(std::string(e.what()).find("cannot resume") != std::string::npos);
        }
    }

private:
    static Matrix randomPatchFree(const Matrix& track)
    {
        Matrix m(kFrames, kBins);
        std::copy(track.data.begin(), track.data.begin() + kFrames * kBins, m.data.begin());
        return m;
    }
    Synthetic train_, test_;
    Matrix oracleTest_;
    RankingScores chance_;
};

QTEST_APPLESS_MAIN(RankTrainingTest)
#include "tst_rank_training.moc"
