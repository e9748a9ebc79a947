#include <QtTest>

#include <cmath>

#include "TestSignals.h"
#include "dsp/MatrixIO.h"
#include "dsp/MelSpectrogram.h"

using namespace stemscope;

namespace {
// Power-mel vs torchaudio.transforms.MelSpectrogram (tests/data/mel_ref.npy, see
// tests/fixtures/make_fixtures.py): max relative error on power over every (frame, band) within
// kRangeDb of the fixture's maximum. Stated in docs/dsp.md. Measured: 2.9e-4 (the reference's own
// float32 STFT and float32 filterbank dominate: 3e-5 above -20 dB, 1.6e-4 above -60 dB).
constexpr double kRelTolerance = 5e-4;
constexpr double kRangeDb = 80.0;
}  // namespace

class MelSpectrogramTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesTorchaudio()
    {
        const Matrix ref = readMatrix(STEMSCOPE_TEST_DATA "/mel_ref.npy");
        MelConfig cfg; // 22050 Hz, nFft 2048, hop 512, 128 bands, Slaney
        cfg.toDb = false;
        const MelSpectrogram mel(cfg);
        const auto x = test::fixtureSignal(22050.0, 2.0);
        const Matrix got = mel.compute(x);
        QCOMPARE(got.rows, ref.rows);
        QCOMPARE(got.cols, ref.cols);
        QCOMPARE(got.rows, 1 + int(x.size()) / 512);
        float top = 0;
        for (float v : ref.data) top = std::max(top, v);
        const double floor = top * std::pow(10.0, -kRangeDb / 10.0);
        double maxRel = 0;
        int compared = 0;
        for (size_t i = 0; i < ref.data.size(); ++i) {
            if (ref.data[i] < floor) continue;
            maxRel = std::max(maxRel, std::abs(double(got.data[i]) - ref.data[i]) / ref.data[i]);
            ++compared;
        }
        qInfo("mel vs torchaudio: max rel err %.3g over %d of %d cells above -%g dB", maxRel, compared,
              int(ref.data.size()), kRangeDb);
        QVERIFY(compared > int(ref.data.size()) / 4); // tones + chirp: a sparse spectrogram
        QVERIFY2(maxRel < kRelTolerance, qPrintable(QString("max rel err %1").arg(maxRel)));
    }

    void logIsTenLog10WithFloor()
    {
        MelConfig p;
        p.toDb = false;
        const auto x = test::fixtureSignal(22050.0, 0.5);
        const Matrix power = MelSpectrogram(p).compute(x), db = MelSpectrogram().compute(x);
        for (size_t i = 0; i < power.data.size(); ++i)
            QVERIFY(std::abs(db.data[i] - 10.0 * std::log10(std::max(double(power.data[i]), 1e-10))) < 1e-3);
        const Matrix silent = MelSpectrogram().compute(std::vector<float>(22050, 0.f));
        for (float v : silent.data) QCOMPARE(v, -100.f);
    }

    void slaneyScale()
    {
        QCOMPARE(hzToMelSlaney(0.0), 0.0);
        QVERIFY(std::abs(hzToMelSlaney(1000.0) - 15.0) < 1e-12); // linear part: 3 mels per 200 Hz
        QVERIFY(std::abs(hzToMelSlaney(200.0) - 3.0) < 1e-12);
        QVERIFY(std::abs(hzToMelSlaney(6400.0) - 42.0) < 1e-9);    // log part: 27 mels per factor 6.4
        for (double hz : {10.0, 500.0, 999.0, 1000.0, 1500.0, 8000.0, 11025.0})
            QVERIFY(std::abs(melToHzSlaney(hzToMelSlaney(hz)) - hz) < 1e-9 * std::max(1.0, hz));
    }

    void filterbankProperties()
    {
        const double sr = 22050;
        const int nFft = 2048, nMels = 128;
        const Matrix fb = slaneyMelFilterbank(sr, nFft, nMels, 0.0, sr / 2);
        QCOMPARE(fb.rows, nFft / 2 + 1);
        QCOMPARE(fb.cols, nMels);
        const double binHz = (sr / 2) / (nFft / 2);
        const double mMax = hzToMelSlaney(sr / 2);
        int prevPeak = -1;
        for (int m = 0; m < nMels; ++m) {
            const double lo = melToHzSlaney(mMax * m / (nMels + 1)), mid = melToHzSlaney(mMax * (m + 1) / (nMels + 1)),
                         hi = melToHzSlaney(mMax * (m + 2) / (nMels + 1));
            double area = 0, peak = 0;
            int peakBin = -1;
            for (int b = 0; b < fb.rows; ++b) {
                const float w = fb(b, m);
                QVERIFY(w >= 0.f);
                const double hz = b * binHz;
                if (hz <= lo || hz >= hi) QCOMPARE(w, 0.f); // support is the open interval (lo, hi)
                area += w * binHz;
                if (w > peak) { peak = w; peakBin = b; }
            }
            QVERIFY2(peakBin >= 0, qPrintable(QString("band %1 is empty").arg(m)));
            // The peak sits at the FFT bin nearest the band centre and never exceeds 2/(hi-lo).
            QVERIFY(std::abs(peakBin * binHz - mid) <= binHz);
            QVERIFY(peak <= 2.0 / (hi - lo) * (1 + 1e-6));
            QVERIFY(peakBin >= prevPeak);
            prevPeak = peakBin;
            // Slaney normalisation: unit area in Hz (up to the bin-grid Riemann sum for wide bands).
            if (hi - lo > 20 * binHz) QVERIFY2(std::abs(area - 1.0) < 0.01, qPrintable(QString("area %1").arg(area)));
        }
        // Adjacent triangles meet: between consecutive centres the two weights sum to a smooth ramp
        // (every bin from the first centre to the last is covered by some band).
        for (int b = int(std::ceil(melToHzSlaney(mMax / (nMels + 1)) / binHz));
             b * binHz < melToHzSlaney(mMax * nMels / (nMels + 1)); ++b) {
            double s = 0;
            for (int m = 0; m < nMels; ++m) s += fb(b, m);
            QVERIFY(s > 0);
        }
    }

    void sineLandsInItsBand()
    {
        const MelSpectrogram mel;
        for (double f : {200.0, 1000.0, 4000.0}) {
            const Matrix m = mel.compute(test::sine(f, 22050.0, 1.0, 0.5));
            const int frame = m.rows / 2, target = int(std::lround(hzToMelSlaney(f) / (hzToMelSlaney(11025.0) / 129)) - 1);
            int best = 0;
            for (int k = 1; k < m.cols; ++k)
                if (m(frame, k) > m(frame, best)) best = k;
            QVERIFY2(std::abs(best - target) <= 1, qPrintable(QString("%1 Hz -> band %2, expected ~%3").arg(f).arg(best).arg(target)));
        }
    }

    void frameCount()
    {
        const MelSpectrogram mel;
        QCOMPARE(mel.compute(std::vector<float>(1000, 0.1f)).rows, 1 + 1000 / 512);
        QCOMPARE(mel.compute(std::vector<float>(22050 * 3, 0.1f)).rows, 1 + 22050 * 3 / 512);
        QCOMPARE(mel.framesFor(3.0), int(std::lround(3.0 * 22050 / 512)));
        QCOMPARE(mel.compute({}).rows, 0);
    }
};

QTEST_APPLESS_MAIN(MelSpectrogramTest)
#include "tst_melspectrogram.moc"
