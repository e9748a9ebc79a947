#pragma once
// Small audio files for library tests, written at test time (no binary fixtures in git).
#include <QDir>
#include <QString>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "TestSignals.h"
#include "audio/AudioDecoder.h"

namespace stemscope::test {

inline std::string u8(const QString& s) { return s.toUtf8().toStdString(); }

// A tone "voice": a few partials at `freq` with a little amplitude modulation, so different
// frequencies give clearly different spectra.
inline std::vector<float> voice(double freq, double rate, double seconds, double amp = 0.3)
{
    std::vector<float> x(size_t(seconds * rate));
    for (size_t i = 0; i < x.size(); ++i) {
        const double t = double(i) / rate;
        const double env = 0.75 + 0.25 * std::sin(2 * M_PI * 2.0 * t);
        x[i] = float(amp * env *
                     (std::sin(2 * M_PI * freq * t) + 0.5 * std::sin(4 * M_PI * freq * t) +
                      0.25 * std::sin(6 * M_PI * freq * t)) / 1.75);
    }
    return x;
}

inline void writeVoice(const std::string& path, double freq, double seconds = 8.0, double rate = 22050.0, int channels = 1)
{
    const auto x = voice(freq, rate, seconds);
    writeAudio(path, std::vector<std::vector<float>>(size_t(channels), x), rate, 16);
}

// A multitrack corpus: `n` song folders root/song<first + s> with drums, bass, piano, guitar and
// other .wav stems of `seconds` each; every stem its own tone, songs a few semitones apart.
inline void writeFiveStemCorpus(const QString& root, int n, int first, double seconds)
{
    static const char* stems[] = {"drums", "bass", "piano", "guitar", "other"};
    for (int s = 0; s < n; ++s) {
        const QString song = root + "/song" + QString::number(first + s);
        QDir().mkpath(song);
        for (int k = 0; k < 5; ++k)
            writeVoice(u8(song + "/" + stems[k] + ".wav"), 90.0 * (k + 1) * std::pow(1.12, first + s), seconds);
    }
}

inline void writeBytes(const std::string& path, const std::string& bytes)
{
    std::ofstream out(std::filesystem::u8path(path), std::ios::binary);
    out << bytes;
}

inline std::string readBytes(const std::string& path)
{
    std::ifstream in(std::filesystem::u8path(path), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A valid 16-bit mono PCM WAV of digital silence, written as header + a sparse extension:
// an hour of audio in milliseconds, whatever its size.
inline void writeSilentWav(const std::string& path, double seconds, int rate)
{
    const uint32_t dataBytes = uint32_t(seconds * rate) * 2u;
    auto le32 = [](uint32_t v) { return std::string{char(v), char(v >> 8), char(v >> 16), char(v >> 24)}; };
    auto le16 = [](uint16_t v) { return std::string{char(v), char(v >> 8)}; };
    std::string h = "RIFF" + le32(36 + dataBytes) + "WAVEfmt " + le32(16) + le16(1) + le16(1) + le32(uint32_t(rate)) +
                    le32(uint32_t(rate) * 2) + le16(2) + le16(16) + "data" + le32(dataBytes);
    writeBytes(path, h);
    std::filesystem::resize_file(std::filesystem::u8path(path), h.size() + dataBytes);
}

// A 32-bit IEEE-float mono WAV whose every sample is NaN (corrupt float data).
inline void writeNanWav(const std::string& path, int rate, double seconds)
{
    const uint32_t n = uint32_t(rate * seconds);
    auto le32 = [](uint32_t v) { return std::string{char(v), char(v >> 8), char(v >> 16), char(v >> 24)}; };
    auto le16 = [](uint16_t v) { return std::string{char(v), char(v >> 8)}; };
    std::string w = "RIFF" + le32(36 + 4 * n) + "WAVEfmt " + le32(16) + le16(3) + le16(1) + le32(uint32_t(rate)) +
                    le32(uint32_t(rate) * 4) + le16(4) + le16(32) + "data" + le32(4 * n);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    for (uint32_t i = 0; i < n; ++i) w.append(reinterpret_cast<const char*>(&nan), 4);
    writeBytes(path, w);
}

// "ab cd ef": bytes as the decoder's messages print them.
inline std::string hexBytes(const std::string& bytes)
{
    std::string out;
    char hex[4];
    for (size_t i = 0; i < bytes.size(); ++i) {
        std::snprintf(hex, sizeof hex, "%s%02x", i ? " " : "", (unsigned char)bytes[i]);
        out += hex;
    }
    return out;
}

inline void truncateFile(const std::string& path, double keepFraction)
{
    const auto p = std::filesystem::u8path(path);
    std::filesystem::resize_file(p, uintmax_t(double(std::filesystem::file_size(p)) * keepFraction));
}

}  // namespace stemscope::test
