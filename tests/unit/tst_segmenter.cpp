#include <QtTest>

#include <cmath>

#include "TestSignals.h"
#include "dsp/Segmenter.h"

using namespace stemscope;

class SegmenterTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void countAndOverlap()
    {
        const double rate = 22050;
        const auto x = test::sine(440.0, rate, 10.0, 0.5); // 10 s
        const auto segs = segmentSignal(x, rate);           // 3 s, hop 1.5 s
        // Starts 0, 1.5, ..., 7.0 s: floor((10 - 3) / 1.5) + 1 = 5 whole segments; the tail is dropped.
        QCOMPARE(segs.size(), size_t(5));
        for (size_t i = 0; i < segs.size(); ++i) {
            QCOMPARE(segs[i].startSample, (long long)(i * 33075));
            QCOMPARE(segs[i].lengthSamples, 66150LL);
            QVERIFY(std::abs(segs[i].startSeconds(rate) - 1.5 * double(i)) < 1e-9);
            // A 0.5-amplitude sine has RMS 0.5/sqrt(2): -9.03 dBFS.
            QVERIFY(std::abs(segs[i].rmsDb - 20 * std::log10(0.5 / std::sqrt(2.0))) < 0.01);
        }
        // 50 % overlap: each segment starts half a segment after the previous one.
        QCOMPARE(segs[1].startSample - segs[0].startSample, segs[0].lengthSamples / 2);

        SegmentConfig noOverlap;
        noOverlap.hopSeconds = 3.0;
        QCOMPARE(segmentSignal(x, rate, noOverlap).size(), size_t(3));
    }

    void silentSegmentDropped()
    {
        const double rate = 8000;
        auto x = test::sine(300.0, rate, 9.0, 0.3);
        std::fill(x.begin() + 3 * 8000, x.begin() + 6 * 8000, 0.f); // seconds 3..6 silent
        const auto segs = segmentSignal(x, rate);
        // Candidates start at 0, 1.5, 3, 4.5, 6 s; only the one at 3 s is entirely silent.
        QCOMPARE(segs.size(), size_t(4));
        for (const auto& s : segs) QVERIFY(s.startSample != 3 * 8000);
        SegmentConfig keep;
        keep.dropSilent = false;
        const auto all = segmentSignal(x, rate, keep);
        QCOMPARE(all.size(), size_t(5));
        QCOMPARE(all[2].rmsDb, -120.0); // digital silence reports the floor
    }

    void thresholdConfigurable()
    {
        const double rate = 8000;
        const auto quiet = test::sine(300.0, rate, 3.0, 0.01 * std::sqrt(2.0)); // RMS 0.01 = -40 dBFS
        QCOMPARE(segmentSignal(quiet, rate).size(), size_t(1));                  // default -60 keeps it
        SegmentConfig strict;
        strict.silenceDb = -35.0;
        QVERIFY(segmentSignal(quiet, rate, strict).empty());
        strict.silenceDb = -45.0;
        QCOMPARE(segmentSignal(quiet, rate, strict).size(), size_t(1));
    }

    void edgeCases()
    {
        QVERIFY(segmentSignal(std::vector<float>(100, 0.5f), 8000).empty()); // shorter than one segment
        QVERIFY(segmentSignal({}, 8000).empty());
        QCOMPARE(segmentSignal(std::vector<float>(24000, 0.5f), 8000).size(), size_t(1)); // exactly one
        SegmentConfig bad;
        bad.hopSeconds = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, segmentSignal(std::vector<float>(10), 8000, bad));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, segmentSignal(std::vector<float>(10), 0));
        QCOMPARE(rmsDb(nullptr, 0), -120.0);
        const float full[4] = {1.f, -1.f, 1.f, -1.f};
        QCOMPARE(rmsDb(full, 4), 0.0);
    }
};

QTEST_APPLESS_MAIN(SegmenterTest)
#include "tst_segmenter.moc"
