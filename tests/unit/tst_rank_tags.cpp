// Tag vectors, the oracle similarity S and meta.json parsing (core/ranking/TagVector.h).
#include <QtTest>

#include <cmath>

#include "ranking/MiniJson.h"
#include "ranking/TagVector.h"

using namespace stemscope;

namespace {
bool hasTag(const TagList& l, const std::string& text)
{
    for (const auto& t : l)
        if (t.text() == text) return true;
    return false;
}
}  // namespace

class RankTagsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void json()
    {
        const auto v = json::parse(R"({"a": [1, 2.5, "x\n\u00e9"], "b": {"c": true, "d": null}, "e": -3e2})");
        QVERIFY(v.isObject());
        QCOMPARE(int(v.find("a")->items.size()), 3);
        QCOMPARE(v.find("a")->items[1].number, 2.5);
        QCOMPARE(v.find("a")->items[2].text, std::string("x\n\xc3\xa9"));
        QVERIFY(v.find("b")->find("c")->boolean);
        QCOMPARE(v.find("e")->number, -300.0);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, json::parse("{\"a\": }"));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, json::parse("[1, 2"));
    }

    void metaFlatAndNested()
    {
        const auto flat = tagsFromMeta(json::parse(R"({
            "style_family": "Funk", "groove": "16th shuffle", "tempo": 128.0, "key": "A minor",
            "programs": {"bass": 34, "guitar": [28, 30], "piano": 1},
            "soundfont": "/usr/share/sounds/sf2/FluidR3_GM.sf2", "seed": 17})"));
        for (const char* t : {"style=funk", "groove=16th_shuffle", "tempo=fast", "key=a_minor", "mode=minor",
                              "program.bass=34", "program.guitar=28", "program.guitar=30", "program.piano=1",
                              "class=bass", "class=guitar", "soundfont=fluidr3_gm"})
            QVERIFY2(hasTag(flat, t), t);
        QVERIFY(!hasTag(flat, "seed=17")); // not part of the vocabulary

        const auto nested = tagsFromMeta(json::parse(R"({"song": {"style": {"family": "rock"}, "tempo_bucket": "slow"},
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
