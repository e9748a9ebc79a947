#include <QtTest>

#include <cmath>

#include "TestSignals.h"
#include "dsp/Resampler.h"

using namespace stemscope;
using test::toneAmplitude;

class ResamplerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void passbandToneKeepsAmplitude_data()
    {
        QTest::addColumn<double>("inRate");
        QTest::addColumn<double>("outRate");
        QTest::addColumn<double>("freq");
        QTest::newRow("44.1k->22.05k") << 44100.0 << 22050.0 << 1000.0;
        QTest::newRow("48k->22.05k") << 48000.0 << 22050.0 << 3000.0;
        QTest::newRow("8k->22.05k") << 8000.0 << 22050.0 << 440.0;
        QTest::newRow("192k->44.1k") << 192000.0 << 44100.0 << 10000.0;
        QTest::newRow("11025->44.1k") << 11025.0 << 44100.0 << 2000.0;
        QTest::newRow("odd 44101->22.05k") << 44101.0 << 22050.0 << 5000.0;
    }
    void passbandToneKeepsAmplitude()
    {
        QFETCH(double, inRate);
        QFETCH(double, outRate);
        QFETCH(double, freq);
        const auto x = test::sine(freq, inRate, 1.0, 0.5);
        const auto y = resample(x, inRate, outRate);
        QCOMPARE(qint64(y.size()), qint64(std::llround(x.size() * outRate / inRate)));
        // Skip the filter's edge transients.
        std::vector<float> mid(y.begin() + y.size() / 10, y.end() - y.size() / 10);
        const double a = toneAmplitude(mid, freq, outRate);
        QVERIFY2(std::abs(a - 0.5) < 0.005, qPrintable(QString("amplitude %1").arg(a)));
    }

    void downsamplingRejectsAliases()
    {
        // 15 kHz at 44.1 kHz would alias to 7.05 kHz at 22.05 kHz without a proper low-pass.
        const auto x = test::sine(15000.0, 44100.0, 1.0, 0.5);
        const auto y = resample(x, 44100.0, 22050.0);
        std::vector<float> mid(y.begin() + 2000, y.end() - 2000);
        const double alias = toneAmplitude(mid, 22050.0 - 15000.0, 22050.0);
        QVERIFY2(20 * std::log10(alias / 0.5 + 1e-12) < -70.0, qPrintable(QString("alias %1").arg(alias)));
    }

    void identityRateIsExact()
    {
        const auto x = test::sine(440.0, 22050.0, 0.1);
        QCOMPARE(resample(x, 22050.0, 22050.0), x);
    }
};

QTEST_APPLESS_MAIN(ResamplerTest)
#include "tst_resampler.moc"
