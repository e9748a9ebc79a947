// The learning-to-rank model as the "style" focus (ranking/RankEmbedder, analysis/SegmentFeatures):
// loading by folder, the CQT segment grid, features equal to the whole-signal CQT cut at each
// segment, the 22050 Hz analysis CQT against the 44.1 kHz training CQT, the auto-tagger's tag
// vectors, bad model files, and a library track analysed end to end.
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include <torch/torch.h>

#include "LibraryFixtures.h"
#include "analysis/EmbedderRegistry.h"
#include "analysis/SegmentFeatures.h"
#include "analysis/TrackAnalyzer.h"
#include "audio/AudioDecoder.h"
#include "dsp/Cqt.h"
#include "dsp/Resampler.h"
#include "library/LibraryStore.h"
#include "library/TrackImporter.h"
#include "jobs/JobEngine.h"
#include "session/LibrarySession.h"
#include "ranking/RankEmbedder.h"
#include "ranking/RankModelFile.h"
#include "ranking/RankNet.h"

using namespace stemscope;
namespace fs = std::filesystem;

namespace {

// Notes with partials and decays at 44.1 kHz: energy spread over the CQT's octaves.
std::vector<float> notes(double rate, double seconds, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<float> x(size_t(rate * seconds));
    for (double t0 = 0; t0 < seconds; t0 += 0.25) {
        const double f = 55.0 * std::pow(2.0, std::floor(u(rng) * 48) / 12.0);
        for (size_t i = size_t(t0 * rate); i < std::min(x.size(), size_t((t0 + 0.5) * rate)); ++i) {
            const double t = double(i) / rate - t0;
            x[i] += float(0.15 * std::exp(-4 * t) * (std::sin(2 * M_PI * f * t) + 0.4 * std::sin(4 * M_PI * f * t)));
        }
    }
    return x;
}

std::string saveModel(const QString& dir, RankNetConfig c, const std::vector<std::string>& vocab = {})
{
    fs::create_directories(test::u8(dir));
    RankNet net(c, 3);
    RankModelInfo info;
    info.mode = c.isTagger() ? "at" : "tl";
    info.mining = c.isTagger() ? "-" : "distance";
    info.net = c;
    info.vocabulary = vocab;
    const std::string file = test::u8(dir) + "/model.rank";
    saveRankModel(file, info, net);
    return file;
}

}  // namespace

class RankEmbedderTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    RankNetConfig small_;

private Q_SLOTS:
    void initTestCase()
    {
        torch::set_num_threads(2);
        QVERIFY(dir_.isValid());
        small_.frames = 64;  // 64 x 1024 / 44100 = 1.486 s per segment
    }

    void loadsFromAFolderAsTheStyleFocus()
    {
        saveModel(dir_.filePath("models/style"), small_);
        const auto e = makeModelEmbedder(Focus::Style, test::u8(dir_.filePath("models/style")));
        QVERIFY(e);
        QVERIFY(dynamic_cast<const RankEmbedder*>(e.get()));
        QCOMPARE(e->features(), EmbedderFeatures::Cqt);
        QCOMPARE(e->input(), EmbedderInput::Mix);
        QCOMPARE(e->dimension(), 128);
        QCOMPARE(e->featureBands(), 96);
        QCOMPARE(e->segmentFrames(), 64);
        QVERIFY(std::abs(e->segmentSeconds() - 64 * 1024 / 44100.0) < 1e-9);
        QVERIFY(e->modelId().rfind("rank-tl:", 0) == 0);
        // The registry finds it through models/<focus>/ like any other focus model.
        const auto set = loadEmbedders(test::u8(dir_.filePath("models")), {Focus::Style});
        QCOMPARE(int(set.size()), 1);
        QCOMPARE(set.at(Focus::Style)->modelId(), e->modelId());
        // A folder without model.rank is not a ranking model (and here holds no model at all).
        fs::create_directories(test::u8(dir_.filePath("empty")));
        QVERIFY(!makeRankEmbedder(Focus::Style, test::u8(dir_.filePath("empty"))));
        QVERIFY(!makeModelEmbedder(Focus::Style, test::u8(dir_.filePath("empty"))));
    }

    void segmentGridAndFeaturesFollowTheModel()
    {
        const RankEmbedder e(saveModel(dir_.filePath("grid"), small_));
        const SegmentConfig grid = segmentConfigFor(e);
        QVERIFY(std::abs(grid.lengthSeconds - e.segmentSeconds()) < 1e-12);
        QVERIFY(std::abs(grid.hopSeconds - e.segmentSeconds() / 2) < 1e-12);  // the analysis's 50 % overlap
        const auto x = resample(notes(44100, 8, 5), 44100, kAnalysisSampleRate);
        const auto plan = planSegments(x, kAnalysisSampleRate, grid);
        QVERIFY(plan.segments.size() >= 8);
        // Each segment is the whole-signal CQT's rows from the segment's first frame.
        const CqtConfig cfg = cqtConfigAt(kAnalysisSampleRate);
        QCOMPARE(cfg.hop, 512);
        const Matrix whole = Cqt(cfg).compute(x);
        SegmentFeatureReader reader(x, plan, e);
        const auto batch = reader.read(2, 3);
        QCOMPARE(int(batch.size()), 3);
        for (int k = 0; k < 3; ++k) {
            const long long row0 = plan.segments[size_t(2 + k)].startSample / 512;
            QCOMPARE(plan.segments[size_t(2 + k)].startSample % 512, 0LL);
            QCOMPARE(batch[size_t(k)].rows, 64);
            QCOMPARE(batch[size_t(k)].cols, 96);
            for (int r = 0; r < 64; r += 7)
                for (int b = 0; b < 96; b += 11) QCOMPARE(batch[size_t(k)](r, b), whole(int(row0) + r, b));
        }
        // Readers sharing a cache compute one CQT per signal (by content, not by address).
        SignalCqtCache cache;
        SegmentFeatureReader a(x, plan, e, &cache), b(x, plan, e, &cache);
        QCOMPARE(a.read(2, 3)[1].data, batch[1].data);
        QCOMPARE(b.read(0, 1).size(), size_t(1));
        const auto copy = x;
        SegmentFeatureReader c(copy, plan, e, &cache);
        c.read(0, 1);
        QCOMPARE(cache.computations(), 1);
        auto louder = x;
        for (auto& v : louder) v *= 2;
        SegmentFeatureReader d(louder, plan, e, &cache);
        QVERIFY(d.read(2, 1)[0](10, 40) != batch[0](10, 40));
        QCOMPARE(cache.computations(), 2);
        // The embedding of those features is the network's output, unit length.
        const Matrix y = e.embed(batch);
        QCOMPARE(y.rows, 3);
        for (int r = 0; r < 3; ++r) {
            double n = 0;
            for (int c = 0; c < y.cols; ++c) n += double(y(r, c)) * y(r, c);
            QVERIFY(std::abs(n - 1.0) < 1e-4);
        }
        // Wrong shapes are refused, not silently padded.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, e.embed({Matrix(10, 96)}));
    }

    void analysisRateCqtMatchesTheTrainingCqt()
    {
        // The model is trained on CQTs of 44.1 kHz audio (hop 1024); the engine analyses 22050 Hz
        // (hop 512). Same bins, same frame times: the two agree to a fraction of a dB where there
        // is energy, so the shipped model hears what it was trained on.
        const auto x44 = notes(44100, 6, 9);
        const auto x22 = resample(x44, 44100, 22050);
        const Matrix a = Cqt(CqtConfig{}).compute(x44);
        const Matrix b = Cqt(cqtConfigAt(22050)).compute(x22);
        QVERIFY(std::abs(a.rows - b.rows) <= 1);
        double diff = 0;
        int n = 0;
        for (int r = 20; r < std::min(a.rows, b.rows) - 20; ++r)
            for (int k = 0; k < 96; ++k)
                if (a(r, k) > -60.f) {
                    diff += std::abs(a(r, k) - b(r, k));
                    ++n;
                }
        QVERIFY(n > 1000);
        qInfo("mean |CQT 44.1 kHz - CQT 22.05 kHz| = %.3f dB over %d cells above -60 dB", diff / n, n);
        QVERIFY(diff / n < 0.5);
    }

    void autoTaggerGivesUnitTagVectors()
    {
        RankNetConfig c = small_;
        c.outputs = 4;
        const RankEmbedder e(saveModel(dir_.filePath("at"), c, {"style=funk", "style=rock", "tempo=fast", "groove=swing"}));
        QCOMPARE(e.dimension(), 4);
        QVERIFY(e.modelId().rfind("rank-at:", 0) == 0);
        const Matrix y = e.embed({Matrix(64, 96, -40.f), Matrix(64, 96, -80.f)});
        for (int r = 0; r < 2; ++r) {
            double n = 0;
            for (int k = 0; k < 4; ++k) {
                QVERIFY(y(r, k) >= 0.f);
                n += double(y(r, k)) * y(r, k);
            }
            QVERIFY(std::abs(n - 1.0) < 1e-4);
        }
        // An auto-tagger whose tag list does not match its outputs is refused with the reason.
        const auto bad = saveModel(dir_.filePath("at-bad"), c, {"style=funk"});
        try {
            RankEmbedder x(bad);
            QFAIL("loaded");
        } catch (const std::runtime_error& err) {
            QVERIFY(std::string(err.what()).find("4 outputs but 1 tags") != std::string::npos);
        }
    }

    void damagedModelFilesNameTheirProblem()
    {
        const QString d = dir_.filePath("bad");
        fs::create_directories(test::u8(d));
        test::writeBytes(test::u8(d) + "/model.rank", "stemscope-rank-model 1\nmode tl\n");
        try {
            makeModelEmbedder(Focus::Style, test::u8(d));
            QFAIL("loaded");
        } catch (const std::runtime_error& err) {
            QVERIFY(std::string(err.what()).find("truncated header") != std::string::npos);
        }
        test::writeBytes(test::u8(d) + "/model.rank", "RIFF....");
        std::vector<std::string> problems;
        QVERIFY(loadEmbedders(test::u8(dir_.filePath("")), {Focus::Style}, &problems).empty());
        QVERIFY(!problems.empty());
        try {
            RankEmbedder x(test::u8(d));
            QFAIL("loaded");
        } catch (const std::runtime_error& err) {
            QVERIFY(std::string(err.what()).find("not a stemscope ranking model") != std::string::npos);
        }
    }

    void libraryTrackAnalysedByStyle()
    {
        const QString root = dir_.filePath("music");
        fs::create_directories(test::u8(root));
        writeAudio(test::u8(root) + "/song.wav", {notes(44100, 10, 11)}, 44100, 16);
        writeAudio(test::u8(root) + "/short.wav", {notes(44100, 1.2, 12)}, 44100, 16);  // under one 1.49 s segment
        auto store = std::make_shared<LibraryStore>(test::u8(dir_.filePath("lib.sqlite")));
        TrackImporter(*store, defaultAudioDecoder()).run({test::u8(root)});
        const auto style = std::make_shared<RankEmbedder>(saveModel(dir_.filePath("lib-model"), small_));
        AnalysisOptions o;
        o.segments.lengthSeconds = 1.0;  // the 3 s grid is too long for the short file; style has its own
        o.segments.hopSeconds = 0.5;
        TrackAnalyzer analyzer(store, {{Focus::Style, style}}, defaultAudioDecoder(), o);
        int analysed = 0;
        for (const auto& t : store->tracks()) {
            analyzer.analyze(t.id);
            const auto a = store->analysis(t.id, Focus::Style, style->modelId());
            QVERIFY(a);
            if (fs::u8path(t.path).filename() == "short.wav") {
                QCOMPARE(a->status, std::string("silent"));
                QVERIFY2(a->error.find("1.49 s segment") != std::string::npos, a->error.c_str());
                continue;
            }
            ++analysed;
            QCOMPARE(a->status, std::string("done"));
            QCOMPARE(a->source, std::string("mix"));
            const auto seg = store->segments(t.id, Focus::Style, style->modelId());
            // 10 s, 1.486 s segments every 0.743 s: 12 segments.
            QCOMPARE(int(seg.startSeconds.size()), 12);
            QVERIFY(std::abs(seg.startSeconds[1] - 32 * 512 / 22050.0) < 1e-6);
        }
        QCOMPARE(analysed, 1);
    }

    void styleFocusThroughTheSession()
    {
        // The installed-models path the CLI and the window share: models/style/model.rank is found
        // by the default factory, analysed, and answers neighbour and heatmap queries.
        const std::string root = test::u8(dir_.filePath("session"));
        saveModel(dir_.filePath("session/models/style"), small_);
        for (int i = 0; i < 5; ++i) test::writeVoice(root + "/music/tone " + std::to_string(i) + ".wav", 110.0 * (i + 1), 6.0);
        setEmbedderFactory(&makeModelEmbedder);
        LibrarySession session(root + "/lib.sqlite");
        session.loadInstalledModels(root + "/models", {Focus::Style});
        QCOMPARE(int(session.embedders().size()), 1);
        QVERIFY(std::abs(session.segmentSeconds(Focus::Style) - 64 * 1024 / 44100.0) < 1e-9);
        QCOMPARE(session.segmentSeconds(Focus::Drums), 3.0);  // no model loaded: the analysis's grid
        JobEngine engine(2);
        engine.wait(session.submitImport(engine, {root + "/music"}, {}));
        session.submitAnalysis(engine, {});
        engine.waitAll();
        session.invalidate();
        const int64_t first = session.resolveTrack(root + "/music/tone 0.wav");
        const auto n = session.neighbours(first, Focus::Style, 10);
        QCOMPARE(int(n.size()), 4);
        for (const auto& x : n) QVERIFY(x.trackId != first && x.distance >= 0);
        const auto d = session.centroidDistances(Focus::Style, {}, 100);
        QCOMPARE(int(d.trackIds.size()), 5);
        const auto seg = session.store()->segments(first, Focus::Style, session.modelFor(Focus::Style).modelId);
        QCOMPARE(int(seg.startSeconds.size()), 7);  // 6 s, 1.486 s segments every 0.743 s
    }
};

QTEST_GUILESS_MAIN(RankEmbedderTest)
#include "tst_rank_embedder.moc"
