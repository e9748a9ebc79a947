// Instrument-similarity pipeline on a tiny synthetic audio corpus: corpus scan, per-focus log-mel
// segment features, the binary feature cache, embedding a track / song folder with a TorchEmbedder,
// and the evaluation protocol end to end.
#include <QtTest>

#include <QTemporaryDir>

#include <cmath>
#include <filesystem>

#include "SyntheticMultitrack.h"
#include "audio/AudioDecoder.h"
#include "embedding/TorchEmbedder.h"
#include "embedding/TrackEmbedding.h"
#include "instrsim/CorpusEmbedding.h"
#include "instrsim/Evaluation.h"
#include "instrsim/FeatureSet.h"
#include "instrsim/TripletTrainer.h"

using namespace stemscope;
namespace fs = std::filesystem;

class InstrumentSimilarityTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string corpus_;

private Q_SLOTS:
    void initTestCase()
    {
        corpus_ = dir_.filePath("corpus").toStdString();
        test::MultitrackSpec spec;  // 3 songs x 8 s at 44.1 kHz: mix at 220 (s + 1) Hz, drums at 90 + 40 s Hz
        spec.songs = 3;
        spec.stem = "drums";
        spec.ext = "flac";
        spec.rate = 44100;
        spec.mixF0 = 220.0;
        spec.mixStep = 220.0;
        spec.stemF0 = 90.0;
        spec.stemStep = 40.0;
        spec.silentStem = 2;  // song2's drums are silent: it has no drums segments.
        test::writeSyntheticMultitrack(corpus_, spec);
        fs::create_directories(fs::path(corpus_) / "not-a-song");
    }

    void corpusFeaturesAndCache()
    {
        const auto songs = listCorpusSongs(corpus_);
        QCOMPARE(songs.size(), size_t(3));
        QCOMPARE(songs[0], std::string("song0"));
        SegmentFeatureOptions o;
        o.bands = 64;
        o.frames = 129;
        o.maxSegments = 3; // 8 s -> 4 whole segments (0, 1.5, 3, 4.5 s), keep the first 3
        const FeatureSet mix = computeCorpusFeatures(corpus_, Focus::Mix, o, 2);
        QCOMPARE(mix.songs.size(), size_t(3));
        QCOMPARE(mix.segmentCount(), 9LL);
        QCOMPARE(mix.data.size(), size_t(9 * 129 * 64));
        const FeatureSet drums = computeCorpusFeatures(corpus_, Focus::Drums, o, 2);
        QCOMPARE(drums.songs.size(), size_t(2)); // the silent stem is skipped

        const std::string cacheDir = dir_.filePath("cache").toStdString();
        const std::string cachePath = featureCachePath(cacheDir, corpus_, Focus::Mix, o);
        QVERIFY(!fs::exists(cachePath));
        const FeatureSet first = cachedCorpusFeatures(corpus_, Focus::Mix, o, cacheDir);
        QVERIFY(fs::exists(cachePath));
        const FeatureSet loaded = loadFeatureSet(cachePath);
        QCOMPARE(loaded.songs, mix.songs);
        QCOMPARE(loaded.songOf, mix.songOf);
        QVERIFY(loaded.data == mix.data);
        QVERIFY(first.data == mix.data);
        // Different settings -> different cache file.
        o.maxSegments = 2;
        QVERIFY(featureCachePath(cacheDir, corpus_, Focus::Mix, o) != cachePath);
        QVERIFY(featureCachePath(cacheDir, corpus_, Focus::Drums, o) != cachePath);
    }

    void embedTrackAndSong()
    {
        ModelSpec spec; // 129 x 64 -> 128
        const std::string model = dir_.filePath("models/mix/model.pt").toStdString();
        writeUntrainedModel(spec, 1, model);
        const auto e = makeTorchEmbedder(Focus::Mix, fs::path(model).parent_path().string());
        QVERIFY(e);
        QVERIFY(!makeTorchEmbedder(Focus::Mix, dir_.filePath("nowhere").toStdString()));
        QCOMPARE(e->dimension(), 128);
        const TrackEmbedding t = embedSongFocus((fs::path(corpus_) / "song1").string(), Focus::Mix, *e);
        QCOMPARE(t.segments.rows, 4);
        QCOMPARE(t.startSeconds.size(), size_t(4));
        QVERIFY(std::abs(t.startSeconds[1] - 1.5) < 1e-9);
        QCOMPARE(t.centroid.size(), size_t(128));
        for (int r = 0; r < t.segments.rows; ++r) {
            double n = 0;
            for (int j = 0; j < 128; ++j) n += double(t.segments(r, j)) * t.segments(r, j);
            QVERIFY(std::abs(n - 1) < 1e-4);
        }
        // embed() on Matrix segments equals the song path.
        DecodeOptions d;
        const auto audio = defaultAudioDecoder()->decodeMono((fs::path(corpus_) / "song1" / "mix.flac").string(), d);
        SegmentFeatureOptions o;
        const Matrix direct = e->embed(splitSegments(logMelSegments(audio.samples, o), 129));
        QCOMPARE(direct.rows, 4);
        for (size_t i = 0; i < direct.data.size(); ++i) QVERIFY(std::abs(direct.data[i] - t.segments.data[i]) < 1e-5);
        const TrackEmbedding silent = embedSongFocus((fs::path(corpus_) / "song2").string(), Focus::Drums, *e);
        QCOMPARE(silent.segments.rows, 0);
        QVERIFY(silent.centroid.empty());
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, embedSongFocus((fs::path(corpus_) / "song1").string(), Focus::Piano, *e));
    }

    void evaluationEndToEnd()
    {
        ModelSpec spec;
        std::map<Focus, FeatureSet> features;
        std::map<Focus, std::shared_ptr<const Embedder>> embedders;
        SegmentFeatureOptions o;
        o.maxSegments = 4;
        for (Focus f : {Focus::Mix, Focus::Drums}) {
            const std::string model = dir_.filePath(QString("eval/%1/model.pt").arg(focusName(f))).toStdString();
            writeUntrainedModel(spec, f == Focus::Mix ? 1 : 2, model);
            embedders[f] = std::make_shared<TorchEmbedder>(model);
            features[f] = computeCorpusFeatures(corpus_, f, o, 2);
        }
        {
            // A constant-Q model of the very same shape is refused, not fed log-mel frames.
            ModelSpec cqt = spec;
            cqt.features = EmbedderFeatures::Cqt;
            const std::string model = dir_.filePath("eval/cqt/model.pt").toStdString();
            writeUntrainedModel(cqt, 2, model);
            auto wrong = embedders;
            wrong[Focus::Drums] = std::make_shared<TorchEmbedder>(model);
            QCOMPARE(wrong[Focus::Drums]->featureBands(), features[Focus::Drums].bands);
            QVERIFY_THROWS_EXCEPTION(std::runtime_error, evaluateRun(features, wrong, 5, 3));
        }
        const EvaluationRun run = evaluateRun(features, embedders, 5, 3);
        QCOMPARE(run.songs.size(), size_t(2)); // song2 has no drums
        QCOMPARE(run.results.at(Focus::Mix).segments, 8);
        QCOMPARE(run.results.at(Focus::Mix).centroidDistances.rows, 2);
        QVERIFY(run.pearson.count({Focus::Mix, Focus::Drums}));
        QVERIFY(run.mrrInMix.count(Focus::Drums));
        const auto summary = summarize({run, run});
        QCOMPARE(summary.runs, 2);
        QVERIFY(std::abs(summary.knn.at(Focus::Mix).mean - run.results.at(Focus::Mix).knnAccuracy) < 1e-12);
        QCOMPARE(summary.knn.at(Focus::Mix).variance, 0.0);
        const std::string md = summaryMarkdown(summary);
        QVERIFY(md.find("Table 1") != std::string::npos && md.find("| mix - drums |") != std::string::npos);
        const std::string out = dir_.filePath("eval-out").toStdString();
        writeEvaluationFiles({run}, summary, out);
        for (const char* f : {"knn.csv", "correlations.csv", "mrr.csv", "summary.md", "distances_mix.csv",
                              "embeddings_drums.csv"})
            QVERIFY2(fs::exists(fs::path(out) / f), f);
    }
};

QTEST_APPLESS_MAIN(InstrumentSimilarityTest)
#include "tst_instrument_similarity.moc"
