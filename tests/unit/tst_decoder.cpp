#include <QtTest>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cmath>
#include <complex>
#include <fstream>
#include <limits>
#include <random>
#include <unistd.h>

#include "LibraryFixtures.h"
#include "TestSignals.h"
#include "audio/AudioDecoder.h"
#include "audio/AudioError.h"
#include "audio/StreamIntegrity.h"
#include "dsp/Resampler.h"

using namespace stemscope;
using test::toneAmplitude;

namespace {

std::vector<float> middle(const std::vector<float>& x, double fraction = 0.1)
{
    const size_t cut = size_t(double(x.size()) * fraction);
    return {x.begin() + long(cut), x.end() - long(cut)};
}

void writeBytes(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

std::string readBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void truncateFile(const std::string& path, double keepFraction)
{
    const auto bytes = readBytes(path);
    writeBytes(path, bytes.substr(0, size_t(double(bytes.size()) * keepFraction)));
}

// Minimal MPEG-1 Layer III stream: `frames` 128 kb/s 44.1 kHz stereo frames of digital silence
// (all-zero side information: no main data, every granule decodes to zeros). Built bit by bit,
// since no MP3 encoder is available: it exercises the MP3 path (sync, length, rate, channels).
std::string silentMp3(int frames)
{
    std::string s;
    for (int f = 0; f < frames; ++f) {
        std::string frame(417, '\0'); // 144 * 128000 / 44100 = 417 bytes, no padding
        frame[0] = char(0xFF);
        frame[1] = char(0xFB); // MPEG-1, Layer III, no CRC
        frame[2] = char(0x90); // 128 kb/s, 44.1 kHz, no padding
        frame[3] = char(0x00); // stereo
        s += frame;
    }
    return s;
}

// Runs `fn` and returns the AudioError it throws (fails the test if it throws nothing else).
template <typename Fn>
std::optional<AudioError> errorOf(Fn&& fn)
{
    try {
        fn();
    } catch (const AudioError& e) {
        return e;
    } catch (const std::exception& e) {
        qWarning("unexpected exception type: %s", e.what());
    }
    return std::nullopt;
}

}  // namespace

class DecoderTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::shared_ptr<const AudioDecoder> dec_ = defaultAudioDecoder();

    std::string path(const QString& name) const { return dir_.filePath(name).toStdString(); }

    void expectError(const std::string& p, AudioErrorKind kind, const char* messagePart = nullptr)
    {
        for (int probe = 0; probe < 2; ++probe) {
            const auto e = errorOf([&] {
                if (probe) (void)dec_->probe(p);
                else (void)dec_->decodeMono(p);
            });
            QVERIFY2(e.has_value(), qPrintable(QString::fromStdString(p) + ": no AudioError"));
            QVERIFY2(e->kind() == kind, qPrintable(QString("%1: got '%2'").arg(QString::fromStdString(p), e->what())));
            QCOMPARE(e->path(), p);
            const std::string msg = e->what();
            QVERIFY(msg.find(toString(kind)) != std::string::npos);
            QVERIFY(msg.find(p) != std::string::npos);
            if (messagePart)
                QVERIFY2(msg.find(messagePart) != std::string::npos, qPrintable(QString::fromStdString(msg)));
        }
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    // ---- good files -------------------------------------------------------------------------

    void decodesEachFormat_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("bits");
        QTest::addColumn<double>("sampleTolerance"); // max |decoded - original| at the native rate
        QTest::newRow("wav 16") << "tone16.wav" << 16 << 1e-4;
        QTest::newRow("wav 24") << "tone24.wav" << 24 << 1e-6;
        QTest::newRow("aiff 24") << "tone.aiff" << 24 << 1e-6;
        QTest::newRow("flac 24") << "tone.flac" << 24 << 1e-6;
        QTest::newRow("flac 16") << "tone16.flac" << 16 << 1e-4;
        QTest::newRow("ogg") << "tone.ogg" << 16 << -1.0; // lossy: compared by tone level only
    }
    void decodesEachFormat()
    {
        QFETCH(QString, name);
        QFETCH(int, bits);
        QFETCH(double, sampleTolerance);
        const double rate = 44100;
        const auto x = test::sine(1000.0, rate, 1.0, 0.5);
        const auto p = path(name);
        writeAudio(p, {x, x}, rate, bits);

        const auto info = dec_->probe(p);
        QCOMPARE(info.sampleRate, rate);
        QCOMPARE(info.channels, 2);
        QVERIFY(!info.format.empty());
        if (sampleTolerance > 0) {
            QCOMPARE(info.lengthSamples, int64_t(x.size()));
            QCOMPARE(info.bitsPerSample, bits);
        } else {
            QVERIFY(std::abs(info.lengthSamples - int64_t(x.size())) <= 2048);
        }
        QVERIFY(std::abs(info.durationSeconds() - 1.0) < 0.05);

        DecodeOptions native;
        native.targetSampleRate = 0;
        const auto a = dec_->decodeMono(p, native);
        QCOMPARE(a.sampleRate, rate);
        QCOMPARE(int64_t(a.samples.size()), info.lengthSamples);
        if (sampleTolerance > 0) {
            double err = 0;
            for (size_t i = 0; i < x.size(); ++i) err = std::max(err, double(std::abs(a.samples[i] - x[i])));
            QVERIFY2(err < sampleTolerance, qPrintable(QString("max sample error %1").arg(err)));
        } else {
            const double amp = toneAmplitude(middle(a.samples), 1000.0, rate);
            QVERIFY2(std::abs(20 * std::log10(amp / 0.5)) < 0.5, qPrintable(QString("Ogg tone amplitude %1").arg(amp)));
        }

        // Default options: 22050 Hz analysis rate.
        const auto b = dec_->decodeMono(p);
        QCOMPARE(b.sampleRate, 22050.0);
        QVERIFY(std::abs(int64_t(b.samples.size()) - int64_t(std::llround(double(a.samples.size()) / 2))) <= 1);
        QVERIFY(std::abs(toneAmplitude(middle(b.samples), 1000.0, 22050.0) - 0.5) < (sampleTolerance > 0 ? 0.005 : 0.05));
    }

    void downmixesStereoToChannelMean()
    {
        const double rate = 44100;
        const auto l = test::sine(440.0, rate, 1.0, 0.6), r = test::sine(3000.0, rate, 1.0, 0.2);
        const auto p = path("stereo.wav");
        writeAudio(p, {l, r}, rate, 24);
        DecodeOptions native;
        native.targetSampleRate = 0;
        const auto a = dec_->decodeMono(p, native);
        QCOMPARE(a.samples.size(), l.size());
        double err = 0;
        for (size_t i = 0; i < l.size(); ++i) err = std::max(err, double(std::abs(a.samples[i] - 0.5f * (l[i] + r[i]))));
        QVERIFY2(err < 1e-6, qPrintable(QString("max error %1").arg(err)));
        QVERIFY(std::abs(toneAmplitude(middle(a.samples), 440.0, rate) - 0.3) < 0.003);
        QVERIFY(std::abs(toneAmplitude(middle(a.samples), 3000.0, rate) - 0.1) < 0.001);
        // Opposite-phase channels cancel.
        auto minusL = l;
        for (auto& v : minusL) v = -v;
        writeAudio(path("cancel.flac"), {l, minusL}, rate, 24);
        const auto c = dec_->decodeMono(path("cancel.flac"), native);
        for (float v : c.samples) QVERIFY(std::abs(v) < 1e-6f);
    }

    void downmixesSixChannels()
    {
        const double rate = 48000;
        std::vector<std::vector<float>> ch;
        for (int c = 0; c < 6; ++c) ch.push_back(test::sine(200.0 * (c + 1), rate, 0.5, 0.1 * (c + 1)));
        const auto p = path("surround51.wav");
        writeAudio(p, ch, rate, 24);
        const auto info = dec_->probe(p);
        QCOMPARE(info.channels, 6);
        DecodeOptions native;
        native.targetSampleRate = 0;
        const auto a = dec_->decodeMono(p, native);
        double err = 0;
        for (size_t i = 0; i < a.samples.size(); ++i) {
            double mean = 0;
            for (const auto& c : ch) mean += c[i];
            err = std::max(err, std::abs(a.samples[i] - mean / 6.0));
        }
        QVERIFY2(err < 1e-6, qPrintable(QString("max error %1").arg(err)));
        // Each channel's tone keeps 1/6 of its level; also after resampling to 22.05 kHz.
        const auto b = dec_->decodeMono(p);
        for (int c = 0; c < 6; ++c)
            QVERIFY(std::abs(toneAmplitude(middle(b.samples), 200.0 * (c + 1), 22050.0) - 0.1 * (c + 1) / 6.0) < 0.002);
    }

    void resamplesToAnalysisRate_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addColumn<QString>("ext");
        QTest::newRow("8 kHz wav") << 8000.0 << "wav";
        QTest::newRow("48 kHz flac") << 48000.0 << "flac";
        QTest::newRow("192 kHz wav") << 192000.0 << "wav";
        QTest::newRow("22.05 kHz (no-op)") << 22050.0 << "wav";
        QTest::newRow("32 kHz aiff") << 32000.0 << "aiff";
    }
    void resamplesToAnalysisRate()
    {
        QFETCH(double, rate);
        QFETCH(QString, ext);
        const double seconds = 2.0;
        const auto x = test::sine(1500.0, rate, seconds, 0.4);
        const auto p = path(QString("rate%1.%2").arg(int(rate)).arg(ext));
        writeAudio(p, {x}, rate, 24);
        const auto info = dec_->probe(p);
        QCOMPARE(info.sampleRate, rate);
        QVERIFY(std::abs(info.durationSeconds() - seconds) < 1e-9);
        const auto a = dec_->decodeMono(p);
        QCOMPARE(a.sampleRate, 22050.0);
        QCOMPARE(int64_t(a.samples.size()), int64_t(std::llround(double(x.size()) * 22050.0 / rate)));
        QVERIFY(std::abs(double(a.samples.size()) / a.sampleRate - seconds) < 1e-3);
        QVERIFY2(std::abs(toneAmplitude(middle(a.samples), 1500.0, 22050.0) - 0.4) < 0.004,
                 qPrintable(QString("amplitude %1").arg(toneAmplitude(middle(a.samples), 1500.0, 22050.0))));
        // Content above the new Nyquist is removed, not folded back.
        if (rate > 44100) {
            const auto hi = test::sine(15000.0, rate, 1.0, 0.5);
            writeAudio(path("hi.wav"), {hi}, rate, 24);
            const auto h = dec_->decodeMono(path("hi.wav"));
            const auto m = middle(h.samples);
            double rms = 0;
            for (float v : m) rms += double(v) * v;
            rms = std::sqrt(rms / double(m.size()));
            QVERIFY2(20 * std::log10(rms + 1e-12) < -60, qPrintable(QString("residual %1").arg(rms)));
        }
    }

    void excerptsAndLimits()
    {
        const double rate = 44100;
        const auto x = test::sine(500.0, rate, 3.0, 0.5);
        const auto p = path("excerpt.flac");
        writeAudio(p, {x}, rate, 24);
        DecodeOptions o;
        o.targetSampleRate = 0;
        o.offsetSeconds = 1.0;
        o.durationSeconds = 0.5;
        const auto a = dec_->decodeMono(p, o);
        QCOMPARE(a.samples.size(), size_t(22050));
        for (size_t i = 0; i < a.samples.size(); ++i) QVERIFY(std::abs(a.samples[i] - x[44100 + i]) < 1e-6f);
        DecodeOptions tooShortLimit;
        tooShortLimit.maxSeconds = 2.0;
        expectErrorDecodeOnly(p, tooShortLimit, AudioErrorKind::TooLong);
    }

    void wavNamedFlacStillDecodes()
    {
        const auto x = test::sine(700.0, 44100, 0.5, 0.5);
        const auto wav = path("real.wav"), named = path("actually-wav.flac");
        writeAudio(wav, {x}, 44100, 24);
        QVERIFY(QFile::copy(QString::fromStdString(wav), QString::fromStdString(named)));
        const auto info = dec_->probe(named);
        QVERIFY2(QString::fromStdString(info.format).contains("WAV", Qt::CaseInsensitive), info.format.c_str());
        DecodeOptions native;
        native.targetSampleRate = 0;
        QCOMPARE(dec_->decodeMono(named, native).samples.size(), x.size());
    }

    void unicodePath()
    {
        const QString sub = dir_.filePath(QStringLiteral("Ünïcødé"));
        QVERIFY(QDir().mkpath(sub));
        const std::string p = QDir(sub).filePath(QStringLiteral("Björk — 東京.wav")).toStdString();
        const auto x = test::sine(440.0, 44100, 0.5, 0.5);
        writeAudio(p, {x}, 44100, 16);
        QVERIFY(QFile::exists(QString::fromStdString(p)));
        DecodeOptions native;
        native.targetSampleRate = 0;
        const auto a = dec_->decodeMono(p, native);
        QCOMPARE(a.samples.size(), x.size());
        // Errors carry the UTF-8 path unchanged.
        const std::string missing = QDir(sub).filePath(QStringLiteral("Sigur Rós — ágætis.flac")).toStdString();
        expectError(missing, AudioErrorKind::FileNotFound);
    }

    void mp3Silence()
    {
        // 40 frames x 1152 samples of MPEG-1 Layer III silence (see silentMp3()).
        const auto p = path("silence.mp3");
        writeBytes(p, silentMp3(40));
        const auto info = dec_->probe(p);
        QCOMPARE(info.format, std::string("MP3 file"));
        QCOMPARE(info.sampleRate, 44100.0);
        QCOMPARE(info.channels, 2);
        QCOMPARE(info.lengthSamples, int64_t(40 * 1152));
        DecodeOptions native;
        native.targetSampleRate = 0;
        const auto a = dec_->decodeMono(p, native);
        QCOMPARE(a.samples.size(), size_t(40 * 1152));
        for (float v : a.samples) QCOMPARE(v, 0.f);
        // Behind an ID3v2 tag, and with a cut-off last frame (dropped, the rest decodes).
        std::string tag = std::string("ID3\x03\x00\x00\x00\x00\x00\x20", 10) + std::string(32, '\0');
        writeBytes(path("tagged.mp3"), tag + silentMp3(12) + silentMp3(1).substr(0, 100));
        QCOMPARE(dec_->probe(path("tagged.mp3")).lengthSamples, int64_t(12 * 1152));
    }

    // Real MP3 content (encoded by Debian's `lame`, installed by packaging/install-deps.sh): a 440 Hz
    // stereo tone must come back as a 440 Hz mono tone of the same level and (about) the same length.
    void mp3RealContent()
    {
        const QString lame = QStandardPaths::findExecutable(QStringLiteral("lame"));
        if (lame.isEmpty()) QSKIP("lame is not installed (packaging/install-deps.sh installs it)");
        const auto x = test::sine(440.0, 44100, 2.0, 0.5);
        writeAudio(path("tone.wav"), {x, x}, 44100, 16);
        QProcess enc;
        enc.start(lame, {QStringLiteral("--quiet"), QStringLiteral("-b"), QStringLiteral("192"),
                         QString::fromStdString(path("tone.wav")), QString::fromStdString(path("tone.mp3"))});
        QVERIFY(enc.waitForFinished(60000));
        QCOMPARE(enc.exitCode(), 0);
        DecodeOptions native;
        native.targetSampleRate = 0;
        const auto a = dec_->decodeMono(path("tone.mp3"), native);
        QCOMPARE(a.sampleRate, 44100.0);
        QCOMPARE(a.source.channels, 2);
        // Encoder delay and padding add up to a few frames of 1152 samples.
        QVERIFY2(a.samples.size() >= x.size() && a.samples.size() <= x.size() + 4 * 1152,
                 qPrintable(QString::number(a.samples.size())));
        // Middle second: energy at 440 Hz dominates 880 Hz, level within 0.5 dB of the original.
        auto power = [&](double f) {
            std::complex<double> acc;
            for (size_t i = 22050; i < 66150; ++i) acc += double(a.samples[i]) * std::polar(1.0, -2 * M_PI * f * double(i) / 44100);
            return std::norm(acc);
        };
        QVERIFY(power(440) > 1000 * power(880));
        double ss = 0;
        for (size_t i = 22050; i < 66150; ++i) ss += double(a.samples[i]) * a.samples[i];
        const double rmsDb = 10 * std::log10(ss / 44100), expectedDb = 20 * std::log10(0.5 / std::sqrt(2.0));
        qInfo("mp3 tone: %zu samples (wav %zu), RMS %.2f dBFS (expected %.2f)", a.samples.size(), x.size(), rmsDb, expectedDb);
        QVERIFY(std::abs(rmsDb - expectedDb) < 0.5);
    }

    // ---- bad files --------------------------------------------------------------------------

    void nonexistentPath() { expectError(path("no-such-file.wav"), AudioErrorKind::FileNotFound); }

    void directory()
    {
        QVERIFY(QDir().mkpath(dir_.filePath("a-directory.wav")));
        expectError(path("a-directory.wav"), AudioErrorKind::Unreadable, "directory");
    }

    void emptyFile()
    {
        writeBytes(path("empty.flac"), "");
        expectError(path("empty.flac"), AudioErrorKind::Empty);
    }

    void headerOnlyWav()
    {
        writeAudio(path("zero.wav"), {std::vector<float>{}}, 44100, 16);
        QVERIFY(readBytes(path("zero.wav")).size() >= 44);
        expectError(path("zero.wav"), AudioErrorKind::NoSamples);
    }

    // A file cut short decodes up to the damage, like a player plays what is there, and says so.
    void expectPartial(const std::string& p, double expectSeconds, double tolSeconds, const char* damagePart)
    {
        const AudioInfo info = dec_->probe(p);
        QVERIFY2(info.partial(), qPrintable(QString::fromStdString(p) + ": not marked partial"));
        QVERIFY2(info.damage.find(damagePart) != std::string::npos, qPrintable(QString::fromStdString(info.damage)));
        QVERIFY2(std::abs(info.durationSeconds() - expectSeconds) <= tolSeconds,
                 qPrintable(QString("%1 s decodable, expected %2 s").arg(info.durationSeconds()).arg(expectSeconds)));
        QVERIFY2(info.partialNote().rfind("partial: ", 0) == 0, qPrintable(QString::fromStdString(info.partialNote())));
        const MonoAudio a = dec_->decodeMono(p, DecodeOptions{0.0});
        QVERIFY(a.source.partial());
        QCOMPARE(int64_t(a.samples.size()), a.source.lengthSamples);
    }

    // The decoded part is the original's beginning (lossless formats).
    void expectSamePrefix(const std::string& cut, const std::vector<float>& original, float tol)
    {
        const MonoAudio a = dec_->decodeMono(cut, DecodeOptions{0.0});
        QVERIFY(!a.samples.empty() && a.samples.size() <= original.size());
        float worst = 0.f;
        for (size_t i = 0; i < a.samples.size(); ++i) worst = std::max(worst, std::abs(a.samples[i] - original[i]));
        QVERIFY2(worst <= tol, qPrintable(QString("max difference %1").arg(worst)));
    }

    void truncatedWav()
    {
        const auto p = path("cut.wav");
        const auto x = test::sine(440.0, 44100, 1.0);
        writeAudio(p, {x}, 44100, 16);
        truncateFile(p, 0.6);
        expectPartial(p, 0.6, 0.01, "header announces");
        QVERIFY(dec_->probe(p).partialNote().find("of 1.0 s decoded") != std::string::npos);
        expectSamePrefix(p, x, 1e-4f);
        // Even a few bytes short is caught (the data offset is taken into account).
        writeAudio(p, {x}, 44100, 16);
        const auto bytes = readBytes(p);
        writeBytes(p, bytes.substr(0, bytes.size() - 3));
        expectPartial(p, 1.0, 0.001, "header announces");
        // Cut inside the header: nothing to decode.
        writeBytes(p, bytes.substr(0, 40));
        QVERIFY(errorOf([&] { (void)dec_->probe(p); }).has_value());
    }

    void truncatedAiff()
    {
        const auto p = path("cut.aiff");
        writeAudio(p, {test::sine(440.0, 44100, 1.0)}, 44100, 16);
        truncateFile(p, 0.7);
        expectPartial(p, 0.7, 0.01, "header announces");
    }

    void truncatedFlac_data()
    {
        QTest::addColumn<double>("keep");
        QTest::newRow("cut at 50 %") << 0.5;
        QTest::newRow("cut at 90 %") << 0.9;
        QTest::newRow("last 10 bytes missing") << -10.0;
    }
    void truncatedFlac()
    {
        QFETCH(double, keep);
        const auto p = path("cut.flac");
        const auto x = test::fixtureSignal(44100, 2.0);
        writeAudio(p, {x}, 44100, 16);
        QVERIFY(checkFlacComplete(p).ok);
        if (keep > 0) truncateFile(p, keep);
        else {
            const auto b = readBytes(p);
            writeBytes(p, b.substr(0, b.size() - size_t(-keep)));
        }
        const auto r = checkFlacComplete(p);
        QVERIFY(!r.ok);
        QCOMPARE(r.announcedSamples, int64_t(88200));
        // Up to the frame the cut runs through (FLAC frames here are 4096 samples, 0.09 s).
        expectPartial(p, keep > 0 ? 2.0 * keep : 2.0, keep > 0 ? 0.25 : 0.1, "FLAC frame");
        QVERIFY(dec_->probe(p).partialNote().find("of 2.0 s decoded") != std::string::npos);
        expectSamePrefix(p, x, 1e-4f);  // lossless: the intact frames are the original
    }

    void truncatedOgg_data()
    {
        QTest::addColumn<double>("keep");
        QTest::newRow("cut at 50 %") << 0.5;
        QTest::newRow("cut at 95 %") << 0.95;
        QTest::newRow("last byte missing") << -1.0;
    }
    void truncatedOgg()
    {
        QFETCH(double, keep);
        const auto p = path("cut.ogg");
        // Long enough that a cut leaves complete audio pages (each page holds about 1.3 s here).
        writeAudio(p, {test::fixtureSignal(44100, 20.0)}, 44100);
        QVERIFY(checkOggComplete(p).ok);
        if (keep > 0) truncateFile(p, keep);
        else {
            const auto b = readBytes(p);
            writeBytes(p, b.substr(0, b.size() - size_t(-keep)));
        }
        QVERIFY(!checkOggComplete(p).ok);
        expectPartial(p, keep > 0 ? 20.0 * keep : 20.0, 2.0, "Ogg page");
    }

    void flacCutInsideItsHeaderIsAnError()
    {
        const auto p = path("head.flac");
        writeAudio(p, {test::fixtureSignal(44100, 1.0)}, 44100, 16);
        writeBytes(p, readBytes(p).substr(0, 60));
        QVERIFY(errorOf([&] { (void)dec_->probe(p); }).has_value());
    }

    void blockwiseResamplingEqualsWholeTrack_data()
    {
        QTest::addColumn<double>("rate");
        QTest::newRow("44.1 kHz") << 44100.0;
        QTest::newRow("48 kHz") << 48000.0;
        QTest::newRow("22.05 kHz (no resampling)") << 22050.0;
    }
    void blockwiseResamplingEqualsWholeTrack()
    {
        // The decoder resamples block by block (65536 native samples) to keep memory flat; the
        // result must be the whole-signal resampler's, sample for sample.
        QFETCH(double, rate);
        const auto p = path("blocks.wav");
        writeAudio(p, {test::fixtureSignal(rate, 7.3), test::sine(330.0, rate, 7.3)}, rate, 24);
        const MonoAudio native = dec_->decodeMono(p, DecodeOptions{0.0});
        const MonoAudio blocks = dec_->decodeMono(p, DecodeOptions{22050.0});
        const auto whole = resample(native.samples, rate, 22050.0);
        QCOMPARE(blocks.samples.size(), whole.size());
        float worst = 0.f;
        for (size_t i = 0; i < whole.size(); ++i) worst = std::max(worst, std::abs(blocks.samples[i] - whole[i]));
        QVERIFY2(worst < 1e-6f, qPrintable(QString::number(worst)));
    }

    void randomBytesNamedFlacSayWhatWasExpected()
    {
        std::mt19937 rng{11u};
        std::string bytes(100000, '\0');
        for (auto& b : bytes) b = char(rng() & 0xff);
        bytes[0] = char(0x3f), bytes[1] = char(0xa2);
        writeBytes(path("random.flac"), bytes);
        expectError(path("random.flac"), AudioErrorKind::NotAudio,
                    "expected a FLAC stream ('fLaC' signature) from the extension .flac, found bytes 3f a2");
        writeBytes(path("random.bin"), bytes);
        expectError(path("random.bin"), AudioErrorKind::NotAudio, "extension .bin names no audio format we read");
        // Not named .mp3: the MP3 reader's complaint is not the news (it takes almost anything).
        bytes[0] = char(0x00), bytes[1] = char(0x11);
        writeBytes(path("random.wav"), bytes);
        const auto e = errorOf([&] { (void)dec_->decodeMono(path("random.wav")); });
        QVERIFY(e.has_value());
        QVERIFY2(std::string(e->what()).find("MPEG") == std::string::npos, e->what());
        // An intact WAV in an encoding we do not read (u-law, 8 kHz, 1 s): the encoding is named.
        std::string ulaw("RIFF\0\0\0\0WAVEfmt \x12\0\0\0\x07\0\x01\0\x40\x1f\0\0\x40\x1f\0\0\x01\0\x08\0\0\0"
                         "fact\x04\0\0\0\x40\x1f\0\0data\x40\x1f\0\0", 58);
        ulaw += std::string(8000, char(0xff));
        const uint32_t riff = uint32_t(ulaw.size() - 8);
        for (int k = 0; k < 4; ++k) ulaw[size_t(4 + k)] = char((riff >> (8 * k)) & 0xff);
        writeBytes(path("phone.wav"), ulaw);
        expectError(path("phone.wav"), AudioErrorKind::NotAudio,
                    "a WAV file whose samples are u-law (format tag 0x0007), which we do not read: convert it to PCM WAV or FLAC");
        // The right signature and a header cut short: said so, not "not a WAV file".
        writeBytes(path("half header.wav"), std::string("RIFF\x24\x00\x00\x00WAVEfmt ", 16));
        expectError(path("half header.wav"), AudioErrorKind::NotAudio,
                    "starts as a WAV file (RIFF/WAVE header) (bytes 52 49 46 46 24 00 00 00) but its header is damaged or cut short (16 bytes in all)");
    }

    void nanSamplesAreAnErrorNotSilence()
    {
        test::writeNanWav(path("nan.wav"), 22050, 1.0);
        const auto e = errorOf([&] { (void)dec_->decodeMono(path("nan.wav")); });
        QVERIFY(e.has_value());
        QCOMPARE(e->kind(), AudioErrorKind::NonFinite);
        QVERIFY2(std::string(e->what()).find("non-finite samples: " + path("nan.wav") + " (100.0 % of the decoded samples are NaN or infinite)") != std::string::npos,
                 e->what());
    }

    void textNamedMp3()
    {
        std::string text;
        for (int i = 0; i < 200; ++i) text += "This is not an MP3 file, it is a shopping list. Eggs, milk, bread.\n";
        writeBytes(path("notes.mp3"), text);
        expectError(path("notes.mp3"), AudioErrorKind::NotAudio);
    }

    void randomBytes_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("seed");
        for (int seed = 1; seed <= 4; ++seed) {
            QTest::newRow(qPrintable(QString("wav %1").arg(seed))) << "noise.wav" << seed;
            QTest::newRow(qPrintable(QString("mp3 %1").arg(seed))) << "noise.mp3" << seed;
            QTest::newRow(qPrintable(QString("flac %1").arg(seed))) << "noise.flac" << seed;
        }
    }
    void randomBytes()
    {
        QFETCH(QString, name);
        QFETCH(int, seed);
        std::mt19937 rng{static_cast<unsigned>(seed)};
        std::string bytes(200000, '\0');
        for (auto& b : bytes) b = char(rng() & 0xff);
        writeBytes(path(name), bytes);
        expectError(path(name), AudioErrorKind::NotAudio);
    }

    void unreadableFile()
    {
        const auto p = path("locked.wav");
        writeAudio(p, {test::sine(440.0, 8000, 0.2)}, 8000, 16);
        QFile::setPermissions(QString::fromStdString(p), QFileDevice::Permissions());
        if (::access(p.c_str(), R_OK) == 0) {
            QFile::setPermissions(QString::fromStdString(p), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
            QSKIP("running as root (or with CAP_DAC_OVERRIDE): chmod 000 does not stop reading");
        }
        expectError(p, AudioErrorKind::Unreadable);
        QFile::setPermissions(QString::fromStdString(p), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

private:
    void expectErrorDecodeOnly(const std::string& p, const DecodeOptions& o, AudioErrorKind kind)
    {
        const auto e = errorOf([&] { (void)dec_->decodeMono(p, o); });
        QVERIFY(e.has_value());
        QVERIFY2(e->kind() == kind, e->what());
    }
};

QTEST_APPLESS_MAIN(DecoderTest)
#include "tst_decoder.moc"
