// Paired bootstrap of a mean difference and k-fold assignment (the statistics of issue #20).
#include <QtTest>

#include <cmath>
#include <numeric>

#include "util/PairedBootstrap.h"

using namespace stemscope;

class PairedBootstrapTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void intervalMatchesTheNormalApproximationOnManyQueries()
    {
        // 400 queries, differences with mean 0.05 and a known spread: the percentile interval of the
        // bootstrapped mean must sit where mean +- 1.96 s / sqrt(n) puts it.
        const int n = 400;
        std::vector<double> a(n), b(n);
        for (int i = 0; i < n; ++i) {
            a[size_t(i)] = 0.3 + 0.2 * std::sin(i * 0.37);
            b[size_t(i)] = a[size_t(i)] - 0.05 - 0.1 * std::sin(i * 1.7);
        }
        double mean = 0, ss = 0;
        for (int i = 0; i < n; ++i) mean += a[size_t(i)] - b[size_t(i)];
        mean /= n;
        for (int i = 0; i < n; ++i) ss += std::pow(a[size_t(i)] - b[size_t(i)] - mean, 2);
        const double half = 1.96 * std::sqrt(ss / (n - 1)) / std::sqrt(double(n));
        const auto r = pairedBootstrap(a, b, 20000, 0.95, 3);
        QCOMPARE(r.n, n);
        QVERIFY(std::abs(r.mean - mean) < 1e-12);
        QVERIFY2(std::abs((r.high - r.low) / 2 - half) < 0.1 * half, qPrintable(QString("%1 vs %2").arg((r.high - r.low) / 2).arg(half)));
        QVERIFY(std::abs((r.high + r.low) / 2 - mean) < 0.1 * half);
        QCOMPARE(QString(r.verdict()), QString("confirmed"));
        QVERIFY(r.fractionAbove > 0.99);
        // The same seed gives the same interval; swapping the methods mirrors it.
        const auto again = pairedBootstrap(a, b, 20000, 0.95, 3);
        QCOMPARE(again.low, r.low);
        const auto swapped = pairedBootstrap(b, a, 20000, 0.95, 3);
        QVERIFY(std::abs(swapped.high + r.low) < 1e-12);
        QCOMPARE(QString(swapped.verdict()), QString("refuted"));
    }

    void noDifferenceIsUndecidedAndBadInputIsRefused()
    {
        std::vector<double> a{0.1, 0.5, 0.2, 0.9, 0.4}, b = a;
        auto r = pairedBootstrap(a, b);
        QCOMPARE(r.low, 0.0);
        QCOMPARE(r.high, 0.0);
        QCOMPARE(QString(r.verdict()), QString("undecided"));
        b[0] = 0.3;  // one query worse, one better
        b[3] = 0.7;
        r = pairedBootstrap(a, b);
        QVERIFY(r.low < 0 && r.high > 0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pairedBootstrap(a, {0.1}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pairedBootstrap({}, {}));
    }

    void foldsAreBalancedDeterministicAndShuffled()
    {
        const auto f = kFoldAssignment(203, 5, 9);
        QCOMPARE(int(f.size()), 203);
        std::vector<int> size(5, 0);
        for (int v : f) {
            QVERIFY(v >= 0 && v < 5);
            ++size[size_t(v)];
        }
        QCOMPARE(*std::max_element(size.begin(), size.end()) - *std::min_element(size.begin(), size.end()), 1);
        QCOMPARE(kFoldAssignment(203, 5, 9), f);
        QVERIFY(kFoldAssignment(203, 5, 10) != f);
        int sequential = 0;  // not simply i % k
        for (int i = 0; i < 203; ++i) sequential += f[size_t(i)] == i % 5;
        QVERIFY(sequential < 100);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, kFoldAssignment(3, 5));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, kFoldAssignment(10, 1));
    }
};

QTEST_APPLESS_MAIN(PairedBootstrapTest)
#include "tst_paired_bootstrap.moc"
