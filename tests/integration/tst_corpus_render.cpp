// End to end: two very short songs through mma + fluidsynth, then the corpus invariants:
// stems sum to the mix (as stored in 24-bit FLAC), all four classes audible, same seed gives
// bit-identical audio, resume skips complete songs, import of a multitrack folder, clear errors.
#include <QtTest>

#include <QTemporaryDir>

#include <atomic>
#include <cmath>
#include <filesystem>

#include "audio/AudioDecoder.h"
#include "corpus/CorpusBuilder.h"
#include "corpus/CorpusImport.h"
#include "corpus/CorpusStats.h"
#include "corpus/CorpusTypes.h"
#include "corpus/MmaRunner.h"
#include "corpus/SongRecipe.h"
#include "util/JsonFile.h"

using namespace stemscope;
using namespace stemscope::corpus;
namespace fs = std::filesystem;

namespace {

std::vector<float> decode(const fs::path& p)
{
    DecodeOptions o;
    o.targetSampleRate = 0; // native 44.1 kHz, no resampling
    return defaultAudioDecoder()->decodeMono(p.string(), o).samples;
}

CorpusOptions shortSongs(const std::string& out)
{
    CorpusOptions o;
    o.outDir = out;
    o.prefix = "t";
    o.split = "unit";
    o.songs = 2;
    o.seed = 20261122;
    o.jobs = 2;
    o.minSeconds = 8.0;
    o.maxSeconds = 10.0;
    o.grooves = {"50srock", "bossanova", "countryswing"};
    // The small soundfonts keep the test fast.
    for (const auto& sf : installedSoundfonts())
        if (sf.find("TimGM6mb") != std::string::npos || sf.find("FluidR3") != std::string::npos)
            o.soundfonts.push_back(sf);
    return o;
}

}  // namespace

class TestCorpusRender : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (!mmaAvailable()) QSKIP("mma is not installed");
        if (installedSoundfonts().empty()) QSKIP("no GM soundfont installed");
        QVERIFY(dirA_.isValid() && dirB_.isValid());
        int calls = 0;
        const CorpusReport r = renderCorpus(shortSongs(dirA_.path().toStdString()),
                                            [&](const CorpusProgress&) { ++calls; });
        for (const auto& e : r.errors) qWarning("%s", e.c_str());
        QCOMPARE(r.failed, 0);
        QCOMPARE(r.rendered, 2);
        QVERIFY(calls >= 2);
        QVERIFY(r.audioSeconds > 10.0);
    }

    void songFoldersAreComplete()
    {
        for (const char* song : {"t-0000", "t-0001"}) {
            const fs::path d = fs::path(dirA_.path().toStdString()) / song;
            for (const char* f : {"drums.flac", "bass.flac", "piano.flac", "guitar.flac", "other.flac", "mix.flac",
                                  "meta.json", "song.mma", "song.mid"})
                QVERIFY2(fs::is_regular_file(d / f), (d / f).string().c_str());
            const auto info = defaultAudioDecoder()->probe((d / "mix.flac").string());
            QCOMPARE(info.sampleRate, 44100.0);
            QCOMPARE(info.channels, 1);
            QCOMPARE(info.bitsPerSample, 24);
        }
        QVERIFY(!fs::exists(fs::path(dirA_.path().toStdString()) / ".tmp-t-0000"));
    }

    void stemsSumToTheMix()
    {
        const fs::path d = fs::path(dirA_.path().toStdString()) / "t-0000";
        const auto mix = decode(d / "mix.flac");
        std::vector<double> sum(mix.size(), 0.0);
        for (const char* c : {"drums", "bass", "piano", "guitar", "other"}) {
            const auto s = decode(d / (std::string(c) + ".flac"));
            QCOMPARE(s.size(), mix.size());
            for (size_t i = 0; i < s.size(); ++i) sum[i] += s[i];
        }
        double maxErr = 0, peak = 0;
        for (size_t i = 0; i < mix.size(); ++i) {
            maxErr = std::max(maxErr, std::fabs(sum[i] - mix[i]));
            peak = std::max(peak, double(std::fabs(mix[i])));
        }
        QVERIFY2(maxErr <= 5.0 / 8388608.0, std::to_string(maxErr).c_str()); // 24-bit quantisation
        QVERIFY(peak < 0.95);
        QVERIFY(peak > 0.05);
    }

    void allFourClassesAudible()
    {
        for (const char* song : {"t-0000", "t-0001"}) {
            const auto meta = readJsonFile((fs::path(dirA_.path().toStdString()) / song / "meta.json").string());
            for (const char* c : {"drums", "bass", "piano", "guitar"}) {
                QVERIFY2(meta.at("classes").at(c).at("audible").get<bool>(), (std::string(song) + " " + c).c_str());
                QVERIFY(meta.at("classes").at(c).at("rmsDb").get<double>() > -45.0);
            }
            QVERIFY(!meta.at("tags").at("groove").get<std::string>().empty());
            QVERIFY(meta.at("tags").at("tempo").get<double>() > 40);
            const double dur = meta.at("durationSeconds").get<double>();
            QVERIFY2(dur > 6.0 && dur < 16.0, std::to_string(dur).c_str());
            // The decoded RMS agrees with the recorded one.
            const auto drums = decode(fs::path(dirA_.path().toStdString()) / song / "drums.flac");
            double sq = 0;
            for (float v : drums) sq += double(v) * v;
            const double recorded = meta.at("classes").at("drums").at("rmsDb").get<double>();
            QVERIFY(std::fabs(10 * std::log10(sq / drums.size()) - recorded) < 0.05);
        }
    }

    void sameSeedIsBitIdenticalAndResumes()
    {
        auto o = shortSongs(dirB_.path().toStdString());
        o.jobs = 1;
        o.songs = 1;
        const CorpusReport r = renderCorpus(o);
        QCOMPARE(r.rendered, 1);
        for (const char* c : {"drums", "bass", "piano", "guitar", "other", "mix"}) {
            const auto a = decode(fs::path(dirA_.path().toStdString()) / "t-0000" / (std::string(c) + ".flac"));
            const auto b = decode(fs::path(dirB_.path().toStdString()) / "t-0000" / (std::string(c) + ".flac"));
            QCOMPARE(a.size(), b.size());
            QVERIFY2(a == b, c);
        }
        // Resume: the complete song is skipped, the missing one rendered.
        o.songs = 2;
        const CorpusReport again = renderCorpus(o);
        QCOMPARE(again.skipped, 1);
        QCOMPARE(again.rendered, 1);
        // Cancel before anything starts.
        std::atomic<bool> cancel{true};
        o.firstIndex = 5;
        const CorpusReport cancelled = renderCorpus(o, {}, &cancel);
        QVERIFY(cancelled.cancelled);
        QCOMPARE(cancelled.rendered, 0);

        const std::string stats = corpusStatsReport(dirB_.path().toStdString());
        QVERIFY(stats.find("songs: 2") != std::string::npos);
        QVERIFY(stats.find("| drums | 2 | 2 |") != std::string::npos);
    }

    // The unseen-soundfont check (corpus render --soundfonts) relies on this: another soundfont
    // list changes the instrument sounds and nothing else of the song.
    void anotherSoundfontKeepsTheMusic()
    {
        auto o = shortSongs(dirC_.path().toStdString());
        if (o.soundfonts.size() < 2) QSKIP("needs TimGM6mb and FluidR3");
        o.songs = 1;
        o.jobs = 1;
        std::vector<nlohmann::ordered_json> recipes;
        std::vector<std::vector<float>> guitars;
        const std::vector<std::string> fonts = o.soundfonts;
        for (const auto& font : fonts) {
            o.soundfonts = {font};
            o.outDir = (fs::path(dirC_.path().toStdString()) / fs::path(font).stem()).string();
            QCOMPARE(renderCorpus(o).rendered, 1);
            const auto meta = readJsonFile((fs::path(o.outDir) / "t-0000" / "meta.json").string());
            recipes.push_back(meta.at("recipe")); // the whole drawn song: sections, chords, tempo, programs
            guitars.push_back(decode(fs::path(o.outDir) / "t-0000" / "guitar.flac"));
        }
        for (size_t k = 0; k < fonts.size(); ++k)
            QCOMPARE(QString::fromStdString(recipes[k].at("soundfont").get<std::string>()),
                     QString::fromStdString(fs::path(fonts[k]).filename().string()));
        for (auto* t : {&recipes[0], &recipes[1]}) t->erase("soundfont");
        QCOMPARE(QString::fromStdString(recipes[0].dump()), QString::fromStdString(recipes[1].dump()));
        QVERIFY(guitars[0] != guitars[1]);
    }

    void importsAMultitrackFolder()
    {
        QTemporaryDir src, out;
        const fs::path song = fs::path(src.path().toStdString()) / "my song";
        fs::create_directories(song);
        // Stems as WAV at 22.05 kHz (resampled on import), no mix: the mix is their sum.
        DecodeOptions o;
        o.targetSampleRate = 22050;
        for (const char* c : {"drums", "bass", "piano", "guitar"}) {
            const auto a = defaultAudioDecoder()->decodeMono(
                (fs::path(dirA_.path().toStdString()) / "t-0000" / (std::string(c) + ".flac")).string(), o);
            writeAudio((song / (std::string(c) + ".wav")).string(), {a.samples}, 22050, 16);
        }
        const ImportReport r = importMultitracks(src.path().toStdString(), out.path().toStdString());
        for (const auto& e : r.errors) qWarning("%s", e.c_str());
        QCOMPARE(r.imported, 1);
        const fs::path dst = fs::path(out.path().toStdString()) / "my song";
        QVERIFY(fs::is_regular_file(dst / "meta.json"));
        const auto meta = readJsonFile((dst / "meta.json").string());
        QCOMPARE(QString::fromStdString(meta.at("mixSource").get<std::string>()), QString("sum of stems"));
        QVERIFY(!meta.at("classes").at("other").at("present").get<bool>());
        QVERIFY(meta.at("classes").at("piano").at("present").get<bool>());
        const auto mix = decode(dst / "mix.flac");
        std::vector<double> sum(mix.size(), 0.0);
        for (const char* c : {"drums", "bass", "piano", "guitar", "other"}) {
            const auto s = decode(dst / (std::string(c) + ".flac"));
            QCOMPARE(s.size(), mix.size());
            for (size_t i = 0; i < s.size(); ++i) sum[i] += s[i];
        }
        for (size_t i = 0; i < mix.size(); i += 97) QVERIFY(std::fabs(sum[i] - mix[i]) <= 5.0 / 8388608.0);
        // Re-import skips the complete song.
        QCOMPARE(importMultitracks(src.path().toStdString(), out.path().toStdString()).skipped, 1);
    }

    void missingStemsGiveAClearError()
    {
        QTemporaryDir src, out;
        const fs::path song = fs::path(src.path().toStdString()) / "incomplete";
        fs::create_directories(song);
        std::vector<float> tone(22050);
        for (size_t i = 0; i < tone.size(); ++i) tone[i] = float(0.2 * std::sin(0.05 * double(i)));
        writeAudio((song / "drums.wav").string(), {tone}, 22050, 16);
        writeAudio((song / "bass.flac").string(), {tone}, 22050, 24);
        const ImportReport r = importMultitracks(src.path().toStdString(), out.path().toStdString());
        QCOMPARE(r.failed, 1);
        QCOMPARE(r.imported, 0);
        QCOMPARE(int(r.errors.size()), 1);
        const QString e = QString::fromStdString(r.errors[0]);
        QVERIFY2(e.contains("incomplete") && e.contains("missing stem file(s) for piano, guitar"), qPrintable(e));
        QVERIFY(!fs::exists(fs::path(out.path().toStdString()) / "incomplete"));
        QVERIFY_THROWS_EXCEPTION(CorpusError, importMultitracks((song / "nope").string(), out.path().toStdString()));
    }

private:
    QTemporaryDir dirA_, dirB_, dirC_;
};

QTEST_APPLESS_MAIN(TestCorpusRender)
#include "tst_corpus_render.moc"
