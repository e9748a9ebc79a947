// Test-time transposition (TransposedViewsEmbedder): the transposed input, the pooling of the
// views (length-weighted mean of unit rows, re-normalised; mean weight), which models it accepts,
// and the pseudo-mix benchmark's "~views" pipeline names.
#include <QtTest>

#include <cmath>

#include "embedding/TransposedViewsEmbedder.h"
#include "mixfocus/MixPipelines.h"
#include "TestEmbedder.h"

using namespace stemscope;

namespace {

// A constant-Q stand-in whose rows and weights depend on where the energy sits along the bins, so
// each transposition gives another row and weight.
class CqtProbe final : public Embedder {
public:
    std::string modelId() const override { return "cqt-probe"; }
    int dimension() const override { return 3; }
    int segmentFrames() const override { return 4; }
    int featureBands() const override { return 8; }
    EmbedderFeatures features() const override { return EmbedderFeatures::Cqt; }
    Matrix embed(const std::vector<Matrix>& segments) const override
    {
        std::vector<float> w;
        return embedWeighted(segments, w);
    }
    Matrix embedWeighted(const std::vector<Matrix>& segments, std::vector<float>& weights) const override
    {
        ++calls;
        Matrix out(int(segments.size()), 3);
        weights.clear();
        for (size_t s = 0; s < segments.size(); ++s) {
            double low = 0, high = 0, centre = 0, total = 0;
            const Matrix& m = segments[s];
            for (int r = 0; r < m.rows; ++r)
                for (int b = 0; b < m.cols; ++b) {
                    const double e = m(r, b) + 100.0;  // energy above the floor
                    (b < m.cols / 2 ? low : high) += e;
                    centre += e * b;
                    total += e;
                }
            const double v[3] = {low + 1, high + 1, centre / std::max(total, 1.0)};
            const double n = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            for (int c = 0; c < 3; ++c) out(int(s), c) = float(v[c] / n);
            weights.push_back(float(1.0 + centre / std::max(total, 1.0)));
        }
        return out;
    }
    mutable int calls = 0;
};

Matrix segment(int seed)
{
    Matrix m(4, 8, -100.f);
    for (int r = 0; r < 4; ++r) m(r, (seed + r) % 8) = -20.f - float(r);
    m(0, 7) = -10.f;
    return m;
}

}  // namespace

class TestTransposedViews : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void transposeMovesBinsAndFillsTheFloor()
    {
        const Matrix m = segment(2);
        const Matrix up = TransposedViewsEmbedder::transpose(m, 1), down = TransposedViewsEmbedder::transpose(m, -2);
        for (int r = 0; r < m.rows; ++r) {
            QCOMPARE(up(r, 0), -100.f);
            for (int b = 1; b < m.cols; ++b) QCOMPARE(up(r, b), m(r, b - 1));
            for (int b = 0; b < m.cols - 2; ++b) QCOMPARE(down(r, b), m(r, b + 2));
            QCOMPARE(down(r, 6), -100.f);
            QCOMPARE(down(r, 7), -100.f);
        }
    }

    void poolsTheViewsOfEachSegment()
    {
        auto probe = std::make_shared<CqtProbe>();
        const TransposedViewsEmbedder views(probe, {-1, 0, 2});
        const std::vector<Matrix> segs{segment(0), segment(3), segment(5)};
        std::vector<float> weights;
        const Matrix rows = views.embedWeighted(segs, weights);
        QCOMPARE(probe->calls, 1);  // every view in one pass
        QCOMPARE(rows.rows, 3);
        QCOMPARE(int(weights.size()), 3);
        for (int i = 0; i < 3; ++i) {
            // Each view on its own, one segment at a time.
            double sum[3] = {0, 0, 0}, weight = 0;
            for (int s : {-1, 0, 2}) {
                std::vector<float> w;
                const Matrix e = probe->embedWeighted({TransposedViewsEmbedder::transpose(segs[size_t(i)], s)}, w);
                for (int c = 0; c < 3; ++c) sum[c] += w[0] * e(0, c);
                weight += w[0] / 3.0;
            }
            const double n = std::sqrt(sum[0] * sum[0] + sum[1] * sum[1] + sum[2] * sum[2]);
            for (int c = 0; c < 3; ++c) QVERIFY(std::abs(rows(i, c) - sum[c] / n) < 1e-5);
            QVERIFY(std::abs(weights[size_t(i)] - weight) < 1e-5);
        }
        // The views differ (else the test proves nothing): the pooled row is not the plain one.
        std::vector<float> plainWeights;
        const Matrix plain = probe->embedWeighted(segs, plainWeights);
        double diff = 0;
        for (int c = 0; c < 3; ++c) diff += std::abs(plain(0, c) - rows(0, c));
        QVERIFY(diff > 1e-3);
    }

    void oneViewIsTheModelItself()
    {
        auto probe = std::make_shared<CqtProbe>();
        const TransposedViewsEmbedder views(probe, {0});
        const std::vector<Matrix> segs{segment(1), segment(4)};
        std::vector<float> a, b;
        const Matrix pooled = views.embedWeighted(segs, a), plain = probe->embedWeighted(segs, b);
        QCOMPARE(pooled.rows, plain.rows);
        for (size_t i = 0; i < pooled.data.size(); ++i) QVERIFY(std::abs(pooled.data[i] - plain.data[i]) < 1e-6);
        for (size_t i = 0; i < a.size(); ++i) QVERIFY(std::abs(a[i] - b[i]) < 1e-6);
        QCOMPARE(QString::fromStdString(TransposedViewsEmbedder(probe, {-1, 0, 1}).modelId()),
                 QString("cqt-probe:views-1,0,1"));
    }

    void refusesLogMelModelsAndNoShifts()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 TransposedViewsEmbedder(std::make_shared<test::TestEmbedder>(), {-1, 0, 1}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TransposedViewsEmbedder(std::make_shared<CqtProbe>(), {}));
    }

    void pipelineNamesAreChecked()
    {
        // A log-mel pipeline cannot be transposed: skipped with a reason, not silently run.
        std::vector<std::string> why;
        const auto none = standardMixPipelines("/nonexistent", Focus::Guitar, {"mel-stats~views"}, &why);
        QVERIFY(none.empty());
        QCOMPARE(int(why.size()), 1);
        QVERIFY(QString::fromStdString(why.front()).contains("constant-Q"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 standardMixPipelines("/nonexistent", Focus::Guitar, {"mel-stats~views9"}));
    }
};

QTEST_APPLESS_MAIN(TestTransposedViews)
#include "tst_transposed_views.moc"
