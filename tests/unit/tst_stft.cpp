#include <QtTest>

#include <cmath>
#include <complex>
#include <random>

#include "TestSignals.h"
#include "dsp/Stft.h"

using namespace stemscope;

class StftTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<int>("nFft");
        QTest::addColumn<int>("hop");
        QTest::addColumn<int>("length");
        QTest::newRow("2048/512") << 2048 << 512 << 22050;
        QTest::newRow("1024/256 odd length") << 1024 << 256 << 10001;
        QTest::newRow("512/128 shorter than hop multiple") << 512 << 128 << 300;
        QTest::newRow("4096/1024") << 4096 << 1024 << 44100;
    }
    void roundTrip()
    {
        QFETCH(int, nFft);
        QFETCH(int, hop);
        QFETCH(int, length);
        std::mt19937 rng(7);
        std::normal_distribution<float> noise(0.f, 0.2f);
        std::vector<float> x(static_cast<size_t>(length));
        const auto tone = test::fixtureSignal(22050.0, double(length) / 22050.0 + 1.0);
        for (int i = 0; i < length; ++i) x[size_t(i)] = tone[size_t(i)] + noise(rng);
        const StftConfig c{nFft, hop, true};
        const auto spec = stft(x, c);
        QCOMPARE(spec.frames, stftFrameCount(length, c));
        QCOMPARE(spec.bins, nFft / 2 + 1);
        const auto y = istft(spec, c, length);
        QCOMPARE(y.size(), x.size());
        double maxErr = 0;
        for (size_t i = 0; i < x.size(); ++i) maxErr = std::max(maxErr, double(std::abs(y[i] - x[i])));
        QVERIFY2(maxErr < 2e-5, qPrintable(QString("max |x - istft(stft(x))| = %1").arg(maxErr)));
    }

    void powerMatchesDirectDft()
    {
        // Frame 3 of a centred STFT = periodic-Hann-windowed DFT of x[3*hop - nFft/2 ...].
        const int nFft = 256, hop = 64;
        const auto x = test::fixtureSignal(8000.0, 0.2);
        const Matrix p = powerSpectrogram(x, {nFft, hop, true});
        const auto w = hannWindow(nFft);
        const int start = 3 * hop - nFft / 2;
        for (int b : {0, 5, 40, 128}) {
            std::complex<double> acc = 0;
            for (int i = 0; i < nFft; ++i)
                acc += double(w[size_t(i)]) * x[size_t(start + i)] * std::polar(1.0, -2 * M_PI * b * i / nFft);
            QVERIFY(std::abs(p(3, b) - std::norm(acc)) <= 1e-4 * std::norm(acc) + 1e-6);
        }
    }

    void reflectPaddingAtTheStart()
    {
        // Frame 0 is centred on sample 0: x[-i] = x[i] (torch/librosa "reflect").
        const int nFft = 64;
        std::vector<float> x(200);
        for (size_t i = 0; i < x.size(); ++i) x[i] = float(std::sin(0.3 * double(i)) + 0.01 * double(i));
        const Matrix p = powerSpectrogram(x, {nFft, 16, true});
        const auto w = hannWindow(nFft);
        std::complex<double> acc = 0;
        for (int i = 0; i < nFft; ++i) {
            const int j = std::abs(i - nFft / 2);
            acc += double(w[size_t(i)]) * x[size_t(j)] * std::polar(1.0, -2 * M_PI * 3 * i / nFft);
        }
        QVERIFY(std::abs(p(0, 3) - std::norm(acc)) <= 1e-4 * std::norm(acc) + 1e-6);
    }

    void hannWindowShape()
    {
        const auto w = hannWindow(8);
        QCOMPARE(w[0], 0.f);
        QCOMPARE(w[4], 1.f); // periodic: peak at n/2, no trailing zero
        QVERIFY(w[7] > 0.f);
        const auto s = hannWindow(9, false);
        QCOMPARE(s[8], 0.f);
        QCOMPARE(s[4], 1.f);
    }

    void frameCounts()
    {
        QCOMPARE(stftFrameCount(0, {2048, 512, true}), 0);
        QCOMPARE(stftFrameCount(1, {2048, 512, true}), 1);
        QCOMPARE(stftFrameCount(44100, {2048, 512, true}), 1 + 44100 / 512);
        QCOMPARE(stftFrameCount(2047, {2048, 512, false}), 0);
        QCOMPARE(stftFrameCount(2048 + 1024, {2048, 512, false}), 3);
    }
};

QTEST_APPLESS_MAIN(StftTest)
#include "tst_stft.moc"
