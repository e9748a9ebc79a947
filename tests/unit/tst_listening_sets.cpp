// Set generation of the A/B/X listening test (core/listening/SetGenerator): the paper's rules on
// a synthetic neighbour function, no library needed.
#include <QTest>

#include <map>
#include <set>

#include "listening/SetGenerator.h"

using namespace stemscope;
using namespace stemscope::listening;

namespace {

// Neighbour lists per (space, track): drums space d(i) = i+1, i+2 ...; mix space m(i) = i+10, i+11;
// bass space: i+20, i+21 ...; tracks 1..60.
struct FakeSpaces {
    std::map<Focus, std::map<int64_t, std::vector<int64_t>>> lists;
    mutable std::map<Focus, int> calls;
    FakeSpaces()
    {
        for (int64_t i = 1; i <= 60; ++i) {
            for (int j = 1; j <= 5; ++j) {
                lists[Focus::Drums][i].push_back(i + j);
                lists[Focus::Mix][i].push_back(i + 9 + j);
                lists[Focus::Bass][i].push_back(i + 19 + j);
                lists[Focus::Piano][i].push_back(i + 29 + j);
                lists[Focus::Guitar][i].push_back(i + 39 + j);
            }
        }
    }
    NeighbourFn fn() const
    {
        return [this](int64_t id, Focus f, int k) {
            ++calls[f];
            std::vector<int64_t> out;
            auto s = lists.find(f);
            if (s == lists.end()) return out;
            auto it = s->second.find(id);
            if (it == s->second.end()) return out;
            for (int i = 0; i < k && i < int(it->second.size()); ++i) out.push_back(it->second[size_t(i)]);
            return out;
        };
    }
};

std::vector<int64_t> range(int64_t a, int64_t b)
{
    std::vector<int64_t> v;
    for (int64_t i = a; i <= b; ++i) v.push_back(i);
    return v;
}

}  // namespace

class TestListeningSets : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void positiveAndNegativeFromTop2()
    {
        FakeSpaces s;
        SetOptions o;
        o.focus = Focus::Drums;
        o.trials = 30;
        o.trainingTrials = 3;
        o.seed = 7;
        const auto g = generateTrials(range(1, 40), s.fn(), o);
        QCOMPARE(int(g.trials.size()), 33);
        QVERIFY(g.warning.empty());
        std::set<int64_t> anchors;
        std::set<int64_t> posRank, negRank;
        for (const auto& t : g.trials) {
            QCOMPARE(t.focus, Focus::Drums);
            QCOMPARE(t.negativeSpace, Focus::Mix);
            QVERIFY(t.positive == t.anchor + 1 || t.positive == t.anchor + 2);   // 1st or 2nd in drums
            QVERIFY(t.negative == t.anchor + 10 || t.negative == t.anchor + 11); // 1st or 2nd in mix
            posRank.insert(t.positive - t.anchor);
            negRank.insert(t.negative - t.anchor);
            QCOMPARE(t.x, t.anchor);
            QVERIFY((t.a == t.positive && t.b == t.negative) || (t.a == t.negative && t.b == t.positive));
            QCOMPARE(QString::fromStdString(t.expected), QString(t.a == t.positive ? "A" : "B"));
            QVERIFY(anchors.insert(t.anchor).second); // distinct anchors
            QCOMPARE(t.training, t.index < 3);
        }
        QCOMPARE(int(posRank.size()), 2); // both the 1st and the 2nd neighbour get drawn
        QCOMPARE(int(negRank.size()), 2);
        for (int i = 0; i < 33; ++i) QCOMPARE(g.trials[size_t(i)].index, i);
    }

    void abOrderRandomised()
    {
        FakeSpaces s;
        SetOptions o;
        o.focus = Focus::Drums;
        o.trials = 40;
        o.trainingTrials = 0;
        const auto g = generateTrials(range(1, 50), s.fn(), o);
        int positiveIsA = 0;
        for (const auto& t : g.trials) positiveIsA += t.expected == "A";
        QVERIFY2(positiveIsA > 8 && positiveIsA < 32, qPrintable(QString::number(positiveIsA)));
    }

    void overlapIsRedrawn()
    {
        // Track 5's drums top-2 = {6, 7}; make its mix top-2 {7, 30}: invalid. Track 6's mix
        // top-2 contains its 2nd drums neighbour (8) in 2nd place: invalid too, even though its
        // first positive candidate (7) is not a negative candidate.
        FakeSpaces s;
        s.lists[Focus::Mix][5] = {7, 30, 31};
        s.lists[Focus::Mix][6] = {40, 8, 41};
        // Track 9: its 3rd drums neighbour (12) is a mix top-2 candidate: still valid (top-2 only).
        s.lists[Focus::Mix][9] = {12, 50, 51};
        SetOptions o;
        o.focus = Focus::Drums;
        o.trials = 30; // more than the 18 valid anchors: anchors get reused, 5 and 6 never
        o.trainingTrials = 0;
        const auto g = generateTrials(range(1, 20), s.fn(), o);
        QCOMPARE(int(g.trials.size()), 30);
        QVERIFY(g.rejectedSets >= 2);
        bool saw9 = false;
        for (const auto& t : g.trials) {
            QVERIFY(t.anchor != 5 && t.anchor != 6);
            saw9 |= t.anchor == 9;
        }
        QVERIFY(saw9);

        std::mt19937_64 rng(1);
        QVERIFY(!drawSet(5, Focus::Drums, Focus::Mix, Mode::Similarity, s.fn(), rng));
        QVERIFY(!drawSet(6, Focus::Drums, Focus::Mix, Mode::Similarity, s.fn(), rng));
        QVERIFY(drawSet(9, Focus::Drums, Focus::Mix, Mode::Similarity, s.fn(), rng));
        // Fewer than 2 neighbours in a space: invalid.
        s.lists[Focus::Drums][3] = {4};
        QVERIFY(!drawSet(3, Focus::Drums, Focus::Mix, Mode::Similarity, s.fn(), rng));
    }

    void mixFocusUsesInstrumentSpaces()
    {
        FakeSpaces s;
        SetOptions o;
        o.focus = Focus::Mix;
        o.trials = 40;
        o.trainingTrials = 0;
        const auto g = generateTrials(range(1, 60), s.fn(), o);
        QCOMPARE(int(g.trials.size()), 40);
        std::set<Focus> spaces;
        for (const auto& t : g.trials) {
            QVERIFY(t.negativeSpace != Focus::Mix);
            spaces.insert(t.negativeSpace);
            QVERIFY(t.positive == t.anchor + 10 || t.positive == t.anchor + 11); // mix top-2
            const int64_t off = t.negative - t.anchor;
            switch (t.negativeSpace) {
            case Focus::Drums: QVERIFY(off == 1 || off == 2); break;
            case Focus::Bass: QVERIFY(off == 20 || off == 21); break;
            case Focus::Piano: QVERIFY(off == 30 || off == 31); break;
            case Focus::Guitar: QVERIFY(off == 40 || off == 41); break;
            default: QFAIL("negative from the mix space");
            }
        }
        QCOMPARE(int(spaces.size()), 4);
        QVERIFY(s.calls[Focus::Mix] > 0 && s.calls[Focus::Bass] > 0);
    }

    void deterministicGivenSeed()
    {
        FakeSpaces s;
        SetOptions o;
        o.focus = Focus::Mix;
        o.trials = 15;
        o.seed = 1234;
        const auto g1 = generateTrials(range(1, 60), s.fn(), o);
        const auto g2 = generateTrials(range(1, 60), s.fn(), o);
        QCOMPARE(g1.trials.size(), g2.trials.size());
        for (size_t i = 0; i < g1.trials.size(); ++i) {
            QCOMPARE(g1.trials[i].anchor, g2.trials[i].anchor);
            QCOMPARE(g1.trials[i].a, g2.trials[i].a);
            QCOMPARE(g1.trials[i].b, g2.trials[i].b);
            QCOMPARE(g1.trials[i].negativeSpace, g2.trials[i].negativeSpace);
        }
        o.seed = 99;
        const auto g3 = generateTrials(range(1, 60), s.fn(), o);
        bool differs = false;
        for (size_t i = 0; i < g1.trials.size(); ++i) differs |= g1.trials[i].anchor != g3.trials[i].anchor;
        QVERIFY(differs);
    }

    void abxMode()
    {
        FakeSpaces s;
        SetOptions o;
        o.mode = Mode::Abx;
        o.focus = Focus::Bass;
        o.trials = 30;
        o.trainingTrials = 0;
        const auto g = generateTrials(range(1, 40), s.fn(), o);
        QCOMPARE(int(g.trials.size()), 30);
        int xIsA = 0;
        for (const auto& t : g.trials) {
            QCOMPARE(t.mode, Mode::Abx);
            QVERIFY(t.x == t.a || t.x == t.b);
            QCOMPARE(QString::fromStdString(t.expected), QString(t.x == t.a ? "A" : "B"));
            xIsA += t.x == t.a;
        }
        QVERIFY(xIsA > 5 && xIsA < 25);
    }

    void tooFewAnchorsReuseWithoutDuplicates()
    {
        FakeSpaces s;
        SetOptions o;
        o.focus = Focus::Drums;
        o.trials = 12;
        o.trainingTrials = 0;
        const auto g = generateTrials(range(1, 4), s.fn(), o); // 4 anchors x 4 (pos, neg) combos
        QVERIFY(g.trials.size() >= 8);
        std::set<std::tuple<int64_t, int64_t, int64_t>> seen;
        for (const auto& t : g.trials) QVERIFY(seen.insert({t.anchor, t.positive, t.negative}).second);
    }
};

QTEST_APPLESS_MAIN(TestListeningSets)
#include "tst_listening_sets.moc"
