// Tag vectors, the oracle similarity S and meta.json parsing (core/ranking/TagVector.h).
#include <QtTest>

#include <QTemporaryDir>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "ranking/TagVector.h"
#include "util/JsonFile.h"

using namespace stemscope;

namespace {
bool hasTag(const TagList& l, const std::string& text)
{
    for (const auto& t : l)
        if (t.text() == text) return true;
    return false;
}

std::string joined(const TagList& l)
{
    std::string s;
    for (const auto& t : l) s += (s.empty() ? "" : " ") + t.text();
    return s;
}
}  // namespace

class RankTagsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void metaJsonReading()
    {
        // util/JsonFile.h: what tagsFromMetaFile() reads with (nlohmann, document order kept).
        QTemporaryDir dir;
        const std::string good = dir.filePath("good.json").toStdString();
        std::ofstream(good) << R"({"z": [1, 2.5, "x\n\u00e9"], "b": {"c": true, "d": null}, "e": -3e2})";
        const auto v = readJsonFile(good);
        QCOMPARE(QString::fromStdString(v.begin().key()), QString("z")); // document order, not sorted
        QCOMPARE(v["z"][1].get<double>(), 2.5);
        QCOMPARE(v["z"][2].get<std::string>(), std::string("x\n\xc3\xa9"));
        QVERIFY(jsonBool(jsonMember(v["b"], "c")));
        QVERIFY(jsonMember(v, "missing").is_null());
        QCOMPARE(jsonNumber(v["e"]), -300.0);
        QCOMPARE(jsonNumber(v["b"], 7.0), 7.0); // not a number: the fallback
        // Malformed files name themselves; a missing file too.
        const std::string bad = dir.filePath("bad.json").toStdString();
        std::ofstream(bad) << "{\"a\": }";
        try {
            readJsonFile(bad);
            QFAIL("no exception");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::string(e.what()).find(bad) != std::string::npos, e.what());
        }
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, readJsonFile(dir.filePath("none.json").toStdString()));
        // Invalid UTF-8 (the old writer passed bytes through) still loads, as U+FFFD.
        const std::string latin1 = dir.filePath("latin1.json").toStdString();
        std::ofstream(latin1) << "{\"style\": \"caf\xe9\", \"tempo\": 100}";
        QCOMPARE(joined(tagsFromMetaFile(latin1)), joined(parseTagList("style=caf\xef\xbf\xbd tempo=medium")));
    }

    void corpusMetaReadsItsTagsOnly()
    {
        // tests/data/old_meta.json is a song of our corpus (format stemscope-corpus-1). Its tags object
        // says what the song is; the recipe's per-section grooves (merengueintro, merengueend...), the
        // per-track programs and the silent "other" class are how it was made, not tags.
        QCOMPARE(QString::fromStdString(joined(tagsFromMetaFile(STEMSCOPE_TEST_DATA "/old_meta.json"))),
                 QString("class=bass class=drums class=guitar class=piano groove=merengue key=b_major melody=no "
                         "mode=major program.bass=36 program.drums=0 program.guitar=24 program.piano=5 "
                         "soundfont=fluidr3_gm style=latin tempo=fast"));
        // Without the format marker the same document is read by the generic walk, as any meta.json.
        auto doc = readJsonFile(STEMSCOPE_TEST_DATA "/old_meta.json");
        doc.erase("format");
        QVERIFY(hasTag(tagsFromMeta(doc), "groove=merengueintro"));
        // A minor key as the renderer spells it ("Am"), and a class that has notes but cannot be heard.
        doc = readJsonFile(STEMSCOPE_TEST_DATA "/old_meta.json");
        doc["tags"]["key"] = "F#m";
        doc["tags"]["mode"] = "minor";
        doc["classes"]["guitar"]["audible"] = false;
        const auto minor = tagsFromMeta(doc);
        QVERIFY(hasTag(minor, "key=f#_minor"));
        QVERIFY(hasTag(minor, "mode=minor"));
        QVERIFY(!hasTag(minor, "class=guitar"));
        QVERIFY(!hasTag(minor, "program.guitar=24"));
    }

    void documentOrderEdgeCases()
    {
        // Same output as the old reader: member order decides between case variants of "program"
        // and "class"; numbers print as integers when whole.
        // (A plain literal: moc stops parsing at a raw string holding backslashes.)
        const auto tags = tagsFromMeta(nlohmann::ordered_json::parse(
            "{\"instruments\": [{\"Program\": 1, \"class\": \"bass\", \"PROGRAM\": [2, 3.0], \"Role\": \"piano\"},"
            " {\"stem\": \"Guitar\", \"class\": 5, \"program\": {\"program\": 27.5}}],"
            " \"BPM\": 89.99, \"Key\": \"F# Major\", \"sf2\": \"C:\\\\fonts\\\\My Font.sf2\", \"flag\": true,"
            " \"tempo_bucket\": null}"));
        QCOMPARE(QString::fromStdString(joined(tags)),
                 QString("class=bass class=guitar key=f#_major mode=major program.bass=2 program.bass=3 "
                         "program.guitar=27.5 soundfont=my_font tempo=slow"));
    }

    void metaFlatAndNested()
    {
        const auto flat = tagsFromMeta(nlohmann::ordered_json::parse(R"({
            "style_family": "Funk", "groove": "16th shuffle", "tempo": 128.0, "key": "A minor",
            "programs": {"bass": 34, "guitar": [28, 30], "piano": 1},
            "soundfont": "/usr/share/sounds/sf2/FluidR3_GM.sf2", "seed": 17})"));
        for (const char* t : {"style=funk", "groove=16th_shuffle", "tempo=fast", "key=a_minor", "mode=minor",
                              "program.bass=34", "program.guitar=28", "program.guitar=30", "program.piano=1",
                              "class=bass", "class=guitar", "soundfont=fluidr3_gm"})
            QVERIFY2(hasTag(flat, t), t);
        QVERIFY(!hasTag(flat, "seed=17")); // not part of the vocabulary

        const auto nested = tagsFromMeta(nlohmann::ordered_json::parse(R"({"song": {"style": {"family": "rock"}, "tempo_bucket": "slow"},
            "instruments": [{"class": "drums", "program": 0}, {"role": "bass", "program": 33}]})"));
        for (const char* t : {"style=rock", "tempo=slow", "program.drums=0", "program.bass=33", "class=drums"})
            QVERIFY2(hasTag(nested, t), t);
    }

    void userTagLists()
    {
        const auto t = parseTagList("style=Funk, groove=shuffle;tempo=fast  program.bass=34");
        QCOMPARE(int(t.size()), 4);
        QCOMPARE(t[0].text(), std::string("style=funk"));
        QCOMPARE(t[3].field, std::string("program.bass"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseTagList("style"));
        QCOMPARE(tagTempoBucket(89.9), std::string("slow"));
        QCOMPARE(tagTempoBucket(150), std::string("veryfast"));
    }

    void oracleFieldSelection()
    {
        const auto t = parseTagList("style=funk groove=shuffle tempo=fast program.bass=34 program.guitar=28");
        QCOMPARE(int(keepFields(t, {}).size()), 5);  // no list: every field
        const auto sg = keepFields(t, parseFieldList("style, Groove"));
        QCOMPARE(int(sg.size()), 2);
        QCOMPARE(sg[0].text(), std::string("style=funk"));
        QCOMPARE(sg[1].text(), std::string("groove=shuffle"));
        QCOMPARE(int(keepFields(t, {"program"}).size()), 2);       // a field family
        QCOMPARE(int(keepFields(t, {"program.bass"}).size()), 1);  // one member of it
        QVERIFY(parseFieldList("all").empty());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseFieldList("style,,groove"));
    }

    void weightedVectorsAndCosine()
    {
        TagWeights w;
        w.byField = {{"style", 2.0}, {"program", 1.0}};
        w.otherWeight = 1.0;
        const TagList a = parseTagList("style=rock program.guitar=28 program.guitar=30");
        const TagList b = parseTagList("style=rock program.guitar=28");
        const TagList c = parseTagList("style=jazz groove=swing");
        const TagVocabulary vocab({a, b, c});
        QCOMPARE(vocab.size(), 5);
        const auto va = vocab.vector(a, w);
        QCOMPARE(va[size_t(vocab.index("style=rock"))], 2.f);
        QCOMPARE(va[size_t(vocab.index("program.guitar=28"))], 0.5f); // weight shared by the field's tags
        QCOMPARE(vocab.fieldOf(vocab.index("program.guitar=30")), std::string("program.guitar"));
        const Matrix s = cosineSimilarity(stackRows({va, vocab.vector(b, w), vocab.vector(c, w)}));
        QCOMPARE(s(0, 0), 1.f);
        // a = (2, .5, .5), b = (2, 1, 0) on (style=rock, p28, p30): cos = 4.5 / (sqrt(4.5) sqrt(5))
        QVERIFY(std::abs(s(0, 1) - 4.5 / (std::sqrt(4.5) * std::sqrt(5.0))) < 1e-6);
        QCOMPARE(s(0, 2), 0.f);
        QCOMPARE(s(1, 0), s(0, 1));
        // Unknown tags are ignored; a track without known tags has S = 0 with everything.
        const Matrix z = cosineSimilarity(stackRows({vocab.vector(parseTagList("x=y"), w), va}));
        QCOMPARE(z(0, 0), 0.f);
        QCOMPARE(z(0, 1), 0.f);
        // Soft scores: one-hot scores reproduce the oracle vector.
        const auto soft = vocab.vectorFromScores(vocab.multiHot(b), w);
        const auto hard = vocab.vector(b, w);
        for (size_t i = 0; i < soft.size(); ++i) QVERIFY(std::abs(soft[i] - hard[i]) < 1e-6);
    }
};

QTEST_APPLESS_MAIN(RankTagsTest)
#include "tst_rank_tags.moc"
