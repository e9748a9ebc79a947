// The weights shipped in models/ work on songs they have never seen: a few short songs are
// rendered with a seed outside every standard split, then
//  * every focus model loads through the engine's registry and tells the songs apart (kNN song-ID
//    over segments, the paper's measure), on the focus's own stem;
//  * the pseudo-mix benchmark (4-song version) runs every pipeline: the clean-part ceiling finds
//    every song, and the engine's default pipeline is the one models/pipelines.json names;
//  * the separator loads as the engine's default, its stems add up to the mix, and it beats the
//    do-nothing estimate (the mix itself) on the bass by a wide margin.
#include <QtTest>

#include <QTemporaryDir>

#include <filesystem>

#include "analysis/EmbedderRegistry.h"
#include "audio/AudioDecoder.h"
#include "corpus/CorpusBuilder.h"
#include "corpus/SongRecipe.h"
#include "corpus/MmaRunner.h"
#include "embedding/TorchEmbedder.h"
#include "embedding/TrackEmbedding.h"
#include "instrsim/CorpusEmbedding.h"
#include "instrsim/SimilarityMetrics.h"
#include "mixfocus/MixPipelines.h"
#include "mixfocus/PseudoMixBenchmark.h"
#include "separation/SeparationData.h"
#include "separation/SeparationMetrics.h"
#include "separation/TorchSeparator.h"

using namespace stemscope;
using namespace stemscope::corpus;
namespace fs = std::filesystem;

class ShippedModelsTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string corpus_;

private Q_SLOTS:
    void initTestCase()
    {
        if (!mmaAvailable()) QSKIP("mma is not installed");
        if (installedSoundfonts().empty()) QSKIP("no GM soundfont installed");
        corpus_ = dir_.filePath("songs").toStdString();
        CorpusOptions o;
        o.outDir = corpus_;
        o.prefix = "unseen";
        o.split = "test-shipped-models";
        o.songs = 4;
        o.seed = 777001; // not a standard split's seed: songs no model was trained on
        o.jobs = 2;
        o.minSeconds = 14.0;
        o.maxSeconds = 16.0;
        o.grooves = {"50srock", "bossanova", "countryswing", "jazzwaltz"};
        for (const auto& sf : installedSoundfonts())
            if (sf.find("TimGM6mb") != std::string::npos || sf.find("FluidR3") != std::string::npos)
                o.soundfonts.push_back(sf);
        const auto r = renderCorpus(o);
        QCOMPARE(r.failed, 0);
        QCOMPARE(r.rendered, 4);
    }

    void styleModelLoadsAndListensToTheMix()
    {
        // The shipped ranking model is found by the default factory as the sixth focus.
        setEmbedderFactory(&makeModelEmbedder);
        std::vector<std::string> problems;
        const auto set = loadEmbedders(defaultModelsRoot(), {Focus::Style}, &problems);
        for (const auto& p : problems) qWarning("%s", p.c_str());
        QCOMPARE(int(set.size()), 1);
        const auto& e = *set.at(Focus::Style);
        QCOMPARE(e.features(), EmbedderFeatures::Cqt);
        QCOMPARE(e.input(), EmbedderInput::Mix);
        QVERIFY(e.modelId().rfind("rank-", 0) == 0);
        QVERIFY(e.segmentSeconds() > 11.0 && e.segmentSeconds() < 12.0);
    }

    void focusModelsTellSongsApart()
    {
        setEmbedderFactory(&makeTorchEmbedder);
        std::vector<std::string> problems;
        const auto set = loadEmbedders(defaultModelsRoot(), {kInstrumentFocuses.begin(), kInstrumentFocuses.end()}, &problems);
        for (const auto& p : problems) qWarning("%s", p.c_str());
        QCOMPARE(int(set.size()), 5);
        for (const auto& [focus, embedder] : set) {
            const int dim = embedder->dimension();
            std::vector<float> rows;
            std::vector<int> labels;
            int label = 0;
            for (const auto& entry : fs::directory_iterator(corpus_)) {
                if (!entry.is_directory() || entry.path().filename().string().rfind("unseen", 0) != 0) continue;
                const auto t = embedSongFocus(entry.path().string(), focus, *embedder);
                QVERIFY2(t.segments.rows >= 4, entry.path().c_str());
                rows.insert(rows.end(), t.segments.data.begin(), t.segments.data.end());
                labels.insert(labels.end(), size_t(t.segments.rows), label++);
            }
            QCOMPARE(label, 4);
            Matrix m(int(labels.size()), dim);
            m.data = rows;
            const double acc = knnAccuracy(m, labels, 5);
            qInfo("%s: kNN song-ID accuracy %.3f over %d segments of 4 unseen songs (chance 0.25)", focusName(focus),
                  acc, m.rows);
            QVERIFY(acc >= 0.8);
        }
    }

    void pseudoMixBenchmarkOnFourSongs()
    {
        setEmbedderFactory(&makeTorchEmbedder);
        const auto corpus = loadPseudoMixCorpus(corpus_, 7.0);  // 14-16 s songs: T = 7 s
        QCOMPARE(int(corpus.songs.size()), 4);
        for (Focus f : {Focus::Drums, Focus::Bass, Focus::Piano, Focus::Guitar}) {
            const auto set = makePseudoMixSet(corpus, f);
            std::vector<std::string> problems;
            const auto pipelines = standardMixPipelines(defaultModelsRoot(), f, standardPipelineNames(), &problems);
            for (const auto& p : problems) qWarning("%s", p.c_str());
            QCOMPARE(pipelines.size(), standardPipelineNames().size());
            for (const auto& p : pipelines) {
                std::vector<TrackEmbedding> q, g;
                for (const auto& t : set.queries) q.push_back(embedPseudoMix(t, f, p));
                for (const auto& t : set.gallery) g.push_back(embedPseudoMix(t, f, p));
                const auto s = scorePseudoMix(q, g, set.distractor);
                qInfo("%s %-13s acc@1 %.2f distractor@1 %.2f MRR %.2f segment kNN %.2f", focusName(f), p.name.c_str(), s.acc1,
                      s.distractor1, s.mrr, s.segmentKnn);
                QCOMPARE(s.queries, 4);
                QVERIFY(s.querySegments >= 4 * 3);
                QVERIFY(s.acc1 + s.distractor1 <= 1.0);
                if (p.name == "clean") QCOMPARE(s.acc1, 1.0);
                if (p.name == "default") {
                    // A focus served by a multi-focus mix model (whichever folder pipelines.json names)
                    // embeds the mix; one served by a stem model embeds the separated part.
                    const bool mixModel = p.embedder && p.embedder->input() == EmbedderInput::Mix;
                    QCOMPARE(p.input == PipelineInput::Mix, mixModel);
                    QCOMPARE(p.input == PipelineInput::SeparatedPart, !mixModel);
                }
            }
            // The served mix model on the separated part (session 32's comparison).
            const auto onSeparated = standardMixPipelines(defaultModelsRoot(), f, {"separated:default"}, &problems);
            QCOMPARE(int(onSeparated.size()), 1);
            QCOMPARE(onSeparated.front().input, PipelineInput::SeparatedPart);
            QVERIFY(onSeparated.front().separator);
            const auto e = embedPseudoMix(set.queries[0], f, onSeparated.front());
            QVERIFY(e.segments.rows >= 3);
        }
    }

    void separatorIsTheDefaultAndSeparates()
    {
        std::string why;
        const auto sep = loadDefaultSeparator(&why);
        QVERIFY2(sep, why.c_str());
        QCOMPARE(sep->stemNames(), (std::vector<std::string>{"drums", "bass", "piano", "guitar", "other"}));
        const auto data = loadSeparationData(corpus_, sep->stemNames(), sep->sampleRate(), 2);
        QCOMPARE(int(data.songs.size()), 2);
        for (const auto& song : data.songs) {
            const auto mix = song.mix();
            const auto est = sep->separate(mix);
            double maxErr = 0;
            for (size_t i = 0; i < mix.size(); ++i) {
                double sum = 0;
                for (const auto& [n, x] : est) sum += x[i];
                maxErr = std::max(maxErr, std::abs(sum - mix[i]));
            }
            QVERIFY(maxErr < 1e-4);
            const double sdr = bssEvalSdr(song.stem(1), est.at("bass"));
            const double baseline = bssEvalSdr(song.stem(1), mix);
            qInfo("%s bass: SDR %.2f dB, mix as estimate %.2f dB", song.name.c_str(), sdr, baseline);
            QVERIFY(sdr > baseline + 3.0);
        }
    }
};

QTEST_APPLESS_MAIN(ShippedModelsTest)
#include "tst_shipped_models.moc"
