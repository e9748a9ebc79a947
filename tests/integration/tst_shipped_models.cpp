// The weights shipped in models/ work on songs they have never seen: a few short songs are
// rendered with a seed outside every standard split, then
//  * every focus model loads through the engine's registry and tells the songs apart (kNN song-ID
//    over segments, the paper's measure), on the focus's own stem;
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
#include "instrsim/SimilarityMetrics.h"
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

    void focusModelsTellSongsApart()
    {
        setEmbedderFactory(&makeTorchEmbedder);
        std::vector<std::string> problems;
        const auto set = loadEmbedders(defaultModelsRoot(), {kAllFocuses.begin(), kAllFocuses.end()}, &problems);
        for (const auto& p : problems) qWarning("%s", p.c_str());
        QCOMPARE(int(set.size()), 5);
        for (const auto& [focus, embedder] : set) {
            QCOMPARE(embedder->dimension(), 128);
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
            Matrix m(int(labels.size()), 128);
            m.data = rows;
            const double acc = knnAccuracy(m, labels, 5);
            qInfo("%s: kNN song-ID accuracy %.3f over %d segments of 4 unseen songs (chance 0.25)", focusName(focus),
                  acc, m.rows);
            QVERIFY(acc >= 0.8);
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
            const double sdr = bssEvalSdr(song.stems[1], est.at("bass"));
            const double baseline = bssEvalSdr(song.stems[1], mix);
            qInfo("%s bass: SDR %.2f dB, mix as estimate %.2f dB", song.name.c_str(), sdr, baseline);
            QVERIFY(sdr > baseline + 3.0);
        }
    }
};

QTEST_APPLESS_MAIN(ShippedModelsTest)
#include "tst_shipped_models.moc"
