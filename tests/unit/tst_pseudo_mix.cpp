// The pseudo-mix benchmark (sets, distractors, metrics) and the training side of the mix model
// (stem bank file, pseudo-mix sampler labels, mel-domain augmentations).
#include <QtTest>

#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>

#include "SyntheticStemBank.h"
#include "TestEmbedder.h"
#include "TestSignals.h"
#include "analysis/SegmentFeatures.h"
#include "audio/AudioDecoder.h"
#include "dsp/Cqt.h"
#include "mixfocus/MelAugment.h"
#include "mixfocus/PartTimbre.h"
#include "mixfocus/PseudoMixBenchmark.h"
#include "mixfocus/PseudoMixSampler.h"
#include "mixfocus/StemBank.h"

using namespace stemscope;
namespace fs = std::filesystem;

namespace {

constexpr std::array<const char*, 5> kStems{"drums", "bass", "piano", "guitar", "other"};

// n songs of `seconds` s: stem k of song s is a sine at its own frequency (songs a few mel bands apart).
std::string writeCorpus(const QString& root, int n, double seconds)
{
    for (int s = 0; s < n; ++s) {
        const auto dir = fs::path(root.toStdString()) / ("song" + std::to_string(s));
        fs::create_directories(dir);
        for (int k = 0; k < 5; ++k)
            writeMonoAudio((dir / (std::string(kStems[size_t(k)]) + ".wav")).string(),
                           test::sine(110.0 * (k + 1) * std::pow(1.19, s), 22050.0, seconds, 0.1), 22050.0);
    }
    return root.toStdString();
}

// Short items, no augmentation, every first item a pseudo-mix: what the sampler tests read.
PseudoMixConfig plainConfig()
{
    PseudoMixConfig c;
    c.frames = 32;
    c.leadIn = 8;
    c.augment = false;
    c.realMixProb = 0.0;
    return c;
}

std::vector<int> firstSongs(int n)
{
    std::vector<int> songs(static_cast<size_t>(n), 0);
    std::iota(songs.begin(), songs.end(), 0);
    return songs;
}

TrackEmbedding oneHot(int hot, int dim, int segments = 2)
{
    TrackEmbedding e;
    e.segments = Matrix(segments, dim);
    for (int r = 0; r < segments; ++r) e.segments(r, hot) = 1.f;
    e.centroid = centroid(e.segments);
    return e;
}

}  // namespace

class PseudoMixTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void setsPairEveryQueryWithItsDistractor()
    {
        QTemporaryDir dir;
        const auto corpus = loadPseudoMixCorpus(writeCorpus(dir.path(), 5, 8.0), 4.0);
        QCOMPARE(int(corpus.songs.size()), 5);
        const auto set = makePseudoMixSet(corpus, Focus::Bass);
        QCOMPARE(int(set.queries.size()), 5);
        for (int i = 0; i < 5; ++i) {
            const auto& q = set.queries[size_t(i)];
            QCOMPARE(q.partSong, i);
            QCOMPARE(q.accompanimentSong, (i + 1) % 5);
            QCOMPARE(set.gallery[size_t(i)].partSong, i);
            QCOMPARE(set.gallery[size_t(i)].accompanimentSong, (i + 4) % 5);  // s(r(k)) = k + 3 + 1
            const int d = set.distractor[size_t(i)];
            QVERIFY(d != i);
            QCOMPARE(set.gallery[size_t(d)].accompanimentSong, q.accompanimentSong);
            // The query is the part plus every other stem (other included) of the accompaniment song.
            const size_t at = 12345;
            float expect = corpus.stems[size_t(i)][1][at];
            for (int k : {0, 2, 3, 4}) expect += corpus.stems[size_t((i + 1) % 5)][size_t(k)][at];
            QVERIFY(std::abs(q.mix[at] - expect) < 1e-6f);
            QCOMPARE(q.part[at], corpus.stems[size_t(i)][1][at]);
            // The gallery takes the second half.
            QCOMPARE(set.gallery[size_t(i)].part[at], corpus.stems[size_t(i)][1][at + q.part.size()]);
        }
    }

    void partLevelMovesOnlyThePart()
    {
        QTemporaryDir dir;
        const auto corpus = loadPseudoMixCorpus(writeCorpus(dir.path(), 5, 8.0), 4.0);
        const auto set = makePseudoMixSet(corpus, Focus::Piano, 1, 3, -6.0);
        QCOMPARE(set.partDb, -6.0);
        const float g = float(std::pow(10.0, -6.0 / 20.0));
        const size_t at = 2345;
        for (int i = 0; i < 5; ++i) {
            const auto& q = set.queries[size_t(i)];
            QVERIFY(std::abs(q.part[at] - g * corpus.stems[size_t(i)][2][at]) < 1e-6f);
            float expect = q.part[at];
            for (int k : {0, 1, 3, 4}) expect += corpus.stems[size_t((i + 1) % 5)][size_t(k)][at];
            QVERIFY(std::abs(q.mix[at] - expect) < 1e-6f);
        }
    }

    void partLevelIsMeasuredAgainstTheRestOfTheMix()
    {
        PseudoMixTrack t;
        t.part = {1.f, -1.f, 1.f, -1.f};
        t.mix = {1.1f, -1.1f, 1.1f, -1.1f};  // the rest is 20 dB down
        QVERIFY(std::abs(partToAccompanimentDb(t) - 20.0) < 1e-4);
        // A quieter part reads lower, by exactly its gain.
        PseudoMixTrack quiet = t;
        for (size_t i = 0; i < quiet.part.size(); ++i) quiet.part[i] *= 0.5f, quiet.mix[i] = quiet.part[i] + 0.1f * t.part[i];
        QVERIFY(std::abs(partToAccompanimentDb(quiet) - (20.0 - 20 * std::log10(2.0))) < 1e-4);
        t.mix = t.part;
        QVERIFY(std::isinf(partToAccompanimentDb(t)) && partToAccompanimentDb(t) > 0);
        t.part.assign(4, 0.f);
        t.mix = {0.5f, 0.5f, 0.5f, 0.5f};
        QVERIFY(std::isinf(partToAccompanimentDb(t)) && partToAccompanimentDb(t) < 0);
    }

    void shiftsAreMovedWhenASongWouldMeetItsOwnAccompaniment()
    {
        QTemporaryDir dir;
        const auto corpus = loadPseudoMixCorpus(writeCorpus(dir.path(), 4, 8.0), 4.0);
        const auto set = makePseudoMixSet(corpus, Focus::Guitar);  // r = 3 gives s(r(k)) = k + 4 = k (mod 4)
        QVERIFY(set.rShift != 3);
        for (int k = 0; k < 4; ++k) QVERIFY(set.gallery[size_t(k)].accompanimentSong != k);
    }

    void shortOrIncompleteSongsAreLeftOutWithAReason()
    {
        QTemporaryDir dir;
        writeCorpus(dir.path(), 4, 8.0);
        const auto root = fs::path(dir.path().toStdString());
        fs::remove(root / "song1" / "piano.wav");
        std::vector<std::string> skipped;
        const auto corpus = loadPseudoMixCorpus(root.string(), 4.0, 0, &skipped);
        QCOMPARE(int(corpus.songs.size()), 3);
        QCOMPARE(skipped, std::vector<std::string>{"song1: no piano stem"});
        bool threw = false;
        try {
            loadPseudoMixCorpus(root.string(), 5.0);  // needs 10 s
        } catch (const std::runtime_error& e) {
            threw = std::string(e.what()).find("at least 3 songs") != std::string::npos;
        }
        QVERIFY(threw);
        bool wrongFocus = false;
        try {
            makePseudoMixSet(corpus, Focus::Mix);
        } catch (const std::invalid_argument&) {
            wrongFocus = true;
        }
        QVERIFY(wrongFocus);
    }

    void scoresTellThePartFromTheAccompaniment()
    {
        const int n = 5;
        std::vector<int> distractor(n);
        for (int i = 0; i < n; ++i) distractor[size_t(i)] = (i + 2) % n;
        std::vector<TrackEmbedding> q, g, accQ;
        for (int i = 0; i < n; ++i) {
            q.push_back(oneHot(i, 8));
            g.push_back(oneHot(i, 8));
        }
        auto s = scorePseudoMix(q, g, distractor);
        QCOMPARE(s.acc1, 1.0);
        QCOMPARE(s.distractor1, 0.0);
        QCOMPARE(s.mrr, 1.0);
        // Ranked as the engine ranks (hubness correction over queries and gallery as one library).
        const auto e = scorePseudoMix(q, g, distractor, 5, 3);
        QCOMPARE(e.acc1, 1.0);
        QCOMPARE(e.mrr, 1.0);
        QCOMPARE(s.segmentKnn, 1.0);
        QCOMPARE(s.querySegments, 2 * n);
        // A model that hears only the accompaniment finds the distractor every time.
        for (int i = 0; i < n; ++i) accQ.push_back(oneHot(distractor[size_t(i)], 8));
        s = scorePseudoMix(accQ, g, distractor);
        QCOMPARE(s.acc1, 0.0);
        QCOMPARE(s.distractor1, 1.0);
        QVERIFY(s.mrr < 1.0);
        // The two halves of the score: track ranking alone, and the segment vote alone.
        const auto t = rankPseudoMix(accQ, g, distractor);
        QCOMPARE(t.acc1, s.acc1);
        QCOMPARE(t.rank, s.rank);
        QCOMPARE(t.querySegments, 0);
        int voted = 0;
        QCOMPARE(segmentKnnPseudoMix(accQ, g, 5, &voted), s.segmentKnn);
        QCOMPARE(voted, s.querySegments);
        QCOMPARE(segmentKnnPseudoMix(accQ, g, 5), 0.0);
        // Per query: the nearest item is the distractor, the right one is not first.
        QCOMPARE(s.nearest, distractor);
        for (int r : s.rank) QVERIFY(r > 1);
        // A query without segments is never right.
        q[0] = TrackEmbedding{};
        s = scorePseudoMix(q, g, distractor);
        QCOMPARE(s.acc1, 0.8);
        QCOMPARE(s.nearest[0], -1);
        QCOMPARE(s.rank[0], n);
        QCOMPARE(s.rank[1], 1);
        const auto e0 = scorePseudoMix(q, g, distractor, 5, 3);
        QCOMPARE(e0.acc1, 0.8);
        QCOMPARE(e0.nearest[0], -1);
        QCOMPARE(e0.rank[0], n);
        QCOMPARE(scorePseudoMix(accQ, g, distractor, 5, 3).distractor1, 1.0);
        const auto c = chancePseudoMix(4);
        QCOMPARE(c.acc1, 0.25);
        QVERIFY(std::abs(c.mrr - (1 + 0.5 + 1.0 / 3 + 0.25) / 4) < 1e-12);
    }

    void cleanPartPipelineIsTheCeiling()
    {
        // Each part is its own sine: a spectrum embedder on the clean part finds every song, while
        // on the mix (four louder stems of the accompaniment song) it is pulled to the distractor.
        QTemporaryDir dir;
        const auto corpus = loadPseudoMixCorpus(writeCorpus(dir.path(), 5, 8.0), 4.0);
        const auto set = makePseudoMixSet(corpus, Focus::Drums);
        auto emb = std::make_shared<test::TestEmbedder>("spectrum", 32, 64, 129, 3u);
        auto run = [&](PipelineInput in) -> PseudoMixScores {
            const MixPipeline p{"p", in, emb, nullptr};
            std::vector<TrackEmbedding> q, g;
            for (const auto& t : set.queries) q.push_back(embedPseudoMix(t, Focus::Drums, p));
            for (const auto& t : set.gallery) g.push_back(embedPseudoMix(t, Focus::Drums, p));
            return scorePseudoMix(q, g, set.distractor);
        };
        const auto clean = run(PipelineInput::CleanPart);
        QCOMPARE(clean.querySegments, 5);  // 4 s: one whole 3 s segment per query
        QCOMPARE(clean.acc1, 1.0);
        const auto mix = run(PipelineInput::Mix);
        QVERIFY2(mix.distractor1 > mix.acc1, "the mix pulls toward the accompaniment");
        // The oracle ratio mask recovers each sine from the mix: as good as the clean part here.
        for (auto in : {PipelineInput::OracleMaskedPart, PipelineInput::OracleGlimpsedPart}) {
            const auto oracle = run(in);
            QCOMPARE(oracle.acc1, 1.0);
            QCOMPARE(oracle.distractor1, 0.0);
        }
        QVERIFY_EXCEPTION_THROWN(runPipeline(MixPipeline{"o", PipelineInput::OracleMaskedPart, emb, nullptr}, Focus::Drums,
                                             set.queries[0].mix),
                                 std::invalid_argument);
        bool needsSeparator = false;
        try {
            embedPseudoMix(set.queries[0], Focus::Drums, MixPipeline{"s", PipelineInput::SeparatedPart, emb, nullptr});
        } catch (const std::invalid_argument&) {
            needsSeparator = true;
        }
        QVERIFY(needsSeparator);

        // A combination of the clean and mix pipelines: rows of unit length, each the two parts'
        // own rows side by side (so its cosine distances are the mean of theirs).
        MixPipeline both{"clean+mix", PipelineInput::Mix, emb, nullptr};
        both.parts = {MixPipeline{"clean", PipelineInput::CleanPart, emb, nullptr}, MixPipeline{"mix", PipelineInput::Mix, emb, nullptr}};
        QCOMPARE(pipelineModelIds(both), emb->modelId() + "+" + emb->modelId());  // the report names every part's model
        QCOMPARE(pipelineModelIds(both.parts[0]), emb->modelId());
        const auto t = set.queries[1];
        const auto c = embedPseudoMix(t, Focus::Drums, both.parts[0]), m = embedPseudoMix(t, Focus::Drums, both.parts[1]);
        const auto j = embedPseudoMix(t, Focus::Drums, both);
        QCOMPARE(j.segments.cols, 64);
        QCOMPARE(j.segments.rows, std::min(c.segments.rows, m.segments.rows));
        QCOMPARE(j.startSeconds.front(), c.startSeconds.front());
        double norm = 0;
        for (int k = 0; k < 64; ++k) norm += double(j.segments(0, k)) * j.segments(0, k);
        QVERIFY(std::abs(norm - 1.0) < 1e-5);
        auto unit = [](const float* v, int n, int k) {
            double s = 0;
            for (int i = 0; i < n; ++i) s += double(v[i]) * v[i];
            return float(v[k] / std::sqrt(s));
        };
        QVERIFY(std::abs(j.segments(0, 3) - unit(c.segments.row(0), 32, 3) / std::sqrt(2.f)) < 1e-5f);
        QVERIFY(std::abs(j.segments(0, 32 + 5) - unit(m.segments.row(0), 32, 5) / std::sqrt(2.f)) < 1e-5f);
        QVERIFY_EXCEPTION_THROWN(standardMixPipelines(dir.path().toStdString(), Focus::Drums, {"clean+nonsense"}),
                                 std::invalid_argument);

        // "separated:NAME": NAME's mix embedder on the separated part; it needs a separator, and
        // NAME must hear the mix (not a combination, not the clean part).
        auto why = [&](const std::string& name) {
            std::vector<std::string> problems;
            const auto found = standardMixPipelines(dir.path().toStdString(), Focus::Drums, {name}, &problems);
            return found.empty() && problems.size() == 1 ? problems.front() : std::string("resolved");
        };
        QVERIFY2(why("separated:mel-stats").find("no separator") != std::string::npos, why("separated:mel-stats").c_str());
        QVERIFY2(why("separated:mel-stats+mel-stats").find("does not hear the mix") != std::string::npos,
                 why("separated:mel-stats+mel-stats").c_str());
        QVERIFY_EXCEPTION_THROWN(standardMixPipelines(dir.path().toStdString(), Focus::Drums, {"separated:nonsense"}),
                                 std::invalid_argument);
    }

    void stemBankFileRoundTrips()
    {
        QTemporaryDir dir;
        const auto bank = test::syntheticStemBank(3, 60, 8);
        const auto path = dir.filePath("b.bank").toStdString();
        saveStemBank(bank, path);
        const auto back = loadStemBank(path);
        QCOMPARE(back.bands, 8);
        QCOMPARE(int(back.songs.size()), 3);
        for (size_t s = 0; s < 3; ++s) {
            QCOMPARE(back.songs[s].name, bank.songs[s].name);
            QCOMPARE(back.songs[s].frames, 60);
            for (size_t k = 0; k < 6; ++k) QCOMPARE(back.songs[s].power[k], bank.songs[s].power[k]);
        }
        fs::resize_file(path, fs::file_size(path) - 4);
        bool truncated = false;
        try {
            loadStemBank(path);
        } catch (const std::runtime_error& e) {
            truncated = std::string(e.what()).find("truncated") != std::string::npos;
        }
        QVERIFY(truncated);
    }

    void stemBankIsBuiltFromCorpusFolders()
    {
        QTemporaryDir dir;
        writeCorpus(dir.path(), 3, 4.0);
        fs::remove(fs::path(dir.path().toStdString()) / "song2" / "other.wav");  // other is optional
        fs::remove(fs::path(dir.path().toStdString()) / "song1" / "drums.wav");  // drums is not
        const auto bank = buildStemBank({dir.path().toStdString()}, 32, 2);
        QCOMPARE(int(bank.songs.size()), 2);
        const auto& s = bank.songs[1];
        QVERIFY(s.name.find("song2") != std::string::npos);
        QVERIFY(s.frames > 100);
        // The mix track is the stem sum's spectrum; the missing other is silent.
        const auto total = [&](int track) { return std::accumulate(s.power[size_t(track)].begin(), s.power[size_t(track)].end(), 0.0); };
        QCOMPARE(total(4), 0.0);
        double parts = 0;
        for (int k = 0; k < 4; ++k) parts += total(k);
        QVERIFY(std::abs(total(kBankMix) - parts) < 0.05 * parts);  // distinct sines: powers add
    }

    // The constant-Q bank: each stem's notes land in their own bin (the pitch resolution 64 mel bands
    // lack below 1 kHz), powers add in the mix, the kind survives the file, and a cache of the other
    // kind is refused rather than rebuilt over.
    void cqtStemBankResolvesNotes()
    {
        QTemporaryDir dir;
        writeCorpus(dir.path(), 2, 4.0);
        const CqtConfig cq = cqtConfigAt(kAnalysisSampleRate);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 buildStemBank({dir.path().toStdString()}, 64, 2, {}, nullptr, EmbedderFeatures::Cqt));
        const auto bank = buildStemBank({dir.path().toStdString()}, cq.nBins, 2, {}, nullptr, EmbedderFeatures::Cqt);
        QVERIFY(bank.features == EmbedderFeatures::Cqt);
        QCOMPARE(bank.bands, cq.nBins);
        QCOMPARE(int(bank.songs.size()), 2);
        const auto& s = bank.songs[0];
        QCOMPARE(s.frames, Cqt(cq).frameCount(static_cast<long long>(4.0 * kAnalysisSampleRate)));
        for (int k = 0; k < 4; ++k) {  // stem k of song 0: a sine at 110 (k + 1) Hz
            const float* row = s.frame(k, s.frames / 2);
            const int peak = int(std::max_element(row, row + bank.bands) - row);
            const int expected = int(std::lround(12.0 * std::log2(110.0 * (k + 1) / cq.fMin)));
            QCOMPARE(peak, expected);
        }
        const auto total = [&](int track) { return std::accumulate(s.power[size_t(track)].begin(), s.power[size_t(track)].end(), 0.0); };
        double parts = 0;
        for (int k = 0; k < 5; ++k) parts += total(k);
        QVERIFY(std::abs(total(kBankMix) - parts) < 0.05 * parts);
        const auto path = dir.filePath("cqt.bank").toStdString();
        saveStemBank(bank, path);
        QVERIFY(loadStemBank(path).features == EmbedderFeatures::Cqt);
        const auto size = fs::file_size(path);
        bool refused = false;
        try {
            cachedStemBank({dir.path().toStdString()}, 64, path);
        } catch (const std::runtime_error& e) {
            refused = std::string(e.what()).find("CQT") != std::string::npos;
        }
        QVERIFY(refused);
        QCOMPARE(fs::file_size(path), size);
        QCOMPARE(cachedStemBank({dir.path().toStdString()}, cq.nBins, path, 2, {}, EmbedderFeatures::Cqt).songs.size(), size_t(2));
        // Pitch augmentation on log-spaced bins is a shift: up one semitone reads one bin lower.
        const auto up = logBandMapForRatio(96, 12, std::pow(2.0, 1.0 / 12));
        for (int k = 0; k < 96; ++k) QVERIFY(std::abs(up[size_t(k)] - float(k - 1)) < 1e-4f);
        QVERIFY(std::abs(logBandMapForRatio(96, 12, 2.0)[30] - 18.f) < 1e-4f);
    }

    // A bank file is matched to the corpora asked for: a new corpus is built and appended (the
    // songs already in it are kept, not rebuilt), and a run that names fewer corpora gets only theirs.
    void cachedBankServesTheCorporaAskedFor()
    {
        QTemporaryDir dir;
        const auto a = writeCorpus(dir.filePath("a"), 2, 4.0), b = writeCorpus(dir.filePath("b"), 3, 4.0);
        const auto path = dir.filePath("stems.bank").toStdString();
        QCOMPARE(cachedStemBank({a}, 32, path).songs.size(), size_t(2));
        const auto first = loadStemBank(path);
        const auto grown = cachedStemBank({a, b}, 32, path);
        QCOMPARE(grown.songs.size(), size_t(5));
        QCOMPARE(loadStemBank(path).songs.size(), size_t(5));
        QVERIFY(grown.songs[0].name == "a/song0" && grown.songs[0].power == first.songs[0].power);
        const auto onlyB = cachedStemBank({b}, 32, path);
        QCOMPARE(onlyB.songs.size(), size_t(3));
        for (const auto& song : onlyB.songs) QVERIFY2(song.name.rfind("b/", 0) == 0, song.name.c_str());
        QCOMPARE(loadStemBank(path).songs.size(), size_t(5));
    }

    void validationSongsAreHeldOutOfTraining()
    {
        QTemporaryDir dir;
        writeCorpus(dir.path(), 3, 4.0);
        const auto bank = buildStemBank({dir.path().toStdString()}, 32, 2);
        QCOMPARE(int(bank.songs.size()), 3);
        QCOMPARE(bankSongsExcept(bank, {}), (std::vector<int>{0, 1, 2}));
        QCOMPARE(bankSongsExcept(bank, {"song1", "elsewhere"}), (std::vector<int>{0, 2}));  // folder names match
        QCOMPARE(bankSongsExcept(bank, {"song"}), (std::vector<int>{0, 1, 2}));             // not prefixes
    }

    void samplerLabelsEncodeWhoPlaysWhat()
    {
        const auto bank = test::syntheticStemBank(8, 200, 16);
        PseudoMixConfig c = plainConfig();
        const std::vector<int> songs = firstSongs(8);
        const PseudoMixSampler sampler(bank, songs, c);
        std::mt19937_64 rng(5);
        const auto b = sampler.batch(10, rng);
        QCOMPARE(b.items, 40);
        QCOMPARE(b.groupSize, 4);
        QCOMPARE(int(b.logMel.size()), 40 * 32 * 16);
        for (float v : b.logMel) QVERIFY(std::isfinite(v));
        const auto& L = b.labels;
        for (int g = 0; g < 10; ++g) {
            const int fi = b.groupFocus[size_t(g)];
            const size_t first = size_t(g) * 4, neg = first + 3;
            // Three items share the focus's part; the last one is another song's.
            QVERIFY(L[size_t(fi)][first] >= 0);
            QCOMPARE(L[size_t(fi)][first + 1], L[size_t(fi)][first]);
            QCOMPARE(L[size_t(fi)][first + 2], L[size_t(fi)][first]);
            QVERIFY(L[size_t(fi)][neg] >= 0 && L[size_t(fi)][neg] != L[size_t(fi)][first]);
            // For every other focus an item is nobody's positive.
            for (int f = 0; f < 5; ++f)
                if (f != fi)
                    for (size_t i = first; i <= neg; ++i) {
                        QVERIFY(L[size_t(f)][i] < 0);
                        QCOMPARE(int(std::count(L[size_t(f)].begin(), L[size_t(f)].end(), L[size_t(f)][i])), 1);
                    }
        }
        // The curriculum turns the accompaniment down: the item then sits nearer its part alone.
        std::mt19937_64 r1(9), r2(9);
        const auto loud = sampler.batch(9, r1, 0.0), soft = sampler.batch(9, r2, -30.0);
        QCOMPARE(loud.groupFocus, soft.groupFocus);
        double loudSum = 0, softSum = 0;
        for (size_t i = 0; i < loud.logMel.size(); ++i) loudSum += loud.logMel[i], softSum += soft.logMel[i];
        QVERIFY(softSum < loudSum);
        // The stream depends on the RNG only.
        std::mt19937_64 again(5);
        QCOMPARE(sampler.batch(10, again).logMel, b.logMel);
    }

    // Same-timbre hard negatives: with probability 1 every group's negative plays A's part with A's
    // sound (when another such song exists); the keys come from the corpus's meta.json tags.
    void sameTimbreNegativesShareTheSound()
    {
        // 16 songs, two sounds per part: a group uses at most 4 songs, so 4 alike ones are always left.
        const auto bank = test::syntheticStemBank(16, 200, 16);
        PseudoMixConfig c = plainConfig();
        const std::vector<int> songs = firstSongs(16);
        std::vector<std::array<int, kBankStems>> keys(16);
        for (int s = 0; s < 16; ++s) keys[size_t(s)].fill(s % 2 ? 7 : 9);
        keys[0][3] = -1;  // song 0's guitar sound is unknown
        auto alikeNegatives = [&](double prob, int* groups) {
            c.sameTimbreNegativeProb = prob;
            const PseudoMixSampler sampler(bank, songs, c, keys);
            std::mt19937_64 rng(11);
            const auto b = sampler.batch(60, rng);
            int alike = 0;
            *groups = 0;
            for (int g = 0; g < 60; ++g) {
                const int fi = b.groupFocus[size_t(g)];
                const int64_t a = b.labels[size_t(fi)][size_t(g) * 4], neg = b.labels[size_t(fi)][size_t(g) * 4 + 3];
                if (fi == 0 || (fi == 4 && a == 0)) continue;  // the mix has no part; song 0's guitar no key
                ++*groups;
                alike += keys[size_t(a)][size_t(fi - 1)] == keys[size_t(neg)][size_t(fi - 1)];
            }
            return alike;
        };
        int groups = 0;
        const int alike = alikeNegatives(1.0, &groups);
        QCOMPARE(alike, groups);
        QVERIFY(groups > 30);
        const int byChance = alikeNegatives(0.0, &groups);
        QVERIFY(byChance < groups);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, PseudoMixSampler(bank, songs, c, {keys[0]}));

        QTemporaryDir dir;
        const auto root = writeCorpus(dir.path(), 3, 4.0);
        auto meta = [&](int song, const char* font, int guitar) {
            std::ofstream(fs::path(root) / ("song" + std::to_string(song)) / "meta.json")
                << "{\"tags\": {\"soundfont\": \"" << font << "\", \"guitarProgram\": " << guitar
                << ", \"pianoProgram\": 2}}";
        };
        meta(0, "A.sf2", 25);
        meta(1, "A.sf2", 25);
        meta(2, "B.sf2", 25);
        const auto stems = buildStemBank({root}, 32, 2);
        auto read = readPartTimbres(stems, {root});
        QCOMPARE(int(read.size()), 3);
        QVERIFY(read[0][3] >= 0);
        QCOMPARE(read[1][3], read[0][3]);  // same patch, same soundfont
        QVERIFY(read[2][3] != read[0][3]); // same patch, another soundfont
        QCOMPARE(read[0][0], -1);          // no drumKit tag
        QVERIFY(read[0][2] >= 0 && read[0][2] != read[0][3]);
        fs::remove(fs::path(root) / "song1" / "meta.json");
        read = readPartTimbres(stems, {root});
        QCOMPARE(read[1][3], -1);
        QCOMPARE(readPartTimbres(stems, {})[0][3], -1);  // corpus folder unknown
    }

    // The auxiliary loss's targets: each instrument item's part share of its power, per frame and
    // bin; unknown (-1) for mix groups and real mixes; rendering them changes nothing else.
    void maskTargetsAreThePartsShare()
    {
        const auto bank = test::syntheticStemBank(8, 200, 16);
        PseudoMixConfig c = plainConfig();
        c.realMixProb = 0.5;
        const PseudoMixSampler plain(bank, firstSongs(8), c);
        c.maskTargets = true;
        const PseudoMixSampler masked(bank, firstSongs(8), c);
        std::mt19937_64 r1(11), r2(11);
        const auto a = plain.batch(18, r1), b = masked.batch(18, r2);
        QVERIFY(a.partMask.empty());
        QCOMPARE(b.logMel, a.logMel);  // the same random stream, the same items
        QCOMPARE(b.partMask.size(), b.logMel.size());
        const size_t per = size_t(b.frames) * size_t(b.bands);
        int known = 0, unknownInstrument = 0, partial = 0;
        for (int i = 0; i < b.items; ++i) {
            const int fi = b.groupFocus[size_t(i / b.groupSize)];
            const float* m = b.partMask.data() + size_t(i) * per;
            QCOMPARE(bool(b.hasPart[size_t(i)]), m[0] >= 0);
            if (m[0] < 0) {
                for (size_t k = 0; k < per; ++k) QCOMPARE(m[k], -1.f);
                unknownInstrument += fi > 0;  // a real mix (first item of a group)
                if (fi > 0) QCOMPARE(i % b.groupSize, 0);
                continue;
            }
            QVERIFY(fi > 0);
            ++known;
            double inside = 0;
            for (size_t k = 0; k < per; ++k) {
                QVERIFY(m[k] >= 0.f && m[k] <= 1.f);
                inside += m[k] > 0.05f && m[k] < 0.95f;
            }
            // The part's own bins carry it (the synthetic part is two bins a frame); others not.
            partial += inside > 0;
        }
        QVERIFY(known > 40);
        QVERIFY(unknownInstrument > 0);
        QVERIFY(partial > 0);
        // A solo item (accompaniment muted) owns every bin it sounds in: its mask is 1 there.
        c.augment = true;  // solo items are an augmentation; every other one off
        c.soloProb = 1.0;
        c.realMixProb = 0.0;
        c.stemGainDb = c.globalGainDb = 0;
        c.eqProb = c.stemReverbProb = c.roomReverbProb = c.compressProb = c.overdriveProb = c.pitchProb = c.tempoProb = 0;
        const PseudoMixSampler solo(bank, firstSongs(8), c);
        std::mt19937_64 r3(4);
        const auto s = solo.batch(6, r3);
        for (int i = 0; i < s.items; ++i) {
            if (s.groupFocus[size_t(i / s.groupSize)] == 0) continue;
            const float* m = s.partMask.data() + size_t(i) * per;
            const float* db = s.logMel.data() + size_t(i) * per;
            for (size_t k = 0; k < per; ++k)
                if (db[k] > -50) QVERIFY2(m[k] > 0.999f, qPrintable(QString::number(m[k])));
        }
    }

    // The solo teacher's input: each instrument item's part alone. With the accompaniment far
    // down the item is its part; real mixes and mix groups have none; the random stream is unchanged.
    void soloTargetsAreThePartAlone()
    {
        const auto bank = test::syntheticStemBank(8, 200, 16);
        PseudoMixConfig c = plainConfig();
        c.realMixProb = 0.5;
        const PseudoMixSampler plain(bank, firstSongs(8), c);
        c.soloTargets = true;
        const PseudoMixSampler solo(bank, firstSongs(8), c);
        std::mt19937_64 r1(5), r2(5);
        const auto a = plain.batch(18, r1, -200), b = solo.batch(18, r2, -200);  // the band 200 dB down
        QVERIFY(a.soloLogMel.empty());
        QCOMPARE(b.logMel, a.logMel);
        QCOMPARE(b.soloLogMel.size(), b.logMel.size());
        const size_t per = size_t(b.frames) * size_t(b.bands);
        int known = 0, realMixes = 0;
        for (int i = 0; i < b.items; ++i) {
            const int fi = b.groupFocus[size_t(i / b.groupSize)];
            const float* mine = b.soloLogMel.data() + size_t(i) * per;
            const float* item = b.logMel.data() + size_t(i) * per;
            if (!b.hasPart[size_t(i)]) {
                realMixes += fi > 0;
                if (fi > 0) QCOMPARE(i % b.groupSize, 0);  // a real mix is a group's first item
                for (size_t k = 0; k < per; ++k) QCOMPARE(mine[k], -100.f);
                continue;
            }
            QVERIFY(fi > 0);
            ++known;
            double worst = 0;
            for (size_t k = 0; k < per; ++k)
                if (item[k] > -60) worst = std::max(worst, double(std::abs(item[k] - mine[k])));
            QVERIFY2(worst < 0.01, qPrintable(QString::number(worst)));
        }
        QVERIFY(known > 40);
        QVERIFY(realMixes > 0);
        // Under the band at its own level the item is louder than its part alone, never quieter.
        std::mt19937_64 r3(5);
        const auto full = solo.batch(18, r3);
        int louder = 0;
        for (int i = 0; i < full.items; ++i) {
            if (!full.hasPart[size_t(i)]) continue;
            for (size_t k = 0; k < per; ++k) {
                const float x = full.logMel[size_t(i) * per + k], p = full.soloLogMel[size_t(i) * per + k];
                QVERIFY(x >= p - 1e-3f);
                louder += x > p + 3;
            }
        }
        QVERIFY(louder > 0);
    }

    // Real sound pairs: a positive after the group's first plays A's part from A's twin (the same
    // music in another soundfont), labelled A; twins are never drawn as songs of their own, and with
    // the option off the stream is the one without twins.
    void realSoundPairsPlayTheTwinsPart()
    {
        auto bank = test::syntheticStemBank(8, 200, 16);
        for (int s : {0, 1}) {
            StemBankSong twin = bank.songs[size_t(s)];
            twin.name = "twins/song" + std::to_string(s);
            for (auto& track : twin.power) std::fill(track.begin(), track.end(), 1000.f);  // flat, 30 dB
            bank.songs.push_back(std::move(twin));
        }
        std::vector<std::vector<int>> twins(bank.songs.size());
        twins[0] = {8};
        twins[1] = {9};
        PseudoMixConfig c = plainConfig();
        c.soloTargets = true;
        const size_t per = size_t(c.frames) * size_t(bank.bands);
        auto isTwin = [&](const PseudoMixBatch& b, int i) {
            const float* solo = b.soloLogMel.data() + size_t(i) * per;
            return std::all_of(solo, solo + per, [](float v) { return std::abs(v - 30.f) < 1e-3f; });
        };
        const PseudoMixSampler without(bank, firstSongs(8), c);
        const PseudoMixSampler off(bank, firstSongs(8), c, {}, twins);
        std::mt19937_64 r0(3), r1(3);
        const auto plainBatch = without.batch(40, r0);
        QCOMPARE(off.batch(40, r1).logMel, plainBatch.logMel);
        c.twinProb = 1.0;
        const PseudoMixSampler on(bank, firstSongs(8), c, {}, twins);
        std::mt19937_64 r2(3);
        const auto b = on.batch(40, r2);
        int twinned = 0, groupsWithTwin = 0;
        for (int g = 0; g < 40; ++g) {
            const int fi = b.groupFocus[size_t(g)];
            const int first = g * b.groupSize;
            const int64_t A = b.labels[size_t(fi)][size_t(first)];
            QVERIFY(A >= 0 && A < 8);  // a twin is never a group's song
            if (fi == 0) continue;
            QVERIFY(!isTwin(b, first));                     // the anchor is the song itself
            QVERIFY(!isTwin(b, first + b.groupSize - 1));   // so is the negative
            groupsWithTwin += A < 2;
            for (int i = first + 1; i < first + b.groupSize - 1; ++i) {
                QCOMPARE(b.labels[size_t(fi)][size_t(i)], A);  // a twin's part is labelled with its song
                QCOMPARE(isTwin(b, i), A < 2);
                twinned += isTwin(b, i);
            }
        }
        QVERIFY(groupsWithTwin > 0);
        QCOMPARE(twinned, 2 * groupsWithTwin);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, PseudoMixSampler(bank, firstSongs(8), c, {}, {{8}}));

        // Pairing from a bank: same song folder in a twin corpus, same recipe (songSeed/attempt).
        StemBank names;
        for (const char* n : {"train/s0", "train/s1", "train/s2", "train-twin/s0", "train-twin/s1", "other/s2"})
            names.songs.push_back(StemBankSong{n});
        const std::vector<std::string> keys{"5/0", "6/0", "7/0", "5/0", "6/1", "7/0"};
        const auto paired = bankTwins(names, {"/somewhere/train-twin"}, keys);
        QCOMPARE(paired[0], std::vector<int>{3});
        QVERIFY(paired[1].empty());  // another attempt: other music under the same folder name
        QVERIFY(paired[2].empty());  // "other" is not a twin corpus
        QVERIFY(paired[3].empty());  // twins have no twins
        QCOMPARE(bankSongsOutside(names, {0, 1, 2, 3, 4, 5}, {"/x/train-twin/"}), (std::vector<int>{0, 1, 2, 5}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bankTwins(names, {"train-twin"}, {"5/0"}));

        // The keys come from the renderer's meta.json (the recipe's seed and attempt).
        QTemporaryDir dir;
        const auto root = writeCorpus(dir.path(), 2, 4.0);
        std::ofstream(fs::path(root) / "song0" / "meta.json") << "{\"songSeed\": 1234567890123, \"attempt\": 2, \"tags\": {}}";
        const auto stems = buildStemBank({root}, 32, 2);
        const auto read = readRecipeKeys(stems, {root + "/"});
        QCOMPARE(read, (std::vector<std::string>{"1234567890123/2", ""}));  // song1 has no meta.json
        QCOMPARE(readRecipeKeys(stems, {}), (std::vector<std::string>{"", ""}));
    }

    void quietPartsAreQuieterAndOnlyThePart()
    {
        const auto bank = test::syntheticStemBank(8, 200, 16);
        PseudoMixConfig c;
        c.frames = 32;
        c.leadIn = 8;
        c.realMixProb = 0.0;
        c.soloProb = 1.0;  // parts alone: the level change is all there is to see
        c.stemGainDb = c.globalGainDb = 0;
        c.eqProb = c.stemReverbProb = c.roomReverbProb = c.compressProb = c.overdriveProb = c.pitchProb = c.tempoProb = 0;
        c.quietPartProb = 1.0;
        std::vector<int> songs(8);
        std::iota(songs.begin(), songs.end(), 0);
        c.quietPartDb = 0;
        const PseudoMixSampler level(bank, songs, c);
        c.quietPartDb = 30;
        const PseudoMixSampler quiet(bank, songs, c);
        std::mt19937_64 r1(3), r2(3);
        const auto a = level.batch(9, r1), b = quiet.batch(9, r2);  // the same random stream
        QCOMPARE(a.groupFocus, b.groupFocus);
        const size_t per = size_t(a.frames) * size_t(a.bands) * size_t(a.groupSize);
        int quieter = 0;
        for (size_t g = 0; g < a.groupFocus.size(); ++g) {
            double sa = 0, sb = 0;
            for (size_t i = g * per; i < (g + 1) * per; ++i) sa += a.logMel[i], sb += b.logMel[i];
            if (a.groupFocus[g] == 0) QCOMPARE(sb, sa);  // mix-focus groups have no part to bury
            else quieter += sb < sa - 1.0;
        }
        QVERIFY(quieter >= 6);
    }

    void augmentationsDoWhatTheySay()
    {
        const auto id = bandMapForRatio(64, 1.0);
        for (int m = 0; m < 64; ++m) QVERIFY(std::abs(id[size_t(m)] - float(m)) < 1e-3f);
        const auto up = bandMapForRatio(64, std::pow(2.0, 1.0 / 12));
        for (int m = 5; m < 64; ++m) QVERIFY(up[size_t(m)] < float(m));  // output band m reads a lower band

        MelBlock src(50, 8);
        for (int t = 0; t < 50; ++t)
            for (int k = 0; k < 8; ++k) src.row(t)[k] = float(t * 8 + k);
        const auto copy = extractBlock(src.p.data(), 50, 8, 10.0, 1.0, 20);
        for (int t = 0; t < 20; ++t) QCOMPARE(copy.row(t)[3], src.row(t + 10)[3]);
        const auto slow = extractBlock(src.p.data(), 50, 8, 10.0, 0.5, 20);
        QCOMPARE(slow.row(1)[0], 0.5f * (src.row(10)[0] + src.row(11)[0]));
        const auto past = extractBlock(src.p.data(), 50, 8, 45.0, 1.0, 10);
        QCOMPARE(past.row(9)[0], 0.f);  // beyond the source: silence

        MelBlock impulse(100, 4);
        for (int k = 0; k < 4; ++k) impulse.row(10)[k] = 1.f;
        applyReverb(impulse, 0.5, 0.5);
        QVERIFY(impulse.row(20)[0] > 0.f);          // a tail after the hit
        QVERIFY(impulse.row(20)[0] < impulse.row(11)[0]);  // that decays
        QVERIFY(impulse.row(20)[3] < impulse.row(20)[0]);  // faster in high bands

        MelBlock loud(60, 4);
        for (int t = 0; t < 60; ++t)
            for (int k = 0; k < 4; ++k) loud.row(t)[k] = t >= 30 ? 100.f : 1.f;
        applyCompression(loud, 3.0, 4.0);
        QVERIFY(loud.row(59)[0] / loud.row(10)[0] < 100.f / 2);  // the loud part is turned down

        MelBlock guitar(20, 64);
        for (int t = 0; t < 20; ++t) guitar.row(t)[10] = 1.f;
        double before = 0, after = 0;
        for (float v : guitar.p) before += v;
        applyOverdrive(guitar, 1.0, bandMapForRatio(64, 2.0), bandMapForRatio(64, 3.0));
        for (float v : guitar.p) after += v;
        QVERIFY(std::abs(after - before) < 1e-3 * before);  // energy kept...
        double above = 0;
        for (int k = 12; k < 64; ++k) above += guitar.row(5)[k];
        QVERIFY(above > 0.05);  // ...but spread to harmonics

        // Timbre warp on a constant-Q block (12 bins an octave): a tone at bin 10 that starts at frame 20.
        const auto oct = logBandMapForRatio(96, 12, 2.0), twelfth = logBandMapForRatio(96, 12, 3.0),
                   twoOct = logBandMapForRatio(96, 12, 4.0);
        MelBlock tone(60, 96);
        for (int t = 20; t < 60; ++t) tone.row(t)[10] = 1.f;
        const double toneEnergy = 40.0;
        std::mt19937_64 rng(7);
        MelBlock same = tone;
        applyTimbreWarp(same, rng, 0.0, oct, twelfth, twoOct);
        QVERIFY(same.p == tone.p);  // amount 0: the same sound
        double octaveShare = 0;
        int sharper = 0, softer = 0, brighter = 0, darker = 0;
        const double onsetRatio = 1.0;  // the original: onset frame as loud as the sustain
        for (int draw = 0; draw < 40; ++draw) {  // 40 warps from one stream
            MelBlock w = tone;
            applyTimbreWarp(w, rng, 1.0, oct, twelfth, twoOct);
            double e = 0;
            for (float v : w.p) e += v;
            QVERIFY(std::abs(e - toneEnergy) < 1e-3 * toneEnergy);  // energy kept
            for (int t = 0; t < 20; ++t) QCOMPARE(w.row(t)[10], 0.f);  // nothing before the note
            QVERIFY(w.row(30)[10] > 0.f);                                // the note is still there
            octaveShare += w.row(40)[22] / (w.row(40)[10] + w.row(40)[22]);
            const double ratio = w.row(20)[10] / w.row(50)[10];
            sharper += ratio > 1.2 * onsetRatio, softer += ratio < onsetRatio / 1.2;
            const double tilt = w.row(50)[34] / std::max(w.row(50)[22], 1e-20f);
            brighter += tilt > 1.0, darker += tilt < 1.0;
        }
        QVERIFY(octaveShare / 40 > 0.05);       // partials added above the note
        QVERIFY(sharper >= 5 && softer >= 5);   // attacks made both sharper and softer
        QVERIFY(brighter >= 5 && darker >= 5);  // upper partials made both louder and quieter

        float db[4];
        MelBlock one(1, 4);
        one.row(0)[0] = 1.f;
        one.row(0)[1] = 100.f;
        toDb(one, 0, 1, db);
        QCOMPARE(db[0], 0.f);
        QCOMPARE(db[1], 20.f);
        QCOMPARE(db[2], -100.f);  // the front end's floor (1e-10)
    }
};

QTEST_GUILESS_MAIN(PseudoMixTest)
#include "tst_pseudo_mix.moc"
