// The mask separator on a tiny synthetic two-source world (low tones vs. high noise bursts):
// training separates them, the stems always add up to the mixture, chunking changes nothing,
// resume is exact, bad model files are refused.
#include <QtTest>

#include <QTemporaryDir>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "audio/AudioDecoder.h"
#include "separation/ChunkedSeparation.h"
#include "separation/SeparationDataCache.h"
#include "separation/SeparationEvaluation.h"
#include "separation/SeparationMetrics.h"
#include "separation/SeparatorTrainer.h"
#include "separation/TorchSeparator.h"

using namespace stemscope;

namespace {
constexpr double kRate = 8000;

SeparatorSpec tinySpec()
{
    SeparatorSpec s;
    s.sampleRate = kRate;
    s.nFft = 256;
    s.hop = 64;
    s.hidden = 32;
    s.blocks = 2;
    s.sources = {"low", "high"};
    return s;
}

// Song: "low" = tone bursts 100-400 Hz, "high" = noise bursts high-passed (first difference, twice).
SeparationSong makeSong(int seed, double seconds)
{
    std::mt19937 rng{static_cast<uint32_t>(seed)};
    std::uniform_real_distribution<double> u(0, 1);
    std::normal_distribution<double> g;
    const size_t n = size_t(seconds * kRate);
    SeparationSong s;
    s.name = "song" + std::to_string(seed);
    std::vector<std::vector<float>> stems(2, std::vector<float>(n, 0.f));
    const double f = 100 + 300 * u(rng), period = 0.2 + 0.3 * u(rng);
    double prev1 = 0, prev2 = 0;
    for (size_t i = 0; i < n; ++i) {
        const double t = double(i) / kRate;
        const bool toneOn = std::fmod(t, period) < period * 0.6;
        stems[0][i] = float(toneOn ? 0.3 * std::sin(2 * M_PI * f * t) : 0.0);
        const double w = g(rng), d1 = w - prev1, d2 = d1 - prev2;
        prev1 = w;
        prev2 = d1;
        const bool noiseOn = std::fmod(t + 0.1, period * 1.3) < period * 0.5;
        stems[1][i] = float(noiseOn ? 0.05 * d2 : 0.0);
    }
    for (int k = 0; k < 2; ++k) s.setStem(k, stems[size_t(k)]);
    return s;
}

SeparationData makeData(int songs, int firstSeed)
{
    SeparationData d;
    d.sources = {"low", "high"};
    d.sampleRate = kRate;
    for (int i = 0; i < songs; ++i) d.songs.push_back(makeSong(firstSeed + i, 6.0));
    return d;
}

SeparatorTrainConfig tinyConfig(int steps)
{
    SeparatorTrainConfig c;
    c.spec = tinySpec();
    c.steps = steps;
    c.batch = 8;
    c.excerptSeconds = 1.0;
    c.learningRate = 3e-3;
    c.seed = 5;
    c.threads = 2;
    c.lossCurveEvery = 10;
    return c;
}

double meanSdr(const TorchSeparator& sep, const SeparationData& test)
{
    double sum = 0;
    int n = 0;
    for (const auto& song : test.songs) {
        const auto est = sep.separate(song.mix());
        for (size_t s = 0; s < test.sources.size(); ++s) {
            sum += bssEvalSdr(song.stem(int(s)), est.at(test.sources[s]));
            ++n;
        }
    }
    return sum / n;
}
}  // namespace

class SeparatorTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    SeparationData train_ = makeData(8, 1);
    SeparationData test_ = makeData(2, 100);
    std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }
    std::string path(const std::string& name) const { return path(name.c_str()); }

    // Trains `c` into NAME.pt (and its untrained start into NAME-untrained.pt): the held-out SDR rises.
    void trainsAndSeparates(SeparatorTrainConfig c, const std::string& name)
    {
        const auto r = trainSeparator(train_, c, path(name + ".pt"));
        QVERIFY(!r.cancelled);
        QCOMPARE(r.stepsDone, c.steps);
        QVERIFY(r.lossCurve.back() < r.lossCurve.front());
        c.steps = 0;
        trainSeparator(train_, c, path(name + "-untrained.pt"));
        const double before = meanSdr(TorchSeparator(path(name + "-untrained.pt")), test_);
        const double after = meanSdr(TorchSeparator(path(name + ".pt")), test_);
        qInfo("%s: held-out mean SDR untrained %.2f dB, trained %.2f dB (%.1f s)", name.c_str(), before, after, r.seconds);
        QVERIFY(after > 8.0);
        QVERIFY(after > before + 5.0);
    }

private Q_SLOTS:
    void songsKeepStemsAsHalfFloats()
    {
        SeparationSong song;
        std::vector<float> loud(1000), quiet(1000);
        for (size_t i = 0; i < loud.size(); ++i) {
            loud[i] = 0.9f * float(std::sin(0.01 * double(i)));
            quiet[i] = 1e-4f * float(std::cos(0.03 * double(i)));  // -80 dB: keeps its own precision
        }
        song.setStem(0, loud, true);
        song.setStem(1, quiet, true);
        QCOMPARE(song.stemCount(), 2);
        QCOMPARE(song.length(), 1000LL);
        const auto a = song.stem(0), b = song.stem(1), m = song.mix();
        std::vector<float> part(10);
        song.copyStem(1, 500, 10, 2.f, part.data());
        for (size_t i = 0; i < loud.size(); ++i) {
            // Relative precision 2^-11 for every sample, loud or quiet.
            QVERIFY(std::abs(a[i] - loud[i]) <= std::abs(loud[i]) / 2048.f + 1e-7f);
            QVERIFY(std::abs(b[i] - quiet[i]) <= std::abs(quiet[i]) / 2048.f + 1e-7f);
            QVERIFY(std::abs(m[i] - a[i] - b[i]) < 1e-6f);
        }
        for (size_t i = 0; i < part.size(); ++i) QVERIFY(std::abs(part[i] - 2.f * b[500 + i]) < 1e-9f);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, song.setStem(2, std::vector<float>(999)));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, song.setStem(5, loud));
        song.setStem(1, std::vector<float>(1000, 0.f));  // silence is fine, and float again
        QCOMPARE(song.stem(1)[3], 0.f);
        song.setStem(1, quiet);
        QCOMPARE(song.stem(1), quiet);  // float stems are kept exactly
        QCOMPARE(song.length(), 1000LL);
    }

    // The stem cache: a second load reads the file (same bits as decoding), a changed stem file
    // makes it decode again, and a damaged cache is named and replaced, never trusted.
    void dataCacheRoundTripsAndNoticesChanges()
    {
        QTemporaryDir tmp;
        const std::string corpus = tmp.filePath("corpus").toStdString(), cache = tmp.filePath("c/stems.bin").toStdString();
        for (int i = 0; i < 3; ++i) {
            const auto song = makeSong(i, 1.0);
            const std::string dir = corpus + "/song" + std::to_string(i);
            std::filesystem::create_directories(dir);
            writeMonoAudio(dir + "/bass.wav", song.stem(0), kRate);
            if (i != 1) writeMonoAudio(dir + "/drums.wav", song.stem(1), kRate);  // song1 has no drums: silence
        }
        // Song folders are found by their instrument stems (listCorpusSongs), so the sources are named so.
        const std::vector<std::string> sources{"bass", "drums"};
        // A song whose stem cannot be decoded is skipped, and said so again when the cache is read.
        std::filesystem::create_directories(corpus + "/song9");
        std::ofstream(corpus + "/song9/bass.wav") << "not a wave file";
        std::string note;
        std::vector<std::string> skipped;
        const auto first = loadSeparationDataCached(cache, corpus, sources, kRate, 0, 1, &skipped, nullptr, &note);
        QVERIFY2(note.find("written") != std::string::npos, note.c_str());
        QCOMPARE(int(first.songs.size()), 3);
        QCOMPARE(int(skipped.size()), 1);
        QVERIFY(skipped[0].rfind("song9", 0) == 0);
        const auto decoded = loadSeparationData(corpus, sources, kRate, 0, 1, {}, nullptr, nullptr, true);
        note.clear();
        skipped.clear();
        const auto second = loadSeparationDataCached(cache, corpus, sources, kRate, 0, 1, &skipped, nullptr, &note);
        QVERIFY2(note.find("read from the cache") != std::string::npos, note.c_str());
        QCOMPARE(int(skipped.size()), 1);
        QCOMPARE(int(second.songs.size()), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(second.songs[size_t(i)].name, decoded.songs[size_t(i)].name);
            for (int k = 0; k < 2; ++k) QCOMPARE(second.songs[size_t(i)].stem(k), decoded.songs[size_t(i)].stem(k));
        }
        // Mapped from the file (a set larger than memory): the same samples, and the mapping
        // outlives the file's name (a cache rewritten under a running training).
        note.clear();
        auto mapped = loadSeparationDataCached(cache, corpus, sources, kRate, 0, 1, nullptr, nullptr, &note, true);
        QVERIFY2(note.find("read from the cache") != std::string::npos, note.c_str());
        QCOMPARE(int(mapped.songs.size()), 3);
        std::filesystem::copy_file(cache, cache + ".copy");
        std::filesystem::remove(cache);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(mapped.songs[size_t(i)].length(), decoded.songs[size_t(i)].length());
            for (int k = 0; k < 2; ++k) QCOMPARE(mapped.songs[size_t(i)].stem(k), decoded.songs[size_t(i)].stem(k));
            std::vector<float> part(100);
            mapped.songs[size_t(i)].copyStem(0, 1001, 100, 0.5f, part.data());  // an odd offset: unaligned bytes
            const auto whole = decoded.songs[size_t(i)].stem(0);
            for (int j = 0; j < 100; ++j) QCOMPARE(part[size_t(j)], 0.5f * whole[size_t(1001 + j)]);
        }
        QVERIFY_THROWS_EXCEPTION(std::logic_error, mapped.songs[0].setStem(0, std::vector<float>(10, 0.f)));
        std::filesystem::rename(cache + ".copy", cache);
        // A corpus decoded now comes back mapped too, its decoded copy freed.
        const std::string cache2 = tmp.filePath("c/stems2.bin").toStdString();
        note.clear();
        auto fresh = loadSeparationDataCached(cache2, corpus, sources, kRate, 0, 1, nullptr, nullptr, &note, true);
        QVERIFY2(note.find("written") != std::string::npos, note.c_str());
        QCOMPARE(int(fresh.songs.size()), 3);
        QVERIFY_THROWS_EXCEPTION(std::logic_error, fresh.songs[0].setStem(0, std::vector<float>(10, 0.f)));
        QCOMPARE(fresh.songs[2].stem(1), decoded.songs[2].stem(1));
        // Another sample rate or source list is another signature: not read.
        SeparationData other;
        QVERIFY(!readSeparationDataCache(cache, separationDataSignature(corpus, sources, kRate * 2, 0), other));
        QVERIFY(!readSeparationDataCache(cache, separationDataSignature(corpus, {"bass"}, kRate, 0), other));
        // A stem file rewritten (other size) invalidates it.
        writeMonoAudio(corpus + "/song0/bass.wav", makeSong(7, 1.5).stem(0), kRate);
        note.clear();
        const auto third = loadSeparationDataCached(cache, corpus, sources, kRate, 0, 1, nullptr, nullptr, &note);
        QVERIFY2(note.find("written") != std::string::npos, note.c_str());
        QCOMPARE(third.songs[0].length(), (long long)(1.5 * kRate));
        // A truncated cache is named as damaged and rebuilt.
        std::filesystem::resize_file(cache, std::filesystem::file_size(cache) - 100);
        const auto signature = separationDataSignature(corpus, sources, kRate, 0);
        for (const bool map : {false, true}) {  // read or mapped: the same check names it
            try {
                readSeparationDataCache(cache, signature, other, nullptr, map);
                QFAIL("a truncated cache was read");
            } catch (const std::runtime_error& e) {
                QVERIFY2(std::string(e.what()).find("truncated at song") != std::string::npos, e.what());
            }
        }
        note.clear();
        const auto fourth = loadSeparationDataCached(cache, corpus, sources, kRate, 0, 1, nullptr, nullptr, &note);
        QVERIFY2(note.find("truncated") != std::string::npos, note.c_str());
        QCOMPARE(int(fourth.songs.size()), 3);
        QVERIFY(readSeparationDataCache(cache, signature, other));
        // No file is no cache; an empty one is named, mapped or not.
        QVERIFY(!readSeparationDataCache(cache + ".none", signature, other, nullptr, true));
        std::ofstream(cache + ".empty").flush();
        for (const bool map : {false, true})
            QVERIFY_THROWS_EXCEPTION(std::runtime_error, readSeparationDataCache(cache + ".empty", signature, other, nullptr, map));
    }

    void trainingSeparates()
    {
        trainsAndSeparates(tinyConfig(40), "trained");
        const TorchSeparator sep(path("trained.pt"));
        QCOMPARE(sep.stemNames(), (std::vector<std::string>{"low", "high"}));
        QCOMPARE(sep.sampleRate(), kRate);
        QVERIFY(sep.spec() == tinySpec());
    }

    void checkpointsAreReportedAndLoadAsModels()
    {
        auto c = tinyConfig(6);
        c.checkpointEvery = 3;
        c.checkpointPath = path("ckpt-report.ckpt");
        c.augment = true;  // the sources are "low"/"high": EQ, reverb and bus compression apply
        std::vector<int> reported;
        trainSeparator(train_, c, path("ckpt-report.pt"), [&](const SeparatorTrainProgress& p) {
            if (!p.checkpoint) return;
            reported.push_back(p.step);
            // What the CLI's validation curve does at each checkpoint.
            const TorchSeparator now(c.checkpointPath);
            const auto scores = scoreSeparator(now, test_, 2.0);
            QCOMPARE(int(scores.songs.size()), 2);
            QVERIFY(std::isfinite(scores.medianSdr("low")));
            QCOMPARE(scores.audioSeconds, 4.0);  // two songs, their first 2 s
        });
        QCOMPARE(reported, (std::vector<int>{3, 6}));
    }

    void scoresAreBssEvalPerSongAndSkipSilentReferences()
    {
        trainSeparator(train_, tinyConfig(0), path("score.pt"));
        const TorchSeparator sep(path("score.pt"));
        SeparationData d = test_;
        d.songs[1].setStem(1, std::vector<float>(size_t(d.songs[1].length()), 0.f));  // song 2 has no "high" part
        const auto scores = scoreSeparator(sep, d);
        QCOMPARE(int(scores.songs.size()), 2);
        const auto est = sep.separate(d.songs[0].mix());
        QCOMPARE(scores.songs[0].sdr.at("low"), bssEvalSdr(d.songs[0].stem(0), est.at("low")));
        QVERIFY(std::isnan(scores.songs[1].sdr.at("high")));
        QCOMPARE(scores.medianSdr("high"), scores.songs[0].sdr.at("high"));  // the median skips the NaN
        QVERIFY(scores.realTimeFactor() > 0);
    }

    void stemsSumToMixAndChunkingIsInvisible()
    {
        trainSeparator(train_, tinyConfig(0), path("any.pt"));
        const TorchSeparator whole(path("any.pt"), 100000), chunked(path("any.pt"), 7);
        const auto mix = makeSong(42, 3.3).mix();
        const auto a = whole.separate(mix), b = chunked.separate(mix);
        double sumErr = 0, chunkErr = 0;
        for (size_t i = 0; i < mix.size(); ++i) {
            sumErr = std::max(sumErr, std::abs(double(a.at("low")[i]) + a.at("high")[i] - mix[i]));
            for (const char* s : {"low", "high"})
                chunkErr = std::max(chunkErr, double(std::abs(a.at(s)[i] - b.at(s)[i])));
        }
        qInfo("max |sum of stems - mix| = %g, max |whole - chunked| = %g", sumErr, chunkErr);
        QCOMPARE(a.at("low").size(), mix.size());
        QVERIFY(sumErr < 1e-4);
        QVERIFY(chunkErr < 1e-4);
        QVERIFY(whole.separate({}).at("low").empty());
    }

    void windowedSeparationMatchesWholeTrack()
    {
        // The analyzer separates long tracks window by window (ChunkedSeparation.h) to keep memory
        // flat: with a margin wider than the network's receptive field the kept centres match.
        trainSeparator(train_, tinyConfig(0), path("windows.pt"));
        const TorchSeparator sep(path("windows.pt"));
        const auto mix = makeSong(7, 9.7).mix();
        const auto whole = sep.separate(mix);
        std::map<std::string, std::vector<float>> joined;
        std::vector<size_t> offsets;
        ChunkOptions o;
        o.chunkSeconds = 2.0;
        o.marginSeconds = 0.6;
        int checkpoints = 0;
        separateInChunks(
            sep, mix, kRate,
            [&](const std::map<std::string, std::vector<float>>& block, size_t offset) {
                offsets.push_back(offset);
                for (const auto& [name, x] : block) joined[name].insert(joined[name].end(), x.begin(), x.end());
            },
            o, [&] { ++checkpoints; });
        QVERIFY(offsets.size() >= 4);
        QCOMPARE(int(offsets.size()), checkpoints);
        QCOMPARE(offsets.front(), size_t(0));
        double worst = 0;
        for (const char* name : {"low", "high"}) {
            QCOMPARE(joined[name].size(), mix.size());
            for (size_t i = 0; i < mix.size(); ++i) worst = std::max(worst, double(std::abs(joined[name][i] - whole.at(name)[i])));
        }
        qInfo("max |windowed - whole| = %g", worst);
        QVERIFY(worst < 1e-4);
    }

    void bandSplitNetworkSeparatesAndRoundTrips()
    {
        // The analysis layout: 100 Hz bands below 1 kHz ... 1 kHz bands up to Nyquist, every bin once.
        const auto edges = SeparatorSpec{}.bandEdges();
        QCOMPARE(edges.front(), 0);
        QCOMPARE(edges.back(), 513);
        QCOMPARE(int(edges.size()) - 1, 33);
        for (size_t k = 1; k < edges.size(); ++k) QVERIFY(edges[k] > edges[k - 1]);
        QCOMPARE(edges[1], 5);  // 100 Hz = 4.6 bins at 22050 / 1024
        QVERIFY(edges.back() - edges[edges.size() - 2] >= 23);  // no sliver at Nyquist

        auto c = tinyConfig(40);
        c.spec.arch = SeparatorArch::BandSplit;
        c.spec.hidden = 16;
        trainsAndSeparates(c, "band");
        const TorchSeparator whole(path("band.pt"), 100000), chunked(path("band.pt"), 7);
        QVERIFY(whole.spec() == c.spec);
        QVERIFY(whole.spec().arch == SeparatorArch::BandSplit);
        const auto mix = makeSong(43, 2.1).mix();
        const auto a = whole.separate(mix), b = chunked.separate(mix);
        double sumErr = 0, chunkErr = 0;
        for (size_t i = 0; i < mix.size(); ++i) {
            sumErr = std::max(sumErr, std::abs(double(a.at("low")[i]) + a.at("high")[i] - mix[i]));
            for (const char* s : {"low", "high"}) chunkErr = std::max(chunkErr, double(std::abs(a.at(s)[i] - b.at(s)[i])));
        }
        QVERIFY(sumErr < 1e-4);
        QVERIFY(chunkErr < 1e-4);
        // The other network's file does not pass as this one (nor the reverse).
        auto other = c;
        other.steps = 0;
        other.spec.arch = SeparatorArch::Tcn;
        other.initModelPath = path("band.pt");
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, trainSeparator(train_, other, path("band-as-tcn.pt")));
    }

    void initStartsFromGivenWeights()
    {
        // 0 steps from --init = exactly the given model; a model of another shape is refused.
        trainSeparator(train_, tinyConfig(30), path("base.pt"));
        auto c = tinyConfig(0);
        c.initModelPath = path("base.pt");
        trainSeparator(train_, c, path("from-init.pt"));
        const auto mix = test_.songs[1].mix();
        QCOMPARE(TorchSeparator(path("from-init.pt")).separate(mix).at("high"), TorchSeparator(path("base.pt")).separate(mix).at("high"));
        c.spec.hidden = 16;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, trainSeparator(train_, c, path("other-shape.pt")));
    }

    void resumeIsExact()
    {
        auto c = tinyConfig(20);
        trainSeparator(train_, c, path("straight.pt"));
        c.checkpointPath = path("sep.ckpt");
        c.checkpointEvery = 5;
        c.stopAfterSteps = 7;
        const auto first = trainSeparator(train_, c, path("resumed.pt"));
        QVERIFY(first.cancelled);
        QCOMPARE(first.stepsDone, 7);
        c.stopAfterSteps = 0;
        c.resume = true;
        const auto second = trainSeparator(train_, c, path("resumed.pt"));
        QCOMPARE(second.resumedFromStep, 7);
        QCOMPARE(second.stepsDone, 20);
        const auto mix = test_.songs[0].mix();
        const auto a = TorchSeparator(path("straight.pt")).separate(mix), b = TorchSeparator(path("resumed.pt")).separate(mix);
        double maxDiff = 0;
        for (size_t i = 0; i < mix.size(); ++i) maxDiff = std::max(maxDiff, double(std::abs(a.at("low")[i] - b.at("low")[i])));
        qInfo("max |straight - resumed| = %g", maxDiff);
        QVERIFY(maxDiff < 1e-4);
    }

    void cancelAndBadInput()
    {
        std::atomic<bool> cancel{false};
        const auto r = trainSeparator(train_, tinyConfig(50), path("cancelled.pt"),
                                      [&](const SeparatorTrainProgress& p) { if (p.step == 3) cancel = true; }, &cancel);
        QVERIFY(r.cancelled);
        QVERIFY(!QFile::exists(QString::fromStdString(path("cancelled.pt"))));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, TorchSeparator(path("missing.pt")));
        std::ofstream(path("garbage.pt")) << "not a model";
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, TorchSeparator(path("garbage.pt")));
        auto wrong = tinyConfig(1);
        wrong.spec.sources = {"drums", "bass"};
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, trainSeparator(train_, wrong, {}));
    }
};

QTEST_APPLESS_MAIN(SeparatorTest)
#include "tst_separator.moc"
