// Separator training augmentations (WaveAugment.h, juce_dsp): each does what it says, and the
// mixture of the augmented sources is still exactly their sum (the targets stay exact).
#include <QtTest>

#include <cmath>
#include <random>

#include "separation/WaveAugment.h"

using namespace stemscope;

namespace {
constexpr double kRate = 22050;
constexpr int kN = 22050;

std::vector<std::vector<float>> sources()
{
    std::mt19937 rng(3);
    std::normal_distribution<float> g(0.f, 0.1f);
    std::vector<std::vector<float>> s(3, std::vector<float>(kN));
    for (int i = 0; i < kN; ++i) {
        const double t = i / kRate;
        s[0][size_t(i)] = g(rng) * float(std::fmod(t, 0.25) < 0.05);          // "drums": noise bursts
        s[1][size_t(i)] = 0.3f * float(std::sin(2 * M_PI * 110 * t));         // "bass"
        s[2][size_t(i)] = 0.2f * float(std::sin(2 * M_PI * 440 * t) + 0.3 * std::sin(2 * M_PI * 880 * t));  // "guitar"
    }
    return s;
}

std::vector<float*> pointers(std::vector<std::vector<float>>& s)
{
    std::vector<float*> p;
    for (auto& x : s) p.push_back(x.data());
    return p;
}

double rms(const std::vector<float>& x)
{
    double e = 0;
    for (float v : x) e += double(v) * v;
    return std::sqrt(e / double(x.size()));
}

double peak(const std::vector<float>& x)
{
    double m = 0;
    for (float v : x) m = std::max(m, double(std::abs(v)));
    return m;
}

const std::vector<std::string> kNames{"drums", "bass", "guitar"};
}  // namespace

class WaveAugmentTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void busCompressionScalesEverySourceAlike()
    {
        auto s = sources();
        const auto before = s;
        WaveAugmentConfig c;
        c.eqProb = c.reverbProb = c.overdriveProb = 0;
        c.compressProb = 1;
        std::mt19937_64 rng(1);
        augmentSources(pointers(s), kNames, kN, kRate, c, rng);
        int compared = 0, reduced = 0;
        for (int i = 0; i < kN; i += 7) {
            // Where both bass and guitar are clearly non-zero, their gains must be equal.
            const double a = before[1][size_t(i)], b = before[2][size_t(i)];
            if (std::abs(a) < 1e-2 || std::abs(b) < 1e-2) continue;
            const double ga = s[1][size_t(i)] / a, gb = s[2][size_t(i)] / b;
            QVERIFY2(std::abs(ga - gb) < 1e-4, qPrintable(QString("sample %1: %2 vs %3").arg(i).arg(ga).arg(gb)));
            QVERIFY(ga <= 1.0 + 1e-6);
            reduced += ga < 0.99;
            ++compared;
        }
        QVERIFY(compared > 100);
        QVERIFY(reduced > compared / 4);  // the threshold sits under the excerpt's RMS: it compresses
    }

    void overdriveKeepsTheLevelAndSquashesPeaks()
    {
        auto s = sources();
        const auto before = s;
        WaveAugmentConfig c;
        c.eqProb = c.reverbProb = c.compressProb = 0;
        c.overdriveProb = 1;
        std::mt19937_64 rng(2);
        augmentSources(pointers(s), kNames, kN, kRate, c, rng);
        QCOMPARE(s[0], before[0]);  // only the guitar is overdriven
        QCOMPARE(s[1], before[1]);
        QVERIFY(std::abs(rms(s[2]) / rms(before[2]) - 1.0) < 1e-3);
        QVERIFY(peak(s[2]) / rms(s[2]) < 0.95 * peak(before[2]) / rms(before[2]));  // lower crest factor
    }

    void eqAndReverbChangeEverySourceAndStayFinite()
    {
        auto s = sources();
        const auto before = s;
        WaveAugmentConfig c;
        c.compressProb = c.overdriveProb = 0;
        c.eqProb = c.reverbProb = 1;
        std::mt19937_64 rng(3);
        augmentSources(pointers(s), kNames, kN, kRate, c, rng);
        for (size_t k = 0; k < s.size(); ++k) {
            for (float v : s[k]) QVERIFY(std::isfinite(v));
            double diff = 0;
            for (int i = 0; i < kN; ++i) diff += std::abs(double(s[k][size_t(i)]) - before[k][size_t(i)]);
            QVERIFY(diff / kN > 1e-4);
            QVERIFY(rms(s[k]) < 4 * rms(before[k]) && rms(s[k]) > 0.1 * rms(before[k]));
        }
        // Reverb leaves a tail: the drums' gaps between bursts are no longer silent.
        double gap = 0;
        for (int i = int(0.15 * kRate); i < int(0.24 * kRate); ++i) gap += std::abs(s[0][size_t(i)]);
        QVERIFY(gap > 0);
    }

    void lowSampleRatesStayStable()
    {
        // Corner frequencies drawn for 22 kHz would sit past Nyquist at 8 kHz (an unstable biquad).
        auto s = sources();
        WaveAugmentConfig c;
        c.eqProb = c.reverbProb = c.overdriveProb = c.compressProb = 1;
        for (int seed = 0; seed < 8; ++seed) {
            std::mt19937_64 rng{uint64_t(seed)};
            augmentSources(pointers(s), kNames, kN, 8000.0, c, rng);
            for (const auto& x : s)
                for (float v : x) QVERIFY(std::isfinite(v));
        }
    }

    void sameSeedSameResult()
    {
        auto a = sources(), b = sources();
        WaveAugmentConfig c;
        c.eqProb = c.reverbProb = c.overdriveProb = c.compressProb = 1;
        std::mt19937_64 r1(9), r2(9);
        augmentSources(pointers(a), kNames, kN, kRate, c, r1);
        augmentSources(pointers(b), kNames, kN, kRate, c, r2);
        QCOMPARE(a, b);
    }
};

QTEST_APPLESS_MAIN(WaveAugmentTest)
#include "tst_wave_augment.moc"
