// The multi-focus mix model as the engine sees it: the model file (spec v3, one block per focus),
// the focus-block embedder that listens to the mix, the registry's per-focus model folders
// (models/pipelines.json), and the trainer's exact resume.
#include <QtTest>

#include <QTemporaryDir>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "SyntheticStemBank.h"
#include "analysis/EmbedderRegistry.h"
#include "analysis/SegmentEmbeddingReader.h"
#include "analysis/SegmentFeatures.h"
#include "audio/AudioDecoder.h"
#include "embedding/EmbeddingNet.h"
#include "embedding/JoinedEmbedder.h"
#include "embedding/TorchEmbedder.h"
#include "embedding/TripletLoss.h"
#include "instrsim/CorpusEmbedding.h"
#include "instrsim/TripletTrainer.h"
#include "mixfocus/MixPipelines.h"
#include "mixfocus/MultiFocusTrainer.h"
#include "mixfocus/PseudoMixSampler.h"
#include "mixfocus/WindowSetPooling.h"

using namespace stemscope;
namespace fs = std::filesystem;

namespace {

MultiFocusTrainConfig tinyConfig()
{
    MultiFocusTrainConfig c;
    c.spec.bands = 16;
    c.spec.frames = 32;
    c.spec.channels = {8, 8, 8, 8};
    c.spec.dim = 5 * 4;
    c.mix.frames = 32;
    c.mix.leadIn = 8;
    c.groups = 4;
    c.steps = 4;
    c.threads = 1;
    c.checkpointEvery = 100;
    return c;
}

// The tiny config on the analysis's constant-Q input (96 bins, 129 frames), and a bank to match.
MultiFocusTrainConfig tinyCqtConfig()
{
    auto c = tinyConfig();
    c.spec.features = EmbedderFeatures::Cqt;
    c.spec.bands = cqtConfigAt(kAnalysisSampleRate).nBins;
    c.spec.frames = 129;
    c.mix.frames = 129;
    return c;
}

StemBank tinyCqtBank()
{
    auto bank = test::syntheticStemBank(6, 400, cqtConfigAt(kAnalysisSampleRate).nBins);
    bank.features = EmbedderFeatures::Cqt;
    return bank;
}

// A sampler over eight synthetic songs (the bank lives as long as the test program).
PseudoMixSampler tinySampler(const MultiFocusTrainConfig& c)
{
    static const auto bank = test::syntheticStemBank(8, 200, 16);
    std::vector<int> songs(8);
    std::iota(songs.begin(), songs.end(), 0);
    return PseudoMixSampler(bank, songs, c.mix);
}

std::vector<Matrix> probeSegments()
{
    std::vector<Matrix> segs;
    for (int s = 0; s < 3; ++s) {
        Matrix m(32, 16);
        for (int r = 0; r < 32; ++r)
            for (int b = 0; b < 16; ++b) m(r, b) = float(-40 + 10 * std::sin(0.3 * r + s + 0.7 * b));
        segs.push_back(m);
    }
    return segs;
}

}  // namespace

class MultiFocusModelTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string model_;

    // 40 steps at a high rate with `c`'s auxiliary loss on: its reported value (`member`) is not zero
    // and falls between the two reports, and the model file is the plain network. Sets c.steps.
    void auxiliaryLossFalls(MultiFocusTrainConfig& c, const char* file, double MultiFocusProgress::*member)
    {
        c.steps = 40;
        c.learningRate = 0.02;
        const PseudoMixSampler sampler = tinySampler(c);
        std::vector<double> losses;
        const auto model = dir_.filePath(file).toStdString();
        trainMultiFocusModel(sampler, c, model, [&](const MultiFocusProgress& p) { losses.push_back(p.*member); });
        QCOMPARE(int(losses.size()), 2);
        QVERIFY2(losses[0] != 0 && losses[1] < losses[0], qPrintable(QString("%1 -> %2").arg(losses[0]).arg(losses[1])));
        QCOMPARE(TorchEmbedder(model).dimension(), 20);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const auto c = tinyConfig();
        const PseudoMixSampler sampler = tinySampler(c);
        model_ = dir_.filePath("mixfocus/model.pt").toStdString();
        const auto r = trainMultiFocusModel(sampler, c, model_);
        QVERIFY(r.finished);
        QCOMPARE(r.stepsDone, 4);
        QVERIFY(fs::exists(model_));
    }

    void focusBlocksAreUnitVectorsOfTheirOwn()
    {
        const auto segs = probeSegments();
        const TorchEmbedder whole(model_);
        QCOMPARE(whole.dimension(), 20);
        QCOMPARE(whole.spec().subspaces, 5);
        QVERIFY(whole.input() == EmbedderInput::Mix);
        const Matrix all = whole.embed(segs);
        int block = 0;
        for (Focus f : kInstrumentFocuses) {
            const TorchEmbedder e(model_, "", f);
            QCOMPARE(e.dimension(), 4);
            QVERIFY(e.input() == EmbedderInput::Mix);
            QVERIFY(e.modelId().find(std::string("mixfocus-cnn:")) == 0);
            const Matrix m = e.embed(segs);
            for (int r = 0; r < m.rows; ++r) {
                double norm = 0;
                for (int c = 0; c < 4; ++c) {
                    norm += double(m(r, c)) * m(r, c);
                    QCOMPARE(m(r, c), all(r, block * 4 + c));  // the focus's block of the whole output
                }
                QVERIFY(std::abs(norm - 1.0) < 1e-4);
            }
            ++block;
        }
        const auto drums = makeTorchEmbedder(Focus::Drums, fs::path(model_).parent_path().string());
        QVERIFY(drums->modelId().find("mixfocus-cnn:drums:") == 0);
        // The views share one network and a memo of its outputs: a block view first (computed), the
        // whole output after it (from the memo), other inputs never confused with these.
        auto other = segs;
        for (auto& m : other) m.data[0] += 0.5f;
        const Matrix piano = TorchEmbedder(model_, "", Focus::Piano).embed(other);
        const Matrix wholeOther = whole.embed(other);
        const Matrix wholeAgain = whole.embed(segs);
        bool differs = false;
        for (int r = 0; r < piano.rows; ++r)
            for (int c = 0; c < 4; ++c) {
                QCOMPARE(piano(r, c), wholeOther(r, 3 * 4 + c));
                differs = differs || wholeOther(r, 3 * 4 + c) != all(r, 3 * 4 + c);
            }
        QVERIFY(differs);
        QCOMPARE(wholeAgain.data, all.data);
    }

    // A block view weights each segment by its block's length before normalisation (how strongly
    // the network heard its focus), and a track's centroid is the weighted mean; its id says so.
    // The whole-output view weights every segment alike.
    void blockViewsWeighSegmentsByLength()
    {
        const auto segs = probeSegments();
        std::vector<float> packed;
        for (const auto& m : segs) packed.insert(packed.end(), m.data.begin(), m.data.end());
        auto net = stemscope::detail::loadModel(model_);
        net->eval();
        torch::NoGradGuard noGrad;
        const auto raw = net->forwardUnnormalized(torch::from_blob(packed.data(), {3, 32, 16}, torch::kFloat).clone());
        int block = 0;
        for (Focus f : kInstrumentFocuses) {
            const TorchEmbedder e(model_, "", f);
            QVERIFY(e.weighsByLength());
            std::vector<float> w;
            const Matrix m = e.embedWeighted(segs, w);
            QCOMPARE(m.data, e.embed(segs).data);
            QCOMPARE(w.size(), size_t(3));
            for (int r = 0; r < 3; ++r) {
                const float expected = raw[r].slice(0, block * 4, block * 4 + 4).norm().template item<float>();
                QVERIFY2(std::abs(w[size_t(r)] - expected) <= 1e-4f * expected, qPrintable(QString::number(w[size_t(r)])));
            }
            QVERIFY(w[0] != w[1] || w[1] != w[2]);
            // The centroid: the weighted mean of the unit rows, re-normalised.
            const auto c = centroid(m, w);
            std::vector<double> sum(4, 0.0);
            for (int r = 0; r < 3; ++r)
                for (int k = 0; k < 4; ++k) sum[size_t(k)] += double(w[size_t(r)]) * m(r, k);
            const double len = std::sqrt(std::inner_product(sum.begin(), sum.end(), sum.begin(), 0.0));
            for (int k = 0; k < 4; ++k) QVERIFY(std::abs(c[size_t(k)] - sum[size_t(k)] / len) < 1e-5);
            ++block;
        }
        std::vector<float> w;
        TorchEmbedder(model_).embedWeighted(segs, w);
        QCOMPARE(w, std::vector<float>(3, 1.f));
        QVERIFY(!TorchEmbedder(model_).weighsByLength());
        const auto guitar = makeTorchEmbedder(Focus::Guitar, fs::path(model_).parent_path().string());
        QVERIFY(guitar->modelId().size() > 14 && guitar->modelId().substr(guitar->modelId().size() - 14) == ":length-pooled");
        // A track through the engine's one embedding path carries the weights and their centroid.
        std::vector<float> signal(size_t(kAnalysisSampleRate * 10));
        for (size_t i = 0; i < signal.size(); ++i)
            signal[i] = float(0.3 * std::sin(0.05 * double(i)) * (1 + std::sin(double(i) / 20000.0)));
        const auto track = embedSignal(signal, *guitar);
        QVERIFY(track.segments.rows >= 3);
        QCOMPARE(track.weights.size(), size_t(track.segments.rows));
        QCOMPARE(track.centroid, centroid(track.segments, track.weights));
        QVERIFY(track.centroid != centroid(track.segments));  // the weights matter
    }

    // The set-level loss compares an item's windows pooled as the engine pools a track: the
    // normalised sum of their raw outputs is, block by block, the length-weighted centroid of the
    // windows embedded one by one. A run on such items trains (its triplet loss falls); an item
    // length or a per-window loss that does not fit is refused.
    void setLevelLossPoolsAsTheEngine()
    {
        std::vector<float> packed(size_t(64 * 16));
        for (int r = 0; r < 64; ++r)
            for (int b = 0; b < 16; ++b) packed[size_t(r * 16 + b)] = float(-40 + 12 * std::sin(0.21 * r + 0.7 * b) * std::cos(0.05 * r));
        std::vector<Matrix> windows;
        for (int w = 0; w < 3; ++w) {
            Matrix m(32, 16);
            std::copy_n(packed.begin() + w * 16 * 16, 32 * 16, m.data.begin());
            windows.push_back(m);
        }
        {
            auto net = stemscope::detail::loadModel(model_);
            net->eval();
            torch::NoGradGuard noGrad;
            const auto x = torch::from_blob(packed.data(), {1, 64, 16}, torch::kFloat).clone();
            const auto pooled = net->normalizeOutput(stemscope::detail::forwardWindowSum(net, x, 3, 16));
            int block = 0;
            for (Focus f : kInstrumentFocuses) {
                const TorchEmbedder e(model_, "", f);
                std::vector<float> w;
                const auto c = centroid(e.embedWeighted(windows, w), w);
                for (int k = 0; k < 4; ++k)
                    QVERIFY2(std::abs(c[size_t(k)] - pooled[0][block * 4 + k].item<float>()) < 1e-5f, focusName(f));
                ++block;
            }
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, stemscope::detail::forwardWindowSum(net, x, 2, 16));
        }  // no gradient only up to here: training follows

        auto c = tinyConfig();
        c.setSegments = 3;
        c.setHop = 8;
        c.mix.frames = c.itemFrames();
        c.steps = 40;
        c.learningRate = 0.02;
        std::vector<double> losses;
        const auto model = dir_.filePath("set/model.pt").toStdString();
        QVERIFY(trainMultiFocusModel(tinySampler(c), c, model, [&](const MultiFocusProgress& p) {
                    losses.push_back(std::accumulate(p.loss.begin(), p.loss.end(), 0.0));
                }).finished);
        QCOMPARE(int(losses.size()), 2);
        QVERIFY2(losses[0] > 0 && losses[1] < losses[0], qPrintable(QString("%1 -> %2").arg(losses[0]).arg(losses[1])));
        QCOMPARE(TorchEmbedder(model).dimension(), 20);
        auto shortItems = c;
        shortItems.mix.frames = 32;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, trainMultiFocusModel(tinySampler(shortItems), c, {}));
        auto perWindow = c;
        perWindow.confidenceLossWeight = 1.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, trainMultiFocusModel(tinySampler(c), perWindow, {}));
    }

    // The 2-D front end + temporal stack: trains, writes its architecture in the file, reads back
    // to the same embeddings, and each block is a unit vector.
    void hybridModelTrainsAndReadsBack()
    {
        auto c = tinyConfig();
        c.spec.arch = ModelArch::Hybrid;
        c.spec.channels = {4, 8, 8, 8};
        const PseudoMixSampler sampler = tinySampler(c);
        const auto file = dir_.filePath("hybrid/model.pt").toStdString();
        QVERIFY(trainMultiFocusModel(sampler, c, file).finished);
        const auto segs = probeSegments();
        const TorchEmbedder whole(file);
        QVERIFY(whole.spec().arch == ModelArch::Hybrid);
        QVERIFY(whole.spec() == c.spec);
        const Matrix a = whole.embed(segs), b = TorchEmbedder(file).embed(segs);
        QCOMPARE(a.rows, 3);
        QCOMPARE(a.cols, 20);
        for (int r = 0; r < a.rows; ++r)
            for (int blk = 0; blk < 5; ++blk) {
                double norm = 0;
                for (int k = 0; k < 4; ++k) {
                    norm += double(a(r, blk * 4 + k)) * a(r, blk * 4 + k);
                    QCOMPARE(a(r, blk * 4 + k), b(r, blk * 4 + k));
                }
                QVERIFY(std::abs(norm - 1.0) < 1e-4);
            }
        // Different inputs, different outputs: the front end is wired to the stack.
        double diff = 0;
        for (int k = 0; k < 20; ++k) diff += std::abs(a(0, k) - a(1, k));
        QVERIFY(diff > 1e-3);
        QVERIFY(modelArchFromName("hybrid") == ModelArch::Hybrid);
        QVERIFY(!modelArchFromName("resnet"));
    }

    // A constant-Q model (the piano/guitar specialist's input): the spec records the features, the
    // embedder asks the analysis for CQT frames, and the engine's pipeline feeds it the whole-track
    // CQT cut at each 3 s segment.
    void cqtModelDeclaresItsFeaturesAndRunsInThePipeline()
    {
        auto c = tinyCqtConfig();
        const int bins = c.spec.bands;
        c.mix.focusCycle = {3, 4};
        const auto bank = tinyCqtBank();
        const PseudoMixSampler sampler(bank, {0, 1, 2, 3, 4, 5}, c.mix);
        std::mt19937_64 rng(3);
        for (int g : sampler.batch(8, rng).groupFocus) QVERIFY(g == 3 || g == 4);  // the specialist's parts only
        const auto file = dir_.filePath("cqt/model.pt").toStdString();
        QVERIFY(trainMultiFocusModel(sampler, c, file).finished);
        const auto piano = makeTorchEmbedder(Focus::Piano, fs::path(file).parent_path().string());
        QVERIFY(piano->features() == EmbedderFeatures::Cqt);
        QCOMPARE(piano->featureBands(), bins);
        QVERIFY(static_cast<const TorchEmbedder&>(*piano).spec() == c.spec);
        QVERIFY(static_cast<const TorchEmbedder&>(*piano).spec().describe().find("CQT") != std::string::npos);
        MixPipeline pipe;
        pipe.name = "cqt";
        pipe.embedder = piano;
        std::vector<float> mix(size_t(kAnalysisSampleRate * 7));
        for (size_t i = 0; i < mix.size(); ++i) mix[i] = 0.2f * float(std::sin(2 * M_PI * 261.6 * double(i) / kAnalysisSampleRate));
        const auto e = runPipeline(pipe, Focus::Piano, mix);
        QCOMPARE(e.segments.rows, 3);  // 7 s: segments at 0, 1.5 and 3 s
        QCOMPARE(e.segments.cols, 4);
        // The clean-stem evaluation (Table 1) embeds a stem file exactly as the engine does: the same
        // rows as the pipeline on the same samples (it once fed this kind of model log-mel input).
        const std::string corpus = dir_.filePath("cqt-corpus").toStdString();
        fs::create_directories(corpus + "/song0");
        writeAudio(corpus + "/song0/piano.wav", {mix}, kAnalysisSampleRate, 24);
        const auto decoded = defaultAudioDecoder()->decodeMono(corpus + "/song0/piano.wav", [] {
            DecodeOptions d;
            d.targetSampleRate = kAnalysisSampleRate;
            return d;
        }());
        const auto engine = runPipeline(pipe, Focus::Piano, decoded.samples);
        const auto table1 = embedCorpusStems(corpus, Focus::Piano, *piano, 40);
        QCOMPARE(table1.embeddings.rows, engine.segments.rows);
        QCOMPARE(table1.songs, std::vector<std::string>{"song0"});
        for (size_t i = 0; i < engine.segments.data.size(); ++i)
            QVERIFY(std::abs(table1.embeddings.data[i] - engine.segments.data[i]) < 1e-6f);
        // A log-mel model file is still written as before (version 3), so older builds read it.
        QVERIFY(TorchEmbedder(model_).features() == EmbedderFeatures::LogMel);
        // A focus index outside the five is refused.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, PseudoMixSampler(bank, {0, 1, 2, 3}, [] {
            PseudoMixConfig m;
            m.focusCycle = {7};
            return m;
        }()));
    }

    // The harmonic stack: channel h at bin b holds bin b + shift(h), zero beyond the range; the
    // network on it trains, records its architecture and reads back to the same embeddings.
    void harmonicModelStacksHarmonicsTrainsAndReadsBack()
    {
        auto x = torch::zeros({1, 1, 2, 96});
        x[0][0][1][30] = 1.0f;
        const auto h = stemscope::detail::EmbeddingNetImpl::harmonicStack(x);
        QCOMPARE(h.size(1), 6);
        const int shifts[6] = {-12, 0, 12, 19, 24, 28};
        for (int c = 0; c < 6; ++c) {
            QCOMPARE(h[0][c].sum().item<float>(), 1.0f);       // the one peak, moved, never lost in range
            QCOMPARE(h[0][c][1][30 - shifts[c]].item<float>(), 1.0f);
            QCOMPARE(h[0][c][0].sum().item<float>(), 0.0f);    // time untouched
        }
        x = torch::zeros({1, 1, 1, 96});
        x[0][0][0][90] = 1.0f;  // channel 1/2 would show it an octave up, at bin 102: out of range, so it is empty
        QCOMPARE(stemscope::detail::EmbeddingNetImpl::harmonicStack(x)[0][0].sum().item<float>(), 0.0f);

        auto c = tinyConfig();
        const int bins = cqtConfigAt(kAnalysisSampleRate).nBins;
        c.spec.arch = ModelArch::Harmonic;
        c.spec.features = EmbedderFeatures::Cqt;
        c.spec.bands = bins;
        c.spec.frames = 64;
        c.spec.channels = {4, 8, 8, 8};
        c.mix.frames = 64;
        auto bank = test::syntheticStemBank(6, 300, bins);
        bank.features = EmbedderFeatures::Cqt;
        const PseudoMixSampler sampler(bank, {0, 1, 2, 3, 4, 5}, c.mix);
        const auto file = dir_.filePath("harmonic/model.pt").toStdString();
        QVERIFY(trainMultiFocusModel(sampler, c, file).finished);
        const TorchEmbedder a(file), b(file);
        QVERIFY(a.spec() == c.spec);
        QVERIFY(a.spec().describe().find("harmonic") != std::string::npos);
        std::vector<Matrix> segs;
        for (int s = 0; s < 2; ++s) {
            Matrix m(64, bins);
            for (int r = 0; r < 64; ++r)
                for (int k = 0; k < bins; ++k) m(r, k) = float(-50 + 20 * std::sin(0.2 * r + 2 * s + 0.4 * k));
            segs.push_back(m);
        }
        const Matrix ea = a.embed(segs), eb = b.embed(segs);
        double diff = 0;
        for (int k = 0; k < ea.cols; ++k) {
            QCOMPARE(ea(0, k), eb(0, k));
            diff += std::abs(ea(0, k) - ea(1, k));
        }
        QVERIFY(diff > 1e-3);
        QVERIFY(modelArchFromName("harmonic") == ModelArch::Harmonic);
        // On log-mel input the shifts would not be harmonics: refused by name.
        ModelSpec mel = c.spec;
        mel.features = EmbedderFeatures::LogMel;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, stemscope::detail::EmbeddingNet{mel});
    }

    void singleFocusModelsStillLoadAsBefore()
    {
        ModelSpec s;
        s.bands = 16;
        s.frames = 32;
        s.dim = 8;
        s.channels = {8, 8, 8, 8};
        const auto file = dir_.filePath("bass/model.pt").toStdString();
        writeUntrainedModel(s, 3, file);
        const TorchEmbedder e(file, "", Focus::Bass);
        QCOMPARE(e.spec().subspaces, 0);
        QCOMPARE(e.dimension(), 8);
        QVERIFY(e.input() == EmbedderInput::FocusSignal);
        QVERIFY(makeTorchEmbedder(Focus::Bass, fs::path(file).parent_path().string())->modelId().find("instrsim-cnn:bass:") == 0);
    }

    void pipelinesFileChoosesEachFocusModel()
    {
        const std::string root = dir_.path().toStdString();
        setEmbedderFactory(&makeModelEmbedder);
        QCOMPARE(modelFolderFor(root, Focus::Drums), std::string("drums"));  // no file: the focus's own folder
        std::ofstream(fs::path(root) / "pipelines.json") << R"({"focus_models": {"drums": "mixfocus", "bass": "mixfocus"}})";
        QCOMPARE(modelFolderFor(root, Focus::Drums), std::string("mixfocus"));
        QCOMPARE(modelFolderFor(root, Focus::Piano), std::string("piano"));
        std::vector<std::string> problems;
        const auto set = loadEmbedders(root, {Focus::Drums, Focus::Bass, Focus::Piano}, &problems);
        QVERIFY(set.at(Focus::Drums)->input() == EmbedderInput::Mix);
        QVERIFY(set.at(Focus::Bass)->modelId().find("mixfocus-cnn:bass:") == 0);
        QVERIFY(!set.count(Focus::Piano));
        QVERIFY(problems.size() == 1 && problems[0].find("piano: no model folder") == 0);
        // Activating a retrained focus model points the focus back at its own folder.
        setModelFolderFor(root, Focus::Bass, "bass");
        QCOMPARE(modelFolderFor(root, Focus::Bass), std::string("bass"));
        QCOMPARE(modelFolderFor(root, Focus::Drums), std::string("mixfocus"));
        // A malformed file is reported, not ignored.
        std::ofstream(fs::path(root) / "pipelines.json") << R"({"focus_models": {"drums": "../elsewhere"}})";
        problems.clear();
        QVERIFY(loadEmbedders(root, {Focus::Drums}, &problems).empty());
        QVERIFY(problems.size() == 1 && problems[0].find("pipelines.json") != std::string::npos);
        fs::remove(fs::path(root) / "pipelines.json");
    }

    // "a+b" in pipelines.json: the focus is served by both folders' models joined. Each part reads
    // its own features (here log-mel and constant-Q) for the same segments; a joined row is the
    // parts' rows side by side over sqrt 2 (unit length, cosine = mean of the parts' cosines).
    void joinedFocusModelsReadTheirOwnFeatures()
    {
        const std::string root = dir_.path().toStdString();
        const auto c = tinyCqtConfig();
        const auto bank = tinyCqtBank();
        QVERIFY(trainMultiFocusModel(PseudoMixSampler(bank, {0, 1, 2, 3, 4, 5}, c.mix), c, root + "/cqtj/model.pt").finished);
        setEmbedderFactory(&makeModelEmbedder);
        std::ofstream(fs::path(root) / "pipelines.json") << R"({"focus_models": {"bass": "mixfocus+cqtj"}})";
        QCOMPARE(joinedModelFolders(modelFolderFor(root, Focus::Bass)), (std::vector<std::string>{"mixfocus", "cqtj"}));
        std::vector<std::string> problems;
        const auto set = loadEmbedders(root, {Focus::Bass}, &problems);
        QVERIFY(problems.empty());
        const auto& joined = *set.at(Focus::Bass);
        QVERIFY(joined.modelId().rfind("joined:mixfocus-cnn:bass:", 0) == 0);
        QVERIFY(joined.modelId().find("+mixfocus-cnn:bass:") != std::string::npos);
        QCOMPARE(joined.dimension(), 8);
        QVERIFY(joined.input() == EmbedderInput::Mix);

        std::vector<float> mix(size_t(kAnalysisSampleRate * 7));
        for (size_t i = 0; i < mix.size(); ++i)
            mix[i] = 0.2f * float(std::sin(2 * M_PI * 110.0 * double(i) / kAnalysisSampleRate) +
                                  0.5 * std::sin(2 * M_PI * 1760.0 * double(i) / kAnalysisSampleRate));
        auto run = [&](std::shared_ptr<const Embedder> e) {
            MixPipeline p;
            p.name = "x";
            p.embedder = std::move(e);
            return runPipeline(p, Focus::Bass, mix);
        };
        const auto both = run(set.at(Focus::Bass));
        const auto& parts = static_cast<const JoinedEmbedder&>(joined).parts();
        const auto mel = run(parts[0]), cqt = run(parts[1]);
        QCOMPARE(both.segments.rows, 3);
        QCOMPARE(both.segments.cols, 8);
        const float s = float(std::sqrt(2.0));
        for (int r = 0; r < 3; ++r) {
            double norm = 0;
            for (int k = 0; k < 8; ++k) norm += double(both.segments(r, k)) * both.segments(r, k);
            QVERIFY(std::abs(norm - 1.0) < 1e-5);
            for (int k = 0; k < 4; ++k) {
                QVERIFY(std::abs(both.segments(r, k) * s - mel.segments(r, k)) < 1e-5f);
                QVERIFY(std::abs(both.segments(r, 4 + k) * s - cqt.segments(r, k)) < 1e-5f);
            }
        }
        // Each joined segment weighs the geometric mean of its parts' weights (their scales cancel).
        QCOMPARE(both.weights.size(), size_t(3));
        for (int r = 0; r < 3; ++r) {
            const double expected = std::sqrt(double(mel.weights[size_t(r)]) * cqt.weights[size_t(r)]);
            QVERIFY(std::abs(both.weights[size_t(r)] - expected) <= 1e-4 * expected);
        }
        QCOMPARE(JoinedEmbedder::joinWeights({{4.f, 1.f}, {1.f, 9.f}}), (std::vector<float>{2.f, 3.f}));
        // Handed one kind of features, a joined model whose parts read two kinds refuses.
        QVERIFY_THROWS_EXCEPTION(std::logic_error, joined.embed(probeSegments()));
        // One missing part leaves the focus out, named; a malformed name is reported.
        std::ofstream(fs::path(root) / "pipelines.json") << R"({"focus_models": {"bass": "mixfocus+gone"}})";
        problems.clear();
        QVERIFY(loadEmbedders(root, {Focus::Bass}, &problems).empty());
        QVERIFY(problems.size() == 1 && problems[0].find("no model folder") != std::string::npos);
        std::ofstream(fs::path(root) / "pipelines.json") << R"({"focus_models": {"bass": "mixfocus+../x"}})";
        problems.clear();
        QVERIFY(loadEmbedders(root, {Focus::Bass}, &problems).empty());
        QVERIFY(problems.size() == 1 && problems[0].find("pipelines.json") != std::string::npos);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, JoinedEmbedder({parts[0]}));
        fs::remove(fs::path(root) / "pipelines.json");
    }

    void resumedTrainingEqualsAnUninterruptedRun()
    {
        auto c = tinyConfig();
        const PseudoMixSampler sampler = tinySampler(c);
        const auto straight = dir_.filePath("straight.pt").toStdString();
        trainMultiFocusModel(sampler, c, straight);
        const auto resumed = dir_.filePath("resumed.pt").toStdString();
        c.checkpointPath = dir_.filePath("resumed.ckpt").toStdString();
        c.stopAfterSteps = 2;
        const auto first = trainMultiFocusModel(sampler, c, resumed);
        QVERIFY(!first.finished);
        QCOMPARE(first.stepsDone, 2);
        c.resume = true;
        c.stopAfterSteps = 0;
        const auto second = trainMultiFocusModel(sampler, c, resumed);
        QVERIFY(second.finished);
        QCOMPARE(second.resumedFromStep, 2);
        const auto segs = probeSegments();
        const Matrix a = TorchEmbedder(straight).embed(segs), b = TorchEmbedder(resumed).embed(segs);
        for (size_t i = 0; i < a.data.size(); ++i) QVERIFY(std::abs(a.data[i] - b.data[i]) < 1e-5f);
    }

    // --keep-models: every checkpoint's model stays as model-<step>.pt (the inputs of a checkpoint
    // average); the last one is the model file, an earlier one is another network.
    void keepsEachCheckpointsModel()
    {
        auto c = tinyConfig();
        c.checkpointEvery = 2;
        c.keepCheckpointModels = true;
        const auto model = dir_.filePath("kept/model.pt").toStdString();
        QVERIFY(trainMultiFocusModel(tinySampler(c), c, model).finished);
        const auto two = dir_.filePath("kept/model-2.pt").toStdString(), four = dir_.filePath("kept/model-4.pt").toStdString();
        QVERIFY(fs::exists(two));
        QVERIFY(fs::exists(four));
        QVERIFY(!fs::exists(dir_.filePath("kept/model-1.pt").toStdString()));
        const auto segs = probeSegments();
        const Matrix last = TorchEmbedder(model).embed(segs), kept = TorchEmbedder(four).embed(segs),
                     earlier = TorchEmbedder(two).embed(segs);
        double same = 0, apart = 0;
        for (size_t i = 0; i < last.data.size(); ++i) {
            same = std::max(same, double(std::abs(last.data[i] - kept.data[i])));
            apart = std::max(apart, double(std::abs(last.data[i] - earlier.data[i])));
        }
        QVERIFY(same < 1e-6);
        QVERIFY(apart > 1e-4);
        c.keepCheckpointModels = false;  // the default keeps only the model file
        QVERIFY(trainMultiFocusModel(tinySampler(c), c, dir_.filePath("plain/model.pt").toStdString()).finished);
        QVERIFY(!fs::exists(dir_.filePath("plain/model-2.pt").toStdString()));
    }

    // The auxiliary mask loss: it learns (its loss falls), a resumed run equals an uninterrupted
    // one (the head travels in the checkpoint), the model file stays the plain network, and a
    // checkpoint without the head is refused by name.
    void maskLossTrainsItsHeadAndResumes()
    {
        auto c = tinyConfig();
        c.mix.maskTargets = true;
        c.maskLossWeight = 1.0;
        c.maskLayer = 1;
        c.steps = 40;
        c.learningRate = 0.02;  // Adam moves each weight ~lr a step: enough to see the head learn in 40
        const PseudoMixSampler sampler = tinySampler(c);
        std::vector<double> losses;
        const auto straight = dir_.filePath("mask-straight.pt").toStdString();
        trainMultiFocusModel(sampler, c, straight, [&](const MultiFocusProgress& p) { losses.push_back(p.maskLoss); });
        QCOMPARE(int(losses.size()), 2);  // every 20 steps
        // (Binary cross-entropy of soft targets has their entropy as its floor, ~0.5 here.)
        QVERIFY2(losses[0] > 0 && losses[1] < losses[0] - 0.02,
                 qPrintable(QString("%1 -> %2").arg(losses[0]).arg(losses[1])));
        QCOMPARE(TorchEmbedder(straight).dimension(), 20);

        const auto resumed = dir_.filePath("mask-resumed.pt").toStdString();
        c.checkpointPath = dir_.filePath("mask-resumed.ckpt").toStdString();
        c.stopAfterSteps = 25;
        QVERIFY(!trainMultiFocusModel(sampler, c, resumed).finished);
        c.resume = true;
        c.stopAfterSteps = 0;
        QVERIFY(trainMultiFocusModel(sampler, c, resumed).finished);
        const auto segs = probeSegments();
        const Matrix a = TorchEmbedder(straight).embed(segs), b = TorchEmbedder(resumed).embed(segs);
        for (size_t i = 0; i < a.data.size(); ++i) QVERIFY(std::abs(a.data[i] - b.data[i]) < 1e-4f);

        // A run without the mask loss wrote this checkpoint: resuming it with the loss is refused.
        auto plain = tinyConfig();
        plain.checkpointPath = dir_.filePath("plain.ckpt").toStdString();
        trainMultiFocusModel(tinySampler(plain), plain, {});
        c.checkpointPath = plain.checkpointPath;
        bool refused = false;
        try {
            trainMultiFocusModel(sampler, c, {});
        } catch (const std::runtime_error& e) {
            refused = std::string(e.what()).find("auxiliary head") != std::string::npos;
        }
        QVERIFY(refused);
        // Without mask targets from the sampler the loss has nothing to learn from.
        c.resume = false;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, trainMultiFocusModel(tinySampler(plain), c, {}));
    }

    // The solo teacher: its 1 - cosine falls as the mix items' blocks move toward their parts'
    // embeddings, the model file stays the plain network, and it needs the sampler's solo parts.
    void soloTeacherPullsMixTowardItsPart()
    {
        auto c = tinyConfig();
        c.mix.soloTargets = true;
        c.soloTeacherWeight = 1.0;
        auxiliaryLossFalls(c, "solo.pt", &MultiFocusProgress::soloLoss);
        auto plain = tinyConfig();
        c.steps = 1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, trainMultiFocusModel(tinySampler(plain), c, {}));
    }

    // Each anchor's own batch-all loss, against a brute-force count on a tiny batch.
    void perAnchorLossIsEachAnchorsMeanOverItsTriplets()
    {
        torch::manual_seed(3);
        const auto e = torch::nn::functional::normalize(torch::randn({6, 4}), torch::nn::functional::NormalizeFuncOptions().dim(1));
        const auto lab = torch::tensor(std::vector<int64_t>{0, 0, 1, 1, 2, -1}, torch::kLong);
        const auto got = stemscope::detail::perAnchorTripletLoss(e, lab, 0.2);
        const auto d = 1 - torch::matmul(e, e.t());
        const std::vector<int64_t> l{0, 0, 1, 1, 2, -1};
        for (int a = 0; a < 6; ++a) {
            double sum = 0;
            int n = 0;
            for (int p = 0; p < 6; ++p)
                for (int q = 0; q < 6; ++q)
                    if (p != a && l[size_t(p)] == l[size_t(a)] && l[size_t(q)] != l[size_t(a)])
                        sum += std::max(0.0, d[a][p].template item<double>() - d[a][q].template item<double>() + 0.2), ++n;
            QCOMPARE(got.anchors[a].template item<bool>(), n > 0);  // items 4 and 5 have no positive
            QVERIFY(std::abs(got.loss[a].template item<double>() - (n ? sum / n : 0.0)) < 1e-5);
        }
    }

    // The confidence term: it falls as the blocks' lengths move toward 1 / (own loss + floor), and
    // the model file stays the plain network.
    void confidenceLossShapesTheLength()
    {
        auto c = tinyConfig();
        c.confidenceLossWeight = 1.0;
        auxiliaryLossFalls(c, "confidence.pt", &MultiFocusProgress::confidenceLoss);
    }

    void initialisesFromAModelFile()
    {
        // One step at a vanishing learning rate: a run started from a model file stays that model
        // (up to BatchNorm's running statistics); a fresh run is another network altogether.
        auto c = tinyConfig();
        const PseudoMixSampler sampler = tinySampler(c);
        const auto base = dir_.filePath("base.pt").toStdString();
        trainMultiFocusModel(sampler, c, base);
        c.steps = 1;
        c.learningRate = 1e-12;
        c.seed = 99;
        const auto fresh = dir_.filePath("fresh.pt").toStdString(), init = dir_.filePath("init.pt").toStdString();
        trainMultiFocusModel(sampler, c, fresh);
        c.initModelPath = base;
        trainMultiFocusModel(sampler, c, init);
        const auto segs = probeSegments();
        const Matrix b = TorchEmbedder(base).embed(segs), f = TorchEmbedder(fresh).embed(segs), i = TorchEmbedder(init).embed(segs);
        double dFresh = 0, dInit = 0;
        for (size_t k = 0; k < b.data.size(); ++k) {
            dFresh += std::abs(f.data[k] - b.data[k]);
            dInit += std::abs(i.data[k] - b.data[k]);
        }
        QVERIFY2(dInit < 0.3 * dFresh, qPrintable(QString("%1 vs %2").arg(dInit).arg(dFresh)));
        // A fresh bass block: the bass subspace starts over, the drums subspace is the base model's.
        c.freshBlocks = {instrumentFocusIndex(Focus::Bass)};
        const auto part = dir_.filePath("fresh-bass.pt").toStdString();
        trainMultiFocusModel(sampler, c, part);
        auto blockDistance = [&](const std::string& model, Focus f) {
            const Matrix x = TorchEmbedder(model, "", f).embed(segs), y = TorchEmbedder(base, "", f).embed(segs);
            double d = 0;
            for (size_t k = 0; k < x.data.size(); ++k) d += std::abs(x.data[k] - y.data[k]);
            return d;
        };
        const double bassMoved = blockDistance(part, Focus::Bass), drumsMoved = blockDistance(part, Focus::Drums);
        QVERIFY2(bassMoved > 3 * drumsMoved, qPrintable(QString("%1 vs %2").arg(bassMoved).arg(drumsMoved)));
        QVERIFY2(drumsMoved < 0.3 * blockDistance(fresh, Focus::Drums), qPrintable(QString::number(drumsMoved)));
        c.freshBlocks = {7};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, trainMultiFocusModel(sampler, c, {}));
        c.freshBlocks.clear();
        // Another shape is refused.
        c.spec.channels = {8, 8, 8, 12};
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, trainMultiFocusModel(sampler, c, {}));
    }

    void refusesAModelWithoutOneBlockPerFocus()
    {
        auto c = tinyConfig();
        const PseudoMixSampler sampler = tinySampler(c);
        c.spec.subspaces = 0;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, trainMultiFocusModel(sampler, c, {}));
    }
};

QTEST_GUILESS_MAIN(MultiFocusModelTest)
#include "tst_multifocus_model.moc"
