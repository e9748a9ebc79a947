// Separation metrics: BSS Eval SDR against mir_eval (fixture from tests/fixtures/make_bss_fixture.py)
// and SI-SDR against hand-computed values.
#include <QtTest>

#include <cmath>
#include <random>

#include "dsp/MatrixIO.h"
#include "separation/SeparationMetrics.h"

using namespace stemscope;

namespace {
std::vector<float> rowOf(const Matrix& m, int r) { return std::vector<float>(m.row(r), m.row(r) + m.cols); }
}  // namespace

class SeparationMetricsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sdrMatchesMirEval()
    {
        const Matrix ref = readMatrix(STEMSCOPE_TEST_DATA "/bss_ref.npy");
        const Matrix est = readMatrix(STEMSCOPE_TEST_DATA "/bss_est.npy");
        const Matrix expected = readMatrix(STEMSCOPE_TEST_DATA "/bss_sdr.npy");
        QCOMPARE(ref.rows, 3);
        QCOMPARE(expected.cols, 3);
        for (int j = 0; j < ref.rows; ++j) {
            const double sdr = bssEvalSdr(rowOf(ref, j), rowOf(est, j));
            qInfo("source %d: SDR %.4f dB, mir_eval %.4f dB", j, sdr, double(expected(0, j)));
            // Tolerance 0.01 dB: both solve the same 512-tap least-squares problem (float64).
            QVERIFY(std::abs(sdr - expected(0, j)) < 0.01);
        }
    }

    void sdrIgnoresAllowedDistortion()
    {
        // A delayed, filtered copy is "perfect" up to the 512-tap filter: very high SDR...
        std::mt19937 rng(1);
        std::normal_distribution<float> g;
        std::vector<float> s(4000), e(4000, 0.f);
        for (auto& v : s) v = g(rng);
        for (size_t i = 2; i < s.size(); ++i) e[i] = (i >= 3 ? 0.5f * s[i - 3] : 0.f) + 0.25f * s[i - 2];
        // (Only the filter's tail cut off at the end of the estimate, ~3 of 4000 samples, counts as error.)
        const double sdr = bssEvalSdr(s, e);
        qInfo("filtered copy: SDR %.1f dB, SI-SDR %.1f dB", sdr, siSdr(s, e));
        QVERIFY(sdr > 25);
        // ...while SI-SDR, which allows only a gain, sees the filter as error.
        QVERIFY(siSdr(s, e) < 1);
    }

    void siSdrHandValues()
    {
        // e = 2 s + n with n orthogonal to s: alpha = 2, SI-SDR = 10 log10(|2s|^2 / |n|^2).
        const std::vector<float> s{1, 0, -1, 0}, n{0, 1, 0, 1};
        std::vector<float> e(4);
        for (size_t i = 0; i < 4; ++i) e[i] = 2 * s[i] + 0.5f * n[i];
        QVERIFY(std::abs(siSdr(s, e) - 10 * std::log10(8.0 / 0.5)) < 1e-9);
        QVERIFY(std::isinf(siSdr(s, s)));
        QVERIFY(std::isnan(siSdr(std::vector<float>(4, 0.f), e)));
        QVERIFY(std::isnan(bssEvalSdr(std::vector<float>(600, 0.f), std::vector<float>(600, 1.f))));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, siSdr(s, std::vector<float>(3)));
    }

    void medianSkipsUndefined()
    {
        QCOMPARE(medianFinite({3, NAN, 1, 2}), 2.0);
        QCOMPARE(medianFinite({4, 1, INFINITY, 2, 3}), 2.5);
        QVERIFY(std::isnan(medianFinite({NAN})));
    }
};

QTEST_APPLESS_MAIN(SeparationMetricsTest)
#include "tst_separation_metrics.moc"
