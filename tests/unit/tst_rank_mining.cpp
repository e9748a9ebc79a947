// Oracle ranked lists and the three triplet-mining strategies (core/ranking/TripletMining.h).
#include <QtTest>

#include <map>
#include <random>

#include "ranking/RankedLists.h"
#include "ranking/TagVector.h"
#include "ranking/TripletMining.h"

using namespace stemscope;

namespace {
// n tracks with random tags from 4 fields of 3 values each: many ties and a graded S.
Matrix randomOracle(int n, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::vector<TagList> tags(static_cast<size_t>(n));
    for (auto& t : tags)
        for (const char* f : {"style", "groove", "tempo", "soundfont"}) t.push_back({f, std::to_string(rng() % 3)});
    TagVocabulary vocab(tags);
    std::vector<std::vector<float>> rows;
    for (const auto& t : tags) rows.push_back(vocab.vector(t));
    return cosineSimilarity(stackRows(rows));
}

int rankOf(const RankedList& l, int x)
{
    for (int i = 0; i < int(l.size()); ++i)
        if (l[size_t(i)] == x) return i;
    return -1;
}
}  // namespace

class RankMiningTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rankedListsExcludeSelfAndSortBySimilarity()
    {
        const Matrix s = randomOracle(30, 7);
        const auto lists = rankedLists(s);
        QCOMPARE(int(lists.size()), 30);
        for (int t = 0; t < 30; ++t) {
            const auto& l = lists[size_t(t)];
            QCOMPARE(int(l.size()), 29);
            QCOMPARE(rankOf(l, t), -1);
            for (size_t i = 1; i < l.size(); ++i) {
                QVERIFY(s(t, l[i - 1]) >= s(t, l[i]));
                if (s(t, l[i - 1]) == s(t, l[i])) QVERIFY(l[i - 1] < l[i]); // index tie-break
            }
        }
    }

    void commonInvariants_data()
    {
        QTest::addColumn<int>("strategy");
        QTest::newRow("neighbors") << int(MiningStrategy::Neighbors);
        QTest::newRow("random") << int(MiningStrategy::Random);
        QTest::newRow("distance") << int(MiningStrategy::Distance);
    }
    void commonInvariants()
    {
        QFETCH(int, strategy);
        const int n = 40;
        const Matrix s = randomOracle(n, 3);
        const auto lists = rankedLists(s);
        MiningConfig c;
        c.strategy = MiningStrategy(strategy);
        c.positives = 15;
        c.negatives = 250;
        const auto triplets = mineTriplets(s, lists, c);
        QVERIFY(!triplets.empty());
        std::map<std::pair<int, int>, int> perPair;
        for (const auto& t : triplets) {
            QVERIFY(t.anchor != t.positive && t.anchor != t.negative && t.positive != t.negative);
            const int rp = rankOf(lists[size_t(t.anchor)], t.positive);
            const int rn = rankOf(lists[size_t(t.anchor)], t.negative);
            QVERIFY(rp >= 0 && rp < c.positives);  // positive among the Np first
            QVERIFY(rn > rp);                      // negative ranked below the positive
            QVERIFY(s(t.anchor, t.positive) >= s(t.anchor, t.negative));
            ++perPair[{t.anchor, t.positive}];
        }
        QCOMPARE(int(perPair.size()), n * c.positives); // every anchor-positive pair used
        for (const auto& [pair, count] : perPair) {
            const int rp = rankOf(lists[size_t(pair.first)], pair.second);
            const int below = (n - 1) - (rp + 1);
            if (c.strategy == MiningStrategy::Neighbors)
                QCOMPARE(count, std::min(c.negatives, below)); // truncated at the end of the list
            else
                QCOMPARE(count, c.negatives);
        }
        // Deterministic for a given seed.
        const auto again = mineTriplets(s, lists, c);
        QCOMPARE(again.size(), triplets.size());
        for (size_t i = 0; i < again.size(); ++i) QCOMPARE(again[i].negative, triplets[i].negative);
    }

    void neighborsAreTheNextTracks()
    {
        const Matrix s = randomOracle(25, 11);
        const auto lists = rankedLists(s);
        MiningConfig c;
        c.strategy = MiningStrategy::Neighbors;
        c.positives = 3;
        c.negatives = 4;
        const auto triplets = mineTriplets(s, lists, c);
        QCOMPARE(int(triplets.size()), 25 * 3 * 4);
        size_t k = 0;
        for (int a = 0; a < 25; ++a)
            for (int i = 0; i < 3; ++i)
                for (int j = 0; j < 4; ++j, ++k) {
                    QCOMPARE(triplets[k].anchor, a);
                    QCOMPARE(triplets[k].positive, lists[size_t(a)][size_t(i)]);
                    QCOMPARE(triplets[k].negative, lists[size_t(a)][size_t(i + 1 + j)]);
                }
    }

    // A hand-made similarity row: anchor 0, positive 1 (Np = 1), candidates 2..5 below it.
    Matrix handOracle()
    {
        Matrix s(6, 6, 0.f);
        const float row[6] = {1.f, 0.9f, 0.8f, 0.6f, 0.2f, 0.0f};
        for (int j = 0; j < 6; ++j) s(0, j) = s(j, 0) = row[j];
        for (int j = 0; j < 6; ++j) s(j, j) = 1.f;
        return s;
    }

    void randomIsUniformBelowThePositive()
    {
        const Matrix s = handOracle();
        const auto lists = rankedLists(s);
        QCOMPARE(lists[0], (RankedList{1, 2, 3, 4, 5}));
        MiningConfig c;
        c.strategy = MiningStrategy::Random;
        c.positives = 1;
        c.negatives = 40000;
        std::map<int, int> freq;
        for (const auto& t : mineTriplets(s, lists, c))
            if (t.anchor == 0) ++freq[t.negative];
        QCOMPARE(int(freq.size()), 4); // 2, 3, 4, 5 (including the zero-similarity one)
        double chi2 = 0;
        for (int n = 2; n <= 5; ++n) chi2 += std::pow(freq[n] - 10000.0, 2) / 10000.0;
        QVERIFY2(chi2 < 16.3, qPrintable(QString("chi2 %1").arg(chi2))); // 3 dof, p = 0.001
    }

    void distanceIsProportionalToSimilarity()
    {
        const Matrix s = handOracle();
        const auto lists = rankedLists(s);
        MiningConfig c;
        c.strategy = MiningStrategy::Distance;
        c.positives = 1;
        c.negatives = 40000;
        std::map<int, int> freq;
        for (const auto& t : mineTriplets(s, lists, c))
            if (t.anchor == 0) ++freq[t.negative];
        QCOMPARE(freq.count(5), size_t(0)); // S = 0: never drawn
        const double total = 0.8 + 0.6 + 0.2;
        const double expected[3] = {0.8 / total, 0.6 / total, 0.2 / total};
        double chi2 = 0;
        for (int n = 2; n <= 4; ++n) {
            const double e = expected[n - 2] * c.negatives;
            chi2 += std::pow(freq[n] - e, 2) / e;
        }
        QVERIFY2(chi2 < 13.8, qPrintable(QString("chi2 %1").arg(chi2))); // 2 dof, p = 0.001
        // Harder negatives (closer to the anchor) are drawn more often than with Random.
        QVERIFY(freq[2] > freq[3] && freq[3] > freq[4]);
    }

    void names()
    {
        QCOMPARE(miningFromName("neighbors").value(), MiningStrategy::Neighbors);
        QCOMPARE(miningFromName("distance").value(), MiningStrategy::Distance);
        QVERIFY(!miningFromName("hard").has_value());
    }
};

QTEST_APPLESS_MAIN(RankMiningTest)
#include "tst_rank_mining.moc"
