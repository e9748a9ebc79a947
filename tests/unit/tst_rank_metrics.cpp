// Ranking metrics (core/ranking/RankingMetrics.h) against hand-computed cases.
#include <QtTest>

#include <cmath>

#include "ranking/RankingMetrics.h"

using namespace stemscope;

class RankMetricsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handComputedList()
    {
        // Relevant items at ranks 3 and 5; m = 3 relevant in total.
        const std::vector<int> L{3, 7, 1, 9, 2};
        const std::vector<int> R{1, 2, 5};
        // AP@5 = (1/3 + 2/5) / min(3, 5)
        QVERIFY(std::abs(averagePrecisionAtK(L, R, 5) - (1.0 / 3 + 2.0 / 5) / 3) < 1e-12);
        QVERIFY(std::abs(averagePrecisionAtK(L, R, 20) - (1.0 / 3 + 2.0 / 5) / 3) < 1e-12);
        QVERIFY(std::abs(recallAtK(L, R, 5) - 2.0 / 3) < 1e-12);
        QVERIFY(std::abs(reciprocalRankAtK(L, R, 5) - 1.0 / 3) < 1e-12);
        const double dcg = 1 / std::log2(4.0) + 1 / std::log2(6.0);
        const double idcg = 1 + 1 / std::log2(3.0) + 1 / std::log2(4.0);
        QVERIFY(std::abs(ndcgAtK(L, R, 5) - dcg / idcg) < 1e-12);
        QVERIFY(std::abs(ndcgAtK(L, R, 5) - 0.4161812) < 1e-6);
        // Cut at k = 3: only the hit at rank 3 counts.
        QVERIFY(std::abs(averagePrecisionAtK(L, R, 3) - (1.0 / 3) / 3) < 1e-12);
        QVERIFY(std::abs(recallAtK(L, R, 3) - 1.0 / 3) < 1e-12);
        QVERIFY(std::abs(ndcgAtK(L, R, 3) - 0.5 / idcg) < 1e-12);
        // k = 2: no hit at all.
        QCOMPARE(averagePrecisionAtK(L, R, 2), 0.0);
        QCOMPARE(reciprocalRankAtK(L, R, 2), 0.0);
        QCOMPARE(ndcgAtK(L, R, 2), 0.0);
    }

    void apNormalisesByMinOfRelevantAndK()
    {
        // 5 relevant, k = 2, both retrieved first: AP@2 = (1 + 1) / min(5, 2) = 1.
        const std::vector<int> L{10, 11, 12};
        const std::vector<int> R{10, 11, 20, 21, 22};
        QCOMPARE(averagePrecisionAtK(L, R, 2), 1.0);
        QCOMPARE(ndcgAtK(L, R, 2), 1.0);
        QVERIFY(std::abs(recallAtK(L, R, 2) - 0.4) < 1e-12);
    }

    void perfectAndEmpty()
    {
        const std::vector<int> L{4, 2, 8, 1, 0, 9};
        const std::vector<int> R{4, 2, 8, 1, 0};
        QCOMPARE(averagePrecisionAtK(L, R, 20), 1.0);
        QCOMPARE(recallAtK(L, R, 20), 1.0);
        QCOMPARE(reciprocalRankAtK(L, R, 20), 1.0);
        QVERIFY(std::abs(ndcgAtK(L, R, 20) - 1.0) < 1e-12);
        QCOMPARE(averagePrecisionAtK(L, {}, 20), 0.0);
        QCOMPARE(recallAtK(L, {}, 20), 0.0);
        QCOMPARE(ndcgAtK(L, {}, 20), 0.0);
        QCOMPARE(averagePrecisionAtK({}, R, 20), 0.0);
        // Reversed ranking with the 5 relevant at the end of 25 items: only RR/AP partial credit.
        std::vector<int> rev;
        for (int i = 24; i >= 0; --i) rev.push_back(i);
        const std::vector<int> last{0, 1, 2, 3, 4}; // ranks 21..25: outside k = 20
        QCOMPARE(recallAtK(rev, last, 20), 0.0);
        QCOMPARE(reciprocalRankAtK(rev, last, 20), 0.0);
        QCOMPARE(recallAtK(rev, last, 25), 1.0);
        QVERIFY(std::abs(reciprocalRankAtK(rev, last, 25) - 1.0 / 21) < 1e-12);
    }

    void confidenceInterval()
    {
        const MeanCi c = meanWithCi95({1, 0, 1, 0});
        QCOMPARE(c.n, 4);
        QCOMPARE(c.mean, 0.5);
        // s = sqrt(1 / 3), half width = 1.96 s / 2
        QVERIFY(std::abs(c.halfWidth - 1.96 * std::sqrt(1.0 / 3) / 2) < 1e-12);
        QCOMPARE(meanWithCi95({0.3}).halfWidth, 0.0);
        QCOMPARE(meanWithCi95({}).n, 0);
    }

    void scoreRankingsAveragesQueries()
    {
        const std::vector<RankedList> retrieved{{1, 2, 3}, {3, 2, 1}};
        const std::vector<std::vector<int>> relevant{{1}, {1}};
        const RankingScores s = scoreRankings(retrieved, relevant, 20);
        QVERIFY(std::abs(s.rr.mean - (1.0 + 1.0 / 3) / 2) < 1e-12);
        QVERIFY(std::abs(s.map.mean - (1.0 + 1.0 / 3) / 2) < 1e-12);
        QCOMPARE(s.recall.mean, 1.0);
        QVERIFY(std::abs(s.ndcg.mean - (1.0 + 0.5) / 2) < 1e-12);
        // The per-query values behind the means, in query order (for paired comparisons).
        QCOMPARE(s.rrPerQuery, (std::vector<double>{1.0, 1.0 / 3}));
        QCOMPARE(int(s.ap.size()), 2);
        QCOMPARE(s.recallPerQuery, (std::vector<double>{1.0, 1.0}));
        const auto rel = relevantFromOracle({{5, 4, 3, 2, 1, 0}, {1, 2}}, 5);
        QCOMPARE(rel[0], (std::vector<int>{5, 4, 3, 2, 1}));
        QCOMPARE(rel[1], (std::vector<int>{1, 2}));
    }
};

QTEST_APPLESS_MAIN(RankMetricsTest)
#include "tst_rank_metrics.moc"
