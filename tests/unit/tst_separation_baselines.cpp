// The separation report's reference rows: the oracle ratio mask (estimates add up to the mixture;
// nearly perfect on sources that do not overlap in time-frequency) and the HPSS percussive part
// (hears clicks, not a held tone).
#include <QtTest>

#include <cmath>

#include "separation/SeparationBaselines.h"
#include "separation/SeparationMetrics.h"

using namespace stemscope;

namespace {
constexpr double kRate = 22050;

std::vector<float> tone(double hz, double seconds, double amp)
{
    std::vector<float> x(size_t(seconds * kRate));
    for (size_t i = 0; i < x.size(); ++i) x[i] = float(amp * std::sin(2 * M_PI * hz * double(i) / kRate));
    return x;
}

std::vector<float> clicks(double seconds, double every)
{
    std::vector<float> x(size_t(seconds * kRate), 0.f);
    for (double t = 0.05; t < seconds; t += every)
        for (int k = 0; k < 40 && size_t(t * kRate) + size_t(k) < x.size(); ++k)
            x[size_t(t * kRate) + size_t(k)] = float(0.8 * std::exp(-k / 8.0) * ((k % 2) ? 1 : -1));
    return x;
}
}  // namespace

class SeparationBaselinesTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void oracleMaskIsTheCeilingOnDisjointSources()
    {
        const std::vector<std::vector<float>> stems{tone(110, 3, 0.4), tone(2500, 3, 0.2)};
        const auto est = oracleRatioMask(stems);
        QCOMPARE(int(est.size()), 2);
        for (size_t k = 0; k < 2; ++k) {
            QCOMPARE(est[k].size(), stems[k].size());
            const double sdr = bssEvalSdr(stems[k], est[k]);
            QVERIFY2(sdr > 25, qPrintable(QString::number(sdr)));
        }
        // The masks sum to one: the estimates add up to the mixture.
        double err = 0;
        for (size_t i = 0; i < est[0].size(); ++i) err = std::max(err, double(std::abs(est[0][i] + est[1][i] - stems[0][i] - stems[1][i])));
        QVERIFY2(err < 1e-4, qPrintable(QString::number(err)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, oracleRatioMask({tone(110, 1, 0.1), tone(110, 2, 0.1)}));
    }

    void binaryMaskGivesEachBinToItsLoudestSource()
    {
        // Disjoint tones: each keeps its own bins, so the binary mask separates them too.
        const std::vector<std::vector<float>> stems{tone(110, 3, 0.4), tone(2500, 3, 0.2)};
        const auto est = oracleBinaryMask(stems);
        QCOMPARE(int(est.size()), 2);
        for (size_t k = 0; k < 2; ++k) QVERIFY(bssEvalSdr(stems[k], est[k]) > 15);
        // The masks partition every bin: the estimates still add up to the mixture.
        double err = 0;
        for (size_t i = 0; i < est[0].size(); ++i) err = std::max(err, double(std::abs(est[0][i] + est[1][i] - stems[0][i] - stems[1][i])));
        QVERIFY2(err < 1e-4, qPrintable(QString::number(err)));
        // A quiet tone on the same frequency as a loud one owns no bin: nothing of it is glimpsed,
        // where the ratio mask still hands it its share.
        const std::vector<std::vector<float>> same{tone(440, 2, 0.05), tone(440, 2, 0.5)};
        const auto glimpsed = oracleBinaryMask(same);
        const auto shared = oracleRatioMask(same);
        auto rms = [](const std::vector<float>& x) {
            double e = 0;
            for (float v : x) e += double(v) * v;
            return std::sqrt(e / double(x.size()));
        };
        QVERIFY2(rms(glimpsed[0]) < 1e-3, qPrintable(QString::number(rms(glimpsed[0]))));
        QVERIFY(rms(shared[0]) > 0.02);
    }

    void percussivePartHearsTheClicks()
    {
        const auto drums = clicks(3, 0.25), pad = tone(330, 3, 0.3);
        std::vector<float> mix(drums.size());
        for (size_t i = 0; i < mix.size(); ++i) mix[i] = drums[i] + pad[i];
        const auto p = hpssPercussive(mix);
        QCOMPARE(p.size(), mix.size());
        const double fromMix = bssEvalSdr(drums, mix), fromHpss = bssEvalSdr(drums, p);
        qInfo("drums SDR: mix %.1f dB, HPSS percussive %.1f dB", fromMix, fromHpss);
        QVERIFY(fromHpss > fromMix + 6);
    }
};

QTEST_APPLESS_MAIN(SeparationBaselinesTest)
#include "tst_separation_baselines.moc"
