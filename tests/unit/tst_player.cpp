// Playback facade on a machine without a sound card (CI, containers): every call must fail fast
// with a clear "no audio output device" error, and nothing may crash or hang.
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "audio/AudioDecoder.h"
#include "audio/Player.h"

using namespace stemscope;

class TestPlayer : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string wav_;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        wav_ = dir_.filePath("tone.wav").toStdString();
        std::vector<float> s(22050 * 5);
        for (size_t i = 0; i < s.size(); ++i) s[i] = 0.2f * float(std::sin(2 * M_PI * 440.0 * double(i) / 22050.0));
        writeMonoAudio(wav_, s, 22050);
    }

    void badInputIsReportedBeforeTheDevice()
    {
        auto p = createPlayer();
        auto r = p->playFile(dir_.filePath("missing.wav").toStdString());
        QVERIFY(!r.ok);
        QVERIFY2(r.error.find("not found") != std::string::npos, r.error.c_str());
        const std::string junk = dir_.filePath("junk.wav").toStdString();
        QFile f(QString::fromStdString(junk));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("definitely not audio");
        f.close();
        r = p->playSegment(junk, 0.0);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.find("not a readable audio file") != std::string::npos, r.error.c_str());
        r = p->playSegment(wav_, 10.0); // starts past the end (5 s file)
        QVERIFY(!r.ok);
        r = p->playSegment(wav_, 0.0, -1.0);
        QVERIFY(!r.ok);
        QVERIFY(!p->seek(1.0).ok); // nothing loaded
        QVERIFY(!p->isPlaying());
    }

    void noDeviceFailsFastWithClearError()
    {
        QElapsedTimer t;
        t.start();
        auto p = createPlayer();
        const auto probe = p->checkOutput();
        if (probe.ok) QSKIP(qPrintable("this machine has an audio output device: " + QString::fromStdString(p->deviceName())));
        QVERIFY2(probe.error.find(kNoAudioDeviceError) == 0, probe.error.c_str());
        for (int i = 0; i < 3; ++i) { // repeated attempts stay fast and consistent
            auto r = p->playFile(wav_);
            QVERIFY(!r.ok);
            QVERIFY2(r.error.find(kNoAudioDeviceError) == 0, r.error.c_str());
            r = p->playSegment(wav_, 1.5, 3.0);
            QVERIFY(!r.ok);
            QVERIFY2(r.error.find(kNoAudioDeviceError) == 0, r.error.c_str());
        }
        p->stop();
        p->stop();
        QVERIFY(!p->isPlaying());
        QCOMPARE(p->positionSeconds(), 0.0);
        QCOMPARE(p->deviceName(), std::string());
        p.reset(); // destruction without a device must not block
        QVERIFY2(t.elapsed() < 15000, qPrintable(QString::number(t.elapsed())));
    }

    void playsSegmentWhenADeviceExists()
    {
        auto p = createPlayer();
        if (!p->checkOutput().ok) QSKIP("no audio output device here");
        auto r = p->playSegment(wav_, 1.0, 3.0);
        QVERIFY2(r.ok, r.error.c_str());
        QVERIFY(p->isPlaying());
        QCOMPARE(p->lengthSeconds(), 3.0);
        QVERIFY(p->seek(2.0).ok);
        p->stop();
        QVERIFY(!p->isPlaying());
    }
};

QTEST_APPLESS_MAIN(TestPlayer)
#include "tst_player.moc"
