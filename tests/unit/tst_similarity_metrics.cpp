// Hand-computed cases for the instrument-similarity evaluation metrics (instrsim/SimilarityMetrics).
#include <QtTest>

#include <cmath>

#include "instrsim/SimilarityMetrics.h"

using namespace stemscope;

namespace {
Matrix sym(int n, std::initializer_list<float> upper) // strict upper triangle, row by row
{
    Matrix m(n, n);
    auto it = upper.begin();
    for (int i = 0; i < n; ++i)
        for (int j = i + 1; j < n; ++j) m(i, j) = m(j, i) = *it++;
    return m;
}
bool near(double a, double b, double eps = 1e-6) { return std::abs(a - b) < eps; }
}  // namespace

class SimilarityMetricsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cosine()
    {
        const float a[] = {1, 0}, b[] = {0, 1}, c[] = {-1, 0}, d[] = {3, 4}, e[] = {4, 3}, z[] = {0, 0};
        QVERIFY(near(cosineDistance(a, a, 2), 0));
        QVERIFY(near(cosineDistance(a, b, 2), 1));
        QVERIFY(near(cosineDistance(a, c, 2), 2));
        QVERIFY(near(cosineDistance(d, e, 2), 1 - 24.0 / 25.0));
        QVERIFY(near(cosineDistance(a, z, 2), 1));
        Matrix m(3, 2);
        m(0, 0) = 1;
        m(1, 1) = 1;
        m(2, 0) = -2;
        const Matrix dm = pairwiseCosineDistances(m);
        QVERIFY(near(dm(0, 1), 1) && near(dm(1, 0), 1) && near(dm(0, 2), 2) && near(dm(1, 2), 1) && dm(2, 2) == 0.f);
    }

    void knnVotes()
    {
        // labels 0,0,1,1; d01=.1 d02=.5 d03=.6 d12=.2 d13=.9 d23=.3
        const Matrix d = sym(4, {0.1f, 0.5f, 0.6f, 0.2f, 0.9f, 0.3f});
        const std::vector<int> labels{0, 0, 1, 1};
        // k=1: segment 2's nearest is 1 (label 0): wrong; the others right.
        QCOMPARE(knnPredict(d, labels, 2, 1), 0);
        QVERIFY(near(knnAccuracyFromDistances(d, labels, 1), 0.75));
        // k=2: ties (one vote each) go to the nearer neighbour's label: 0->0, 1->0, 2->0 (wrong), 3->1.
        QCOMPARE(knnPredict(d, labels, 3, 2), 1);
        QVERIFY(near(knnAccuracyFromDistances(d, labels, 2), 0.75));
        // k=3 (all others): the other class always has 2 votes against 1.
        QVERIFY(near(knnAccuracyFromDistances(d, labels, 3), 0.0));
        // k larger than the set: uses everything available.
        QVERIFY(near(knnAccuracyFromDistances(d, labels, 10), 0.0));
    }

    void knnOnEmbeddings()
    {
        // Two tight clusters of directions: perfect with k=1..2 (each cluster has 3 members).
        Matrix e(6, 2);
        const double ang[] = {0, 0.1, 0.2, 1.5, 1.6, 1.7};
        for (int i = 0; i < 6; ++i) {
            e(i, 0) = float(std::cos(ang[i]));
            e(i, 1) = float(std::sin(ang[i]));
        }
        const std::vector<int> labels{0, 0, 0, 1, 1, 1};
        QVERIFY(near(knnAccuracy(e, labels, 1), 1.0));
        QVERIFY(near(knnAccuracy(e, labels, 2), 1.0));
        QVERIFY(near(knnAccuracy(e, labels, 5), 0.0)); // 2 own vs 3 other
    }

    void centroids()
    {
        Matrix e(3, 2);
        e(0, 0) = 1;
        e(1, 1) = 1;
        e(2, 1) = 2;
        const auto c = labelCentroids(e, {0, 0, 1}, 2);
        QVERIFY(near(c[0][0], std::sqrt(0.5)) && near(c[0][1], std::sqrt(0.5)));
        QVERIFY(near(c[1][0], 0) && near(c[1][1], 1));
        const Matrix d = centroidDistanceMatrix(c);
        QVERIFY(near(d(0, 1), 1 - std::sqrt(0.5)) && near(d(1, 0), d(0, 1)) && d(0, 0) == 0.f);
    }

    void correlations()
    {
        QVERIFY(near(pearson({1, 2, 3}, {2, 4, 6}), 1));
        QVERIFY(near(pearson({1, 2, 3}, {3, 2, 1}), -1));
        QVERIFY(near(pearson({1, 2, 3, 4}, {1, 3, 2, 4}), 0.8));
        QVERIFY(near(pearson({1, 1, 1}, {1, 2, 3}), 0)); // constant input: defined as 0
        const auto r = averageRanks({10, 20, 20, 30});
        QVERIFY(near(r[0], 1) && near(r[1], 2.5) && near(r[2], 2.5) && near(r[3], 4));
        QVERIFY(near(spearman({1, 2, 3, 4}, {1, 4, 9, 16}), 1));
        QVERIFY(near(spearman({10, 20, 20, 30}, {1, 2, 3, 4}), 4.5 / std::sqrt(22.5)));
        const Matrix m = sym(3, {1, 2, 3});
        const auto u = upperTriangle(m);
        QCOMPARE(u.size(), size_t(3));
        QVERIFY(u[0] == 1 && u[1] == 2 && u[2] == 3);
    }

    void matrixCorrelations()
    {
        const Matrix a = sym(3, {1, 2, 3}); // d01 d02 d12
        const Matrix b = sym(3, {2, 1, 3});
        // Upper triangles [1,2,3] vs [2,1,3]: mean 2, dx=[-1,0,1], dy=[0,-1,1] -> 1/2.
        QVERIFY(near(upperTrianglePearson(a, b), 0.5));
        QVERIFY(near(upperTrianglePearson(a, a), 1));
        // Rows: 0: [1,2] vs [2,1] -> -1 ; 1: [1,3] vs [2,3] -> 1 ; 2: [2,3] vs [1,3] -> 1.
        QVERIFY(near(meanRowSpearman(a, b), 1.0 / 3.0));
        QVERIFY(near(meanRowSpearman(a, a), 1));
    }

    void mrr()
    {
        const Matrix f = sym(3, {1, 2, 3});
        const Matrix m = sym(3, {2, 1, 3});
        // k=1: q0: focus top 1, mix ranks {2,1} -> 1/2; q1: top 0, rank 1; q2: top 0, rank 1.
        QVERIFY(near(topKMrrInReference(f, m, 1), 2.5 / 3.0));
        // k=2: every pair; q0: 1->1/2, 2->1; q1: 0->1, 2->1/2; q2: 0->1, 1->1/2.
        QVERIFY(near(topKMrrInReference(f, m, 2), 4.5 / 6.0));
        QVERIFY(near(topKMrrInReference(f, f, 3), 1.0 * (1 + 0.5) / 2.0)); // k clipped to 2 others
        QVERIFY(near(topKMrrInReference(f, f, 1), 1.0));
    }

    void meanAndVariance()
    {
        const auto mv = meanVariance({1, 2, 3, 4});
        QVERIFY(near(mv.mean, 2.5) && near(mv.variance, 5.0 / 3.0) && mv.n == 4);
        const auto one = meanVariance({0.7});
        QVERIFY(near(one.mean, 0.7) && one.variance == 0 && one.n == 1);
    }
};

QTEST_APPLESS_MAIN(SimilarityMetricsTest)
#include "tst_similarity_metrics.moc"
