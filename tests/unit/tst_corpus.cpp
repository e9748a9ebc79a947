// Corpus building blocks that need neither mma nor fluidsynth: JSON, RNG, recipes, MIDI
// parsing, routing rules, stem normalisation and activity.
#include <QtTest>

#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "corpus/CorpusTypes.h"
#include "corpus/GrooveLibrary.h"
#include "corpus/MidiFile.h"
#include "corpus/SongRecipe.h"
#include "corpus/StemMixer.h"
#include "corpus/TrackRouting.h"
#include "util/JsonFile.h"

using namespace stemscope::corpus;
using stemscope::dumpJson;
using Json = nlohmann::ordered_json;

namespace {

std::vector<GrooveFile> fakeGrooves()
{
    GrooveFile a;
    a.stem = "50srock";
    a.family = "rock-pop";
    a.body = {"50sRock", "50sRockSus"};
    a.intros = {"50sRockIntro"};
    a.endings = {"50sRockEnd"};
    GrooveFile b;
    b.stem = "waltz";
    b.family = "waltz-march";
    b.beatsPerBar = 3;
    b.body = {"Waltz"};
    b.fills = {"WaltzFill"};
    return {a, b};
}

void vlq(std::vector<uint8_t>& b, uint32_t v)
{
    uint8_t tmp[4];
    int n = 0;
    do { tmp[n++] = uint8_t(v & 0x7F); v >>= 7; } while (v);
    while (n--) b.push_back(uint8_t(tmp[n] | (n ? 0x80 : 0)));
}

std::vector<uint8_t> track(const std::vector<uint8_t>& body)
{
    std::vector<uint8_t> t{'M', 'T', 'r', 'k', 0, 0, 0, 0};
    const uint32_t n = uint32_t(body.size());
    t[4] = uint8_t(n >> 24); t[5] = uint8_t(n >> 16); t[6] = uint8_t(n >> 8); t[7] = uint8_t(n);
    t.insert(t.end(), body.begin(), body.end());
    return t;
}

}  // namespace

class TestCorpus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jsonRoundTrip()
    {
        // util/JsonFile.h: meta.json is written through a temp file, indent 2, keys in insertion order.
        QTemporaryDir dir;
        const std::string path = dir.filePath("meta.json").toStdString();
        Json v = Json::object();
        v["name"] = "a \"quoted\"\nline";
        v["n"] = 42;
        v["x"] = 0.125;
        v["big"] = uint64_t(18446744073709551615ULL);
        v["ok"] = true;
        v["arr"] = Json::array({1, "two"});
        v["nested"]["k"] = -3.5;
        stemscope::writeJsonFile(path, v);
        QVERIFY(!std::filesystem::exists(path + ".tmp"));
        std::stringstream text;
        text << std::ifstream(path).rdbuf();
        QVERIFY(text.str().rfind("{\n  \"name\": ", 0) == 0);
        QVERIFY(text.str().find("18446744073709551615") != std::string::npos);
        QCOMPARE(text.str().back(), '\n');
        const Json back = stemscope::readJsonFile(path);
        QVERIFY(back == v);
        std::vector<std::string> keys;
        for (const auto& el : back.items()) keys.push_back(el.key());
        QCOMPARE(keys, (std::vector<std::string>{"name", "n", "x", "big", "ok", "arr", "nested"}));
        QVERIFY(stemscope::jsonMember(back, "missing").is_null());
        QCOMPARE(stemscope::jsonText(stemscope::jsonMember(back, "n"), "fallback"), std::string("fallback"));
        std::ofstream(path) << "{\"a\": }";
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, stemscope::readJsonFile(path));
        // Reals print as the old writer printed them: whole values without ".0", NaN as null.
        QCOMPARE(dumpJson(Json::array({stemscope::jsonReal(44100.0), stemscope::jsonReal(-0.125),
                                       stemscope::jsonReal(std::nan("")), stemscope::jsonRounded(2.0 / 3.0)})),
                 std::string("[44100,-0.125,null,0.666667]"));
    }

    void oldMetaJsonStillLoads()
    {
        // A meta.json written by the old hand-written writer (arrays of scalars on one line, whole
        // doubles without ".0"): same values, same key order, and it survives a rewrite.
        const Json meta = stemscope::readJsonFile(STEMSCOPE_TEST_DATA "/old_meta.json");
        std::vector<std::string> keys;
        for (const auto& el : meta.items()) keys.push_back(el.key());
        QCOMPARE(keys, (std::vector<std::string>{"format", "name", "split", "songSeed", "attempt", "source", "tags",
                                                 "sampleRate", "durationSeconds", "gainDb", "mixRmsDb", "mixPeak",
                                                 "classes", "recipe", "tracks", "rejectedAttempts"}));
        QCOMPARE(meta["songSeed"].get<uint64_t>(), uint64_t(15660863407277109293ULL));
        QCOMPARE(meta["durationSeconds"].get<double>(), 76.067);
        QCOMPARE(meta["classes"]["other"]["rmsDb"].get<double>(), -200.0);
        QCOMPARE(meta["recipe"]["sections"][2]["chords"][0].get<std::string>(), std::string("Abm"));
        QVERIFY(!meta["classes"]["other"]["audible"].get<bool>());
        QTemporaryDir dir;
        const std::string again = dir.filePath("meta.json").toStdString();
        stemscope::writeJsonFile(again, meta);
        QVERIFY(stemscope::readJsonFile(again) == meta);
    }

    void jsonStringsRoundTrip()
    {
        // Every JSON writer (meta.json, listening-test export, CLI --json) dumps through nlohmann:
        // quotes, backslashes and control characters escaped, UTF-8 as it is.
        const std::string raw = "q\"b\\n\nr\rt\t\x01\x1f \xc3\xa9";
        QCOMPARE(QString::fromStdString(dumpJson(raw)), QString("\"q\\\"b\\\\n\\nr\\rt\\t\\u0001\\u001f \u00e9\""));
        QCOMPARE(Json::parse(dumpJson(raw)).get<std::string>(), raw);
        QCOMPARE(Json::parse(dumpJson(Json{{"k", raw}}, 2))["k"].get<std::string>(), raw);
        // Invalid UTF-8 (file paths) does not throw: U+FFFD instead.
        QCOMPARE(dumpJson(std::string("/music/caf\xe9.wav")), std::string("\"/music/caf\xef\xbf\xbd.wav\""));
        QCOMPARE(stemscope::toValidUtf8("ok \xc3\xa9 \xed\xa0\x80 \xf0\x9f\x8e\xb5"),
                 std::string("ok \xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xf0\x9f\x8e\xb5"));
    }

    void rngIsPortableAndSeeded()
    {
        Rng a(123), b(123), c(124);
        QCOMPARE(a.next(), b.next());
        QVERIFY(a.next() != c.next());
        Rng d(5);
        for (int i = 0; i < 1000; ++i) {
            const int v = d.uniformInt(-2, 2);
            QVERIFY(v >= -2 && v <= 2);
            const double u = d.uniform();
            QVERIFY(u >= 0.0 && u < 1.0);
        }
        QVERIFY(mixSeed(1, 0) != mixSeed(1, 1));
        QVERIFY(mixSeed(1, 0) != mixSeed(2, 0));
    }

    void programClasses()
    {
        QCOMPARE(classOfProgram(0), StemClass::Piano);
        QCOMPARE(classOfProgram(7), StemClass::Piano);
        QCOMPARE(classOfProgram(24), StemClass::Guitar);
        QCOMPARE(classOfProgram(31), StemClass::Guitar);
        QCOMPARE(classOfProgram(32), StemClass::Bass);
        QCOMPARE(classOfProgram(39), StemClass::Bass);
        QCOMPARE(classOfProgram(40), StemClass::Other);
        QCOMPARE(classOfProgram(16), StemClass::Other);
        MidiTrackInfo t;
        t.name = "Drum-Snare"; t.channel = 9;
        QCOMPARE(trackRole(t), TrackRole::Drums);
        t.name = "Bass"; t.channel = 1; t.firstProgram = 33;
        QCOMPARE(trackRole(t), TrackRole::Bass);
        t.name = "Bass-Sax"; t.firstProgram = 66;
        QCOMPARE(trackRole(t), TrackRole::Other);
        t.name = "Chord-Piano"; t.firstProgram = 0;
        QCOMPARE(trackRole(t), TrackRole::Accompaniment);
        t.name = "Arpeggio"; t.firstProgram = 25;
        QCOMPARE(trackRole(t), TrackRole::Accompaniment);
        QCOMPARE(QString::fromStdString(grooveFamily("bossanova")), QString("latin"));
        QCOMPARE(QString::fromStdString(grooveFamily("slowblues")), QString("blues"));
        QCOMPARE(QString::fromStdString(grooveFamily("rockballad")), QString("ballad"));
    }

    void recipesAreDeterministicAndInRange()
    {
        RecipeOptions opt;
        opt.minSeconds = 30;
        opt.maxSeconds = 40;
        opt.soundfonts = {"/a.sf2", "/b.sf2"};
        const auto grooves = fakeGrooves();
        for (uint64_t seed = 1; seed < 60; ++seed) {
            const SongRecipe r = drawRecipe(seed, grooves, opt);
            QCOMPARE(recipeToMma(r), recipeToMma(drawRecipe(seed, grooves, opt)));
            QVERIFY(r.pianoProgram >= 0 && r.pianoProgram <= 7);
            QVERIFY(r.guitarProgram >= 24 && r.guitarProgram <= 31);
            QVERIFY(r.bassProgram >= 32 && r.bassProgram <= 39);
            QCOMPARE(classOfProgram(r.otherProgram), StemClass::Other);
            QVERIFY2(r.nominalSeconds() > 25 && r.nominalSeconds() < 46, std::to_string(r.nominalSeconds()).c_str());
            const std::string mma = recipeToMma(r);
            QVERIFY(mma.find("RndSeed ") != std::string::npos);
            QVERIFY(mma.find("Groove ") != std::string::npos);
            QVERIFY(mma.find("Tempo " + std::to_string(r.tempo)) != std::string::npos);
            QCOMPARE(recipeToJson(r)["bars"].get<int>(), r.totalBars());
        }
        QVERIFY(recipeToMma(drawRecipe(1, grooves, opt)) != recipeToMma(drawRecipe(2, grooves, opt)));
    }

    // corpus render --soundfont-shift: the same music, the soundfont the given number of places on.
    void soundfontShiftKeepsTheMusic()
    {
        RecipeOptions opt;
        opt.soundfonts = {"/a.sf2", "/b.sf2", "/c.sf2"};
        const auto grooves = fakeGrooves();
        int moved = 0;
        for (uint64_t seed = 1; seed < 40; ++seed) {
            const SongRecipe r = drawRecipe(seed, grooves, opt);
            RecipeOptions shifted = opt;
            shifted.soundfontShift = 1;
            SongRecipe s = drawRecipe(seed, grooves, shifted);
            const auto at = [&](const std::string& f) { return std::find(opt.soundfonts.begin(), opt.soundfonts.end(), f) - opt.soundfonts.begin(); };
            QCOMPARE(at(s.soundfont), (at(r.soundfont) + 1) % 3);
            moved += s.soundfont != r.soundfont;
            s.soundfont = r.soundfont;
            QCOMPARE(recipeToJson(s).dump(), recipeToJson(r).dump());
            QCOMPARE(recipeToMma(s), recipeToMma(r));
        }
        QCOMPARE(moved, 39);
    }

    void midiParserHandlesRunningStatusAndTempo()
    {
        std::vector<uint8_t> f{'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 1, 0, 2, 0, 96};
        std::vector<uint8_t> t0;
        vlq(t0, 0); t0.insert(t0.end(), {0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20}); // 500000 us/quarter
        vlq(t0, 96); t0.insert(t0.end(), {0xFF, 0x51, 0x03, 0x03, 0xD0, 0x90}); // 250000 at tick 96
        vlq(t0, 0); t0.insert(t0.end(), {0xFF, 0x2F, 0x00});
        std::vector<uint8_t> t1;
        vlq(t1, 0); t1.insert(t1.end(), {0xFF, 0x03, 0x04, 'B', 'a', 's', 's'});
        vlq(t1, 0); t1.insert(t1.end(), {0xC1, 33});
        vlq(t1, 0); t1.insert(t1.end(), {0x91, 40, 100});
        vlq(t1, 96); t1.insert(t1.end(), {40, 0}); // running status note-off
        vlq(t1, 96); t1.insert(t1.end(), {0x81, 41, 0});
        vlq(t1, 0); t1.insert(t1.end(), {0xFF, 0x2F, 0x00});
        for (const auto& t : {track(t0), track(t1)}) f.insert(f.end(), t.begin(), t.end());
        const MidiSong s = parseMidi(f);
        QCOMPARE(s.ticksPerQuarter, 96);
        QCOMPARE(int(s.tracks.size()), 2);
        QCOMPARE(QString::fromStdString(s.tracks[1].name), QString("Bass"));
        QCOMPARE(s.tracks[1].channel, 1);
        QCOMPARE(s.tracks[1].firstProgram, 33);
        QCOMPARE(s.tracks[1].noteCount, 1);
        QCOMPARE(int(s.events.size()), 4);
        QVERIFY(s.events[2].isNoteOff());
        QCOMPARE(s.secondsAt(96), 0.5);
        QCOMPARE(s.secondsAt(192), 0.75);
        QVERIFY_THROWS_EXCEPTION(CorpusError, parseMidi({'R', 'I', 'F', 'F'}));
    }

    void normalisationKeepsTheSumExact()
    {
        StemArray stems;
        for (int c = 0; c < kNumStemClasses; ++c) {
            stems[size_t(c)].resize(44100);
            for (size_t i = 0; i < stems[size_t(c)].size(); ++i)
                stems[size_t(c)][i] = float(0.3 * std::sin(0.01 * double(i) * (c + 1)));
        }
        stems[4].resize(1000); // shorter stems are padded
        const MixResult m = normaliseStems(stems);
        QCOMPARE(m.mix.size(), size_t(44100));
        QVERIFY(m.mixPeak <= kPeakCeiling + 1e-6);
        for (size_t i = 0; i < m.mix.size(); ++i) {
            double sum = 0;
            for (const auto& s : stems) {
                QCOMPARE(double(s[i]) * 8388608.0, std::round(double(s[i]) * 8388608.0)); // on the 24-bit grid
                sum += s[i];
            }
            QCOMPARE(double(m.mix[i]), sum);
        }
        // A quiet mix is raised to the target unless the peak forbids it.
        StemArray quiet;
        for (auto& s : quiet) s.assign(44100 * 4, 0.0f);
        for (size_t i = 0; i < quiet[0].size(); ++i) quiet[0][i] = float(0.001 * std::sin(0.05 * double(i)));
        const MixResult q = normaliseStems(quiet);
        QVERIFY(std::fabs(q.mixRmsDb - kTargetMixRmsDb) < 0.1);
    }

    void activityCountsSegments()
    {
        std::vector<float> x(size_t(44100 * 10), 0.0f);
        for (size_t i = 0; i < x.size() * 3 / 10; ++i) x[i] = float(0.1 * std::sin(0.03 * double(i)));
        const ClassLevel l = measureLevel(x, 44100);
        QCOMPARE(l.segments, 5); // starts 0, 1.5, 3, 4.5, 6 (s)
        QCOMPARE(l.activeSegments, 2); // [0, 3] and [1.5, 4.5]
        QVERIFY(!l.audible());
        const Json j = levelToJson(l, true);
        QCOMPARE(j["activeSegments"].get<int>(), 2);
        QVERIFY(j["present"].get<bool>());
    }
};

QTEST_APPLESS_MAIN(TestCorpus)
#include "tst_corpus.moc"
