#include <QtTest>

#include <cmath>
#include <random>

#include "index/ExactIndex.h"
#include "index/HnswIndex.h"
#include "index/NeighbourSearch.h"
#include "util/DotProducts.h"

using namespace stemscope;

namespace {
Matrix randomUnit(int n, int d, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> g;
    Matrix m(n, d);
    for (auto& v : m.data) v = g(rng);
    normaliseRows(m);
    return m;
}
}  // namespace

class NeighbourIndexTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void exactMatchesNaiveAndExcludes()
    {
        const Matrix data = randomUnit(700, 24, 1);
        ExactIndex idx;
        idx.build(data);
        const Matrix q = randomUnit(9, 24, 2);
        const auto batch = idx.searchBatch(q, 5, [](int row) { return row % 2 == 0; });
        for (int i = 0; i < q.rows; ++i) {
            std::vector<std::pair<float, int>> all;
            for (int r = 1; r < data.rows; r += 2) {
                float dot = 0;
                for (int j = 0; j < 24; ++j) dot += q(i, j) * data(r, j);
                all.push_back({1.f - dot, r});
            }
            std::sort(all.begin(), all.end());
            QCOMPARE(int(batch[size_t(i)].size()), 5);
            for (int k = 0; k < 5; ++k) {
                QCOMPARE(batch[size_t(i)][size_t(k)].row, all[size_t(k)].second);
                QVERIFY(std::abs(batch[size_t(i)][size_t(k)].distance - all[size_t(k)].first) < 1e-5f);
            }
        }
        // A row's nearest neighbour is itself at distance 0.
        const auto self = idx.search(data.row(42), 1);
        QCOMPARE(self.front().row, 42);
        QVERIFY(std::abs(self.front().distance) < 1e-5f);
    }

    void dotProductKernelsAgree()
    {
        // Odd width (vector body + scalar tail); the four-query kernel gives the single-query values.
        const Matrix rows = randomUnit(37, 29, 5), q = randomUnit(4, 29, 6);
        const float* qs[4] = {q.row(0), q.row(1), q.row(2), q.row(3)};
        std::vector<float> four(4 * 37), one(37);
        dotRows4(qs, rows.row(0), rows.rows, rows.cols, four.data(), 37);
        for (int i = 0; i < 4; ++i) {
            dotRows(q.row(i), rows.row(0), rows.rows, rows.cols, one.data());
            for (int r = 0; r < rows.rows; ++r) {
                double ref = 0;
                for (int j = 0; j < rows.cols; ++j)
                    ref += double(q(i, j)) * rows(r, j);
                QCOMPARE(four[size_t(i) * 37 + size_t(r)], one[size_t(r)]);
                QVERIFY(std::abs(one[size_t(r)] - ref) < 1e-5);
            }
        }
    }

    void singleAndBatchSearchAgreeAboveTheSplit()
    {
        // Above 65 536 rows one query is scanned by two threads; the result must not change.
        const Matrix data = randomUnit(70001, 12, 7), q = randomUnit(6, 12, 8);
        ExactIndex idx;
        idx.build(data);
        const auto batch = idx.searchBatch(q, 7);
        for (int i = 0; i < q.rows; ++i) {
            const auto one = idx.search(q.row(i), 7);
            QCOMPARE(one.size(), batch[size_t(i)].size());
            for (size_t k = 0; k < one.size(); ++k) {
                QCOMPARE(one[k].row, batch[size_t(i)][k].row);
                QCOMPARE(one[k].distance, batch[size_t(i)][k].distance);
            }
            for (size_t k = 1; k < one.size(); ++k)
                QVERIFY(one[k - 1].distance <= one[k].distance);
        }
    }

    void hnswRecallAgainstExact()
    {
        const Matrix data = randomUnit(5000, 32, 3);
        const Matrix q = randomUnit(100, 32, 4);
        ExactIndex exact;
        exact.build(data);
        HnswIndex approx;
        approx.build(data);
        const auto ex = exact.searchBatch(q, 10);
        const auto ap = approx.searchBatch(q, 10);
        const double recall = recallAtK(ex, ap);
        QVERIFY2(recall > 0.9, qPrintable(QString("recall@10 %1").arg(recall)));
        // Exclusion still yields k results.
        const auto filtered = approx.search(q.row(0), 10, [](int row) { return row < 2500; });
        QCOMPARE(int(filtered.size()), 10);
        for (const auto& n : filtered) QVERIFY(n.row >= 2500);
    }

    void hnswBuildCanBeAbandoned()
    {
        const Matrix data = randomUnit(3000, 16, 5);
        std::atomic<bool> stop{true};
        IndexOptions o;
        o.cancel = &stop;
        HnswIndex cancelled(o);
        QVERIFY_THROWS_EXCEPTION(IndexBuildCancelled, cancelled.build(data));
        QVERIFY(cancelled.search(data.row(0), 5).empty());  // nothing half-built to query
        stop = false;
        HnswIndex built(o);
        built.build(data);
        QCOMPARE(built.search(data.row(7), 1).front().row, 7);
    }

    void thresholdPicksTheIndex()
    {
        IndexOptions o;
        o.approximateAbove = 100;
        QCOMPARE(makeIndex(100, o)->kind(), std::string("exact"));
        QCOMPARE(makeIndex(101, o)->kind(), std::string("hnsw"));
    }

    void trackAndSegmentQueriesExcludeTheQueryTrack()
    {
        FocusEmbeddings f;
        const Matrix seg = randomUnit(40, 8, 5);
        f.segments = seg;
        f.centroids = Matrix(10, 8);
        for (int t = 0; t < 10; ++t) {
            f.trackIds.push_back(100 + t);
            for (int s = 0; s < 4; ++s) {
                f.segmentTrack.push_back(100 + t);
                f.segmentStart.push_back(1.5 * s);
                for (int j = 0; j < 8; ++j) f.centroids(t, j) += seg(t * 4 + s, j);
            }
        }
        NeighbourSearch search(f);
        const auto tracks = search.similarTracks(103, 20);
        QCOMPARE(int(tracks.size()), 9);
        for (size_t i = 0; i < tracks.size(); ++i) {
            QVERIFY(tracks[i].trackId != 103);
            if (i) QVERIFY(tracks[i].distance >= tracks[i - 1].distance);
        }
        const auto segs = search.similarSegments(103, 3.1, 5);
        QCOMPARE(int(segs.size()), 5);
        for (const auto& s : segs) QVERIFY(s.trackId != 103);
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, search.similarTracks(999, 3));
    }

    void hubnessCorrectionDemotesAHub()
    {
        // Unit vectors at these angles: H sits in a tight cluster (C, E), so it is near everything;
        // B is the query's own neighbourhood. Plain cosine puts H first, the correction B.
        const std::vector<std::pair<int64_t, double>> at{{1, 25}, {2, 52}, {3, 0}, {4, -10}, {5, -5}, {6, 75}};
        FocusEmbeddings f;
        f.centroids = Matrix(int(at.size()), 2);
        for (size_t i = 0; i < at.size(); ++i) {
            f.trackIds.push_back(at[i].first);
            f.centroids(int(i), 0) = float(std::cos(at[i].second * M_PI / 180));
            f.centroids(int(i), 1) = float(std::sin(at[i].second * M_PI / 180));
        }
        const NeighbourSearch plain(f, {}, TrackRanking{0});
        const auto p = plain.similarTracks(1, 5);
        QCOMPARE(p.front().trackId, int64_t(3));
        for (const auto& n : p) QCOMPARE(n.distance, n.cosineDistance);

        const NeighbourSearch corrected(f, {}, TrackRanking{2});
        const auto c = corrected.similarTracks(1, 5);
        QCOMPARE(int(c.size()), 5);
        QCOMPARE(c.front().trackId, int64_t(2));
        // d(Q, B) - (m(Q) + m(B)) / 2 with m the mean cosine distance to the 2 nearest others,
        // worked by hand: m(Q) = (d(Q,H) + d(Q,B)) / 2, m(B) = (d(B,Q) + d(B,F)) / 2.
        auto d = [](double a, double b) { return 1.0 - std::cos((a - b) * M_PI / 180); };
        const double mQ = (d(25, 0) + d(25, 52)) / 2, mB = (d(52, 25) + d(52, 75)) / 2;
        QVERIFY(std::abs(c.front().distance - (d(25, 52) - (mQ + mB) / 2)) < 1e-5);
        QVERIFY(std::abs(c.front().cosineDistance - d(25, 52)) < 1e-5);
        for (size_t i = 1; i < c.size(); ++i) QVERIFY(c[i].distance >= c[i - 1].distance);
        // Asked for fewer than the pool: the same head.
        QCOMPARE(corrected.similarTracks(1, 1).front().trackId, int64_t(2));
    }
};

QTEST_APPLESS_MAIN(NeighbourIndexTest)
#include "tst_neighbour_index.moc"
