// The instrument-similarity trainer on synthetic "songs" (distinct random tone patterns as log-mel
// matrices): a tiny CNN must learn to tell them apart (kNN accuracy far above chance on held-out
// segments), with every mining mode; checkpoints resume exactly; cancel stops; the model file loads
// into a TorchEmbedder.
#include <QtTest>

#include <QTemporaryDir>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <random>

#include "embedding/TorchEmbedder.h"
#include "instrsim/SimilarityMetrics.h"
#include "instrsim/TripletTrainer.h"

using namespace stemscope;

namespace {
constexpr int kBands = 32, kFrames = 32, kSongs = 6;

struct SongPattern {
    std::vector<int> bands;   // active mel bands
    int period = 4;           // onset period in frames
    int length = 2;           // note length in frames
};

std::vector<SongPattern> makeSongs(unsigned seed)
{
    std::mt19937 rng(seed);
    std::vector<SongPattern> songs;
    for (int s = 0; s < kSongs; ++s) {
        SongPattern p;
        std::vector<int> all(kBands);
        for (int b = 0; b < kBands; ++b) all[size_t(b)] = b;
        std::shuffle(all.begin(), all.end(), rng);
        p.bands.assign(all.begin(), all.begin() + 3);
        p.period = 3 + s % 4;
        p.length = 1 + s % 2;
        songs.push_back(p);
    }
    return songs;
}

// `perSong` segments of each song: random time offset, level and noise, in dB-like units.
FeatureSet render(const std::vector<SongPattern>& songs, int perSong, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> noise(0.f, 4.f);
    std::uniform_int_distribution<int> offset(0, 15);
    std::uniform_real_distribution<float> level(-6.f, 6.f);
    FeatureSet f;
    f.bands = kBands;
    f.frames = kFrames;
    std::vector<float> seg(size_t(kBands * kFrames));
    for (int s = 0; s < kSongs; ++s) {
        f.songs.push_back("song" + std::to_string(s));
        for (int k = 0; k < perSong; ++k) {
            const int off = offset(rng);
            const float gain = level(rng);
            for (int t = 0; t < kFrames; ++t)
                for (int b = 0; b < kBands; ++b) {
                    float v = -70.f + noise(rng);
                    const bool on = ((t + off) % songs[size_t(s)].period) < songs[size_t(s)].length;
                    for (int ab : songs[size_t(s)].bands)
                        if (on && b == ab) v = -20.f + gain + noise(rng);
                    seg[size_t(t * kBands + b)] = v;
                }
            f.append(s, seg.data());
        }
    }
    return f;
}

TrainConfig tinyConfig(TripletMining mining, int epochs)
{
    TrainConfig c;
    c.spec.bands = kBands;
    c.spec.frames = kFrames;
    c.spec.dim = 16;
    c.spec.channels = {4, 8, 8, 16};
    c.mining = mining;
    c.batchSize = 24;
    c.songsPerBatch = 6;
    c.epochs = epochs;
    c.learningRate = 5e-3;
    c.seed = 3;
    c.threads = 2;
    return c;
}

double heldOutAccuracy(const std::string& model, const FeatureSet& test)
{
    TorchEmbedder e(model);
    const Matrix emb = e.embedRaw(test.data.data(), test.segmentCount());
    return knnAccuracy(emb, test.songOf, 5);
}
}  // namespace

class TripletTrainerTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::vector<SongPattern> songs_ = makeSongs(11);
    FeatureSet train_ = render(songs_, 16, 1);
    FeatureSet test_ = render(songs_, 10, 2);
    std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

private Q_SLOTS:
    void miningNames()
    {
        QCOMPARE(*tripletMiningFromName("batch-hard"), TripletMining::BatchHard);
        QCOMPARE(std::string(tripletMiningName(TripletMining::BatchAll)), std::string("batch-all"));
        QVERIFY(!tripletMiningFromName("hardest"));
    }

    void randomMiningLearnsSongs()
    {
        const auto c = tinyConfig(TripletMining::Random, 12);
        const auto untrained = path("untrained.pt");
        writeUntrainedModel(c.spec, c.seed, untrained);
        const double before = heldOutAccuracy(untrained, test_);
        int callbacks = 0;
        const auto r = trainEmbeddingModel(train_, c, path("random.pt"), [&](const TrainProgress& p) {
            ++callbacks;
            QVERIFY(p.step >= 1 && p.step <= p.steps && std::isfinite(p.loss));
        });
        QVERIFY(!r.cancelled);
        QCOMPARE(r.epochsDone, 12);
        QVERIFY(callbacks >= 12 * 4);
        QVERIFY(r.epochLoss.back() < r.epochLoss.front());
        const double after = heldOutAccuracy(path("random.pt"), test_);
        qInfo("kNN accuracy on held-out segments: untrained %.3f, trained %.3f (chance %.3f), %.1f s", before, after,
              1.0 / kSongs, r.seconds);
        QVERIFY(after >= 0.9);
        TorchEmbedder e(path("random.pt"));
        QCOMPARE(e.dimension(), 16);
        QCOMPARE(e.featureBands(), kBands);
        QCOMPARE(e.segmentFrames(), kFrames);
        // Rows are unit length.
        const Matrix one = e.embedRaw(test_.segment(0), 1);
        double n = 0;
        for (int j = 0; j < one.cols; ++j) n += double(one(0, j)) * one(0, j);
        QVERIFY(std::abs(n - 1) < 1e-4);
    }

    // The Conv2d architecture trains too, and a model file remembers its architecture.
    void conv2dArchitectureRoundTrips()
    {
        auto c = tinyConfig(TripletMining::BatchHard, 8);
        c.spec.arch = ModelArch::Conv2d;
        const auto r = trainEmbeddingModel(train_, c, path("conv2d.pt"));
        QVERIFY(!r.cancelled);
        TorchEmbedder e(path("conv2d.pt"));
        QVERIFY(e.spec() == c.spec);
        QVERIFY(!(e.spec() == tinyConfig(TripletMining::BatchHard, 8).spec)); // differs only by arch
        const double acc = heldOutAccuracy(path("conv2d.pt"), test_);
        qInfo("conv2d: held-out kNN accuracy %.3f", acc);
        QVERIFY(acc >= 0.8);
    }

    void batchMiningLearnsSongs_data()
    {
        QTest::addColumn<int>("mining");
        QTest::newRow("batch-all") << int(TripletMining::BatchAll);
        QTest::newRow("batch-hard") << int(TripletMining::BatchHard);
    }
    void batchMiningLearnsSongs()
    {
        QFETCH(int, mining);
        const auto c = tinyConfig(TripletMining(mining), 12);
        const auto file = path(mining == int(TripletMining::BatchAll) ? "ba.pt" : "bh.pt");
        const auto r = trainEmbeddingModel(train_, c, file);
        QVERIFY(!r.cancelled && std::isfinite(r.epochLoss.back()));
        const double acc = heldOutAccuracy(file, test_);
        qInfo("%s: held-out kNN accuracy %.3f", tripletMiningName(TripletMining(mining)), acc);
        QVERIFY(acc >= 0.8);
    }

    void resumeIsExact()
    {
        auto c = tinyConfig(TripletMining::Random, 3);
        trainEmbeddingModel(train_, c, path("straight.pt"));
        c.checkpointPath = path("ckpt.pt");
        c.stopAfterEpochs = 1;
        const auto first = trainEmbeddingModel(train_, c, path("resumed.pt"));
        QVERIFY(first.cancelled);
        QVERIFY(!std::filesystem::exists(path("resumed.pt")));
        QVERIFY(std::filesystem::exists(path("ckpt.pt")));
        c.stopAfterEpochs = 0;
        c.resume = true;
        const auto second = trainEmbeddingModel(train_, c, path("resumed.pt"));
        QCOMPARE(second.resumedFromEpoch, 1);
        QCOMPARE(second.epochsDone, 3);
        TorchEmbedder a(path("straight.pt")), b(path("resumed.pt"));
        const Matrix ea = a.embedRaw(test_.data.data(), 12), eb = b.embedRaw(test_.data.data(), 12);
        double maxDiff = 0;
        for (size_t i = 0; i < ea.data.size(); ++i) maxDiff = std::max(maxDiff, double(std::abs(ea.data[i] - eb.data[i])));
        qInfo("max |straight - resumed| = %g", maxDiff);
        QVERIFY(maxDiff < 1e-4);
        // Same seed, same result: training is deterministic.
        trainEmbeddingModel(train_, tinyConfig(TripletMining::Random, 3), path("again.pt"));
        TorchEmbedder again(path("again.pt"));
        const Matrix eg = again.embedRaw(test_.data.data(), 12);
        for (size_t i = 0; i < ea.data.size(); ++i) QVERIFY(std::abs(ea.data[i] - eg.data[i]) < 1e-5);
    }

    void cancelStops()
    {
        std::atomic<bool> cancel{false};
        const auto r = trainEmbeddingModel(
            train_, tinyConfig(TripletMining::Random, 5), path("cancel.pt"),
            [&](const TrainProgress& p) {
                if (p.step == 2) cancel = true;
            },
            &cancel);
        QVERIFY(r.cancelled);
        QCOMPARE(r.epochsDone, 0);
        QVERIFY(!std::filesystem::exists(path("cancel.pt")));
    }

    void rejectsBadInput()
    {
        auto c = tinyConfig(TripletMining::Random, 1);
        c.spec.bands = 64;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, trainEmbeddingModel(train_, c, {}));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, TorchEmbedder(path("missing.pt")));
    }
};

QTEST_APPLESS_MAIN(TripletTrainerTest)
#include "tst_triplet_trainer.moc"
