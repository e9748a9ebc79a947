// The JUCE-backed implementation of the decoder facade. JUCE headers stop at this file.
#include <juce_audio_formats/juce_audio_formats.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <cstdio>
#include <cstring>
#include <vector>

#include "audio/AudioDecoder.h"
#include "audio/AudioError.h"
#include "audio/StreamIntegrity.h"
#include "dsp/Resampler.h"
#include "util/AsciiLower.h"

namespace stemscope {
namespace {

namespace fs = std::filesystem;

constexpr double kMinRate = 1000.0;
constexpr double kMaxRate = 768000.0;
constexpr int kBlock = 1 << 16;

juce::File toJuceFile(const std::string& path) { return juce::File(juce::String::fromUTF8(path.c_str())); }

void checkReadable(const std::string& path)
{
    std::error_code ec;
    const fs::path p = fs::u8path(path);
    if (!fs::exists(p, ec)) throw AudioError(AudioErrorKind::FileNotFound, path, "");
    if (fs::is_directory(p, ec)) throw AudioError(AudioErrorKind::Unreadable, path, "is a directory");
    const auto size = fs::file_size(p, ec);
    if (ec) throw AudioError(AudioErrorKind::Unreadable, path, ec.message());
    std::ifstream probe(p, std::ios::binary);
    if (!probe) throw AudioError(AudioErrorKind::Unreadable, path, "permission denied or I/O error");
    if (size == 0) throw AudioError(AudioErrorKind::Empty, path, "0 bytes");
}

// A reader plus the stream length we trust (JUCE's MP3 reader only estimates it).
struct Opened {
    std::unique_ptr<juce::AudioFormatReader> reader;
    juce::int64 length = 0;
    std::string damage;               // non-empty: decodes only up to `length` (the intact part)
    juce::int64 announced = 0;        // what the header promised, when known
};

// An intact WAV whose samples use an encoding no reader of ours takes (u-law, ADPCM...): its fmt
// chunk's format tag, named. Empty when the file is not such a WAV.
std::string unreadWavEncoding(const std::string& path)
{
    std::ifstream in(fs::u8path(path), std::ios::binary);
    std::vector<unsigned char> b(4096);
    in.read(reinterpret_cast<char*>(b.data()), std::streamsize(b.size()));
    b.resize(size_t(in.gcount()));
    const auto u32 = [&](size_t i) { return uint32_t(b[i]) | uint32_t(b[i + 1]) << 8 | uint32_t(b[i + 2]) << 16 | uint32_t(b[i + 3]) << 24; };
    if (b.size() < 12 || std::memcmp(b.data(), "RIFF", 4) != 0 || std::memcmp(b.data() + 8, "WAVE", 4) != 0) return {};
    for (size_t i = 12; i + 10 <= b.size(); i += 8 + u32(i + 4) + (u32(i + 4) & 1)) {
        if (std::memcmp(b.data() + i, "fmt ", 4) != 0) continue;
        const int tag = b[i + 8] | b[i + 9] << 8;
        if (tag == 1 || tag == 3 || tag == 0xfffe) return {};  // PCM, float, extensible: read
        static const std::map<int, std::string> names = {{2, "Microsoft ADPCM"}, {6, "A-law"}, {7, "u-law"},
                                                         {0x11, "IMA ADPCM"}, {0x31, "GSM 6.10"}, {0x50, "MPEG"},
                                                         {0x55, "MPEG Layer 3"}};
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%04x", tag);
        const auto n = names.find(tag);
        return "a WAV file whose samples are " + (n != names.end() ? n->second : std::string("in an encoding")) +
               " (format tag " + hex + "), which we do not read: convert it to PCM WAV or FLAC";
    }
    return {};
}

// "expected a FLAC stream ('fLaC') from the extension .flac, found bytes 3f a2 91 00": what the
// name promised against what the file starts with, so random bytes are not blamed on MP3 parsing.
std::string notWhatTheExtensionSays(const std::string& path, const std::string& detail)
{
    const std::string ext = asciiLower(fs::u8path(path).extension().u8string());
    static const std::map<std::string, std::string> expected = {
        {".wav", "a WAV file (RIFF/WAVE header)"}, {".wave", "a WAV file (RIFF/WAVE header)"},
        {".aif", "an AIFF file (FORM/AIFF header)"}, {".aiff", "an AIFF file (FORM/AIFF header)"},
        {".flac", "a FLAC stream ('fLaC' signature)"}, {".ogg", "an Ogg stream ('OggS' pages)"},
        {".oga", "an Ogg stream ('OggS' pages)"}, {".mp3", "MPEG audio frames"}};
    // The signature each extension's format starts with (MP3 has none worth the name).
    static const std::map<std::string, std::string> magic = {{".wav", "RIFF"}, {".wave", "RIFF"}, {".aif", "FORM"},
                                                             {".aiff", "FORM"}, {".flac", "fLaC"}, {".ogg", "OggS"},
                                                             {".oga", "OggS"}};
    unsigned char head[8] = {};
    std::ifstream in(fs::u8path(path), std::ios::binary);
    in.read(reinterpret_cast<char*>(head), sizeof head);
    const auto got = in.gcount();
    std::string found;
    char hex[4];
    for (std::streamsize i = 0; i < got; ++i) {
        std::snprintf(hex, sizeof hex, "%s%02x", i ? " " : "", head[i]);
        found += hex;
    }
    const auto it = expected.find(ext);
    if (const auto encoding = unreadWavEncoding(path); !encoding.empty()) return encoding;
    // The right signature, yet no reader takes it: the header itself is damaged, not the name wrong.
    if (const auto m = magic.find(ext); m != magic.end() && got >= 4 && std::equal(m->second.begin(), m->second.end(), head)) {
        std::error_code ec;
        const auto size = fs::file_size(fs::u8path(path), ec);
        return "starts as " + it->second + " (bytes " + found + ") but its header is damaged or cut short" +
               (ec ? std::string() : " (" + std::to_string(size) + " bytes in all)");
    }
    const std::string want = it != expected.end() ? "expected " + it->second + " from the extension " + ext
                                                  : "extension " + (ext.empty() ? std::string("(none)") : ext) + " names no audio format we read";
    return want + ", found bytes " + found + ": " + detail;
}

// A compressed stream cut short decodes up to its last intact frame/page; nothing intact is an error.
void keepIntactPart(const std::string& path, const IntegrityResult& r, Opened& opened)
{
    if (r.ok) return;
    if (r.intactSamples <= 0) throw AudioError(AudioErrorKind::Truncated, path, r.detail);
    opened.length = std::min<juce::int64>(opened.length, r.intactSamples);
    opened.announced = r.announcedSamples;
    opened.damage = r.detail;
}

class JuceAudioDecoder final : public AudioDecoder {
public:
    AudioInfo probe(const std::string& path) const override
    {
        auto opened = open(path);
        return infoOf(opened);
    }

    MonoAudio decodeMono(const std::string& path, const DecodeOptions& options) const override
    {
        auto opened = open(path);
        auto& reader = opened.reader;
        MonoAudio out;
        out.source = infoOf(opened);
        const double rate = reader->sampleRate;
        if (out.source.durationSeconds() > options.maxSeconds)
            throw AudioError(AudioErrorKind::TooLong, path,
                             std::to_string(int(out.source.durationSeconds())) + " s exceeds the limit of " +
                                 std::to_string(int(options.maxSeconds)) + " s");

        const juce::int64 first = std::clamp<juce::int64>(juce::int64(options.offsetSeconds * rate), 0, opened.length);
        juce::int64 count = opened.length - first;
        if (options.durationSeconds > 0) count = std::min(count, juce::int64(std::ceil(options.durationSeconds * rate)));

        // Decode, downmix and resample block by block: memory holds the output and one block, not
        // the whole track at its native rate (a 30-minute 44.1 kHz file is 320 MB of floats).
        const int channels = int(reader->numChannels);
        const double target = options.targetSampleRate > 0 ? options.targetSampleRate : rate;
        const Resampler resampler(rate, target);
        juce::int64 total = std::max<juce::int64>(0, count);  // native samples to decode
        long long nOut = resampler.outputLength(total);
        out.samples.assign(size_t(std::max(0LL, nOut)), 0.f);
        std::vector<float> window;  // native mono samples [winStart, winStart + window.size())
        long long winStart = 0, produced = 0;
        size_t bad = 0;
        auto emit = [&](bool final) {
            const long long readEnd = winStart + (long long)window.size();
            long long upto = nOut;
            if (!final) {
                upto = std::min(nOut, (long long)std::floor(double(readEnd) * target / rate));
                while (upto > produced && resampler.inputSpan(produced, upto - produced).second >= readEnd) --upto;
            }
            if (upto <= produced) return;
            resampler.processBlock(window.data(), winStart, (long long)window.size(), total, produced, upto - produced,
                                   out.samples.data() + produced);
            produced = upto;
            const long long keepFrom = std::max(winStart, resampler.inputSpan(produced, 1).first);
            window.erase(window.begin(), window.begin() + std::min<long long>((long long)window.size(), keepFrom - winStart));
            winStart = keepFrom;
        };
        juce::AudioBuffer<float> buffer(channels, kBlock);
        const float gain = 1.f / float(channels);
        for (juce::int64 done = 0; done < total;) {
            const int n = int(std::min<juce::int64>(kBlock, total - done));
            if (!reader->read(&buffer, 0, n, first + done, true, true)) {
                // Damage the container checks did not see: keep what decoded before it.
                if (done == 0) throw AudioError(AudioErrorKind::Truncated, path, "decoder stopped at sample " + std::to_string(first));
                out.source.damage = "decoder stopped at sample " + std::to_string(first + done);
                out.source.announcedSamples = std::max(out.source.announcedSamples, out.source.lengthSamples);
                out.source.lengthSamples = first + done;
                total = done;
                nOut = resampler.outputLength(total);
                out.samples.resize(size_t(nOut));
                produced = std::min(produced, nOut);
                break;
            }
            const size_t at = window.size();
            window.resize(at + size_t(n), 0.f);
            float* dst = window.data() + at;
            for (int c = 0; c < channels; ++c) {
                const float* src = buffer.getReadPointer(c);
                for (int i = 0; i < n; ++i) dst[i] += src[i] * gain;
            }
            // Decoders may emit NaN/Inf on corrupt frames; they would poison every later stage. A
            // few are zeroed; a stream that is mostly NaN/Inf is corrupt, not silent.
            for (int i = 0; i < n; ++i)
                if (!std::isfinite(dst[i])) {
                    dst[i] = 0.f;
                    ++bad;
                }
            done += n;
            emit(false);
        }
        emit(true);
        if (bad > 0 && bad * 100 > size_t(std::max<juce::int64>(1, total))) {
            char pct[32];
            std::snprintf(pct, sizeof pct, "%.1f", 100.0 * double(bad) / double(total));
            throw AudioError(AudioErrorKind::NonFinite, path,
                             std::string(pct) + " % of the decoded samples are NaN or infinite");
        }
        out.sampleRate = target;
        return out;
    }

    std::vector<std::string> supportedExtensions() const override
    {
        return {".wav", ".wave", ".aif", ".aiff", ".flac", ".ogg", ".oga", ".mp3"};
    }

private:
    Opened open(const std::string& path) const
    {
        checkReadable(path);
        juce::AudioFormatManager manager;
        manager.registerBasicFormats();
        // Sniff the content, ignoring the extension (JUCE's createReaderFor(File) only tries the
        // formats that claim the extension): WAV, AIFF, FLAC, Ogg first, whose signatures are
        // unambiguous, then MP3, whose reader accepts almost anything and is validated below. So a
        // WAV named .flac or .mp3 opens as WAV; only content no format accepts is "not audio".
        const juce::File file = toJuceFile(path);
        std::unique_ptr<juce::AudioFormatReader> reader;
        for (int i = 0; i < manager.getNumKnownFormats() && !reader; ++i) {
            std::unique_ptr<juce::FileInputStream> in(file.createInputStream());
            if (!in || in->failedToOpen()) throw AudioError(AudioErrorKind::Unreadable, path, "cannot open for reading");
            reader.reset(manager.getKnownFormat(i)->createReaderFor(in.release(), true));
        }
        if (!reader) throw AudioError(AudioErrorKind::NotAudio, path, notWhatTheExtensionSays(path, "no WAV/AIFF/FLAC/Ogg/MP3 stream found"));
        if (reader->numChannels < 1) throw AudioError(AudioErrorKind::NotAudio, path, "no channels");
        if (!(reader->sampleRate >= kMinRate && reader->sampleRate <= kMaxRate))
            throw AudioError(AudioErrorKind::Unsupported, path,
                             "sample rate " + std::to_string(reader->sampleRate) + " Hz outside 1 kHz..768 kHz");
        Opened opened;
        opened.length = reader->lengthInSamples;
        // JUCE's compressed readers do not report damage: check the container structure ourselves.
        const auto name = reader->getFormatName();
        if (name.containsIgnoreCase("mp3")) {
            // Any 32 KB containing an MPEG sync word opens as MP3 (random bytes do), and the length
            // is a guess (x1152 even for 576-sample MPEG-2 frames): validate and count the frames.
            const auto scan = scanMpegAudio(path);
            if (!scan.valid) {
                // JUCE's MP3 reader takes almost anything; its complaint only helps for a file named .mp3.
                const bool namedMp3 = toJuceFile(path).hasFileExtension("mp3");
                throw AudioError(AudioErrorKind::NotAudio, path,
                                 notWhatTheExtensionSays(path, namedMp3 ? scan.detail : "no WAV/AIFF/FLAC/Ogg/MP3 stream found"));
            }
            opened.length = std::min<juce::int64>(opened.length, scan.totalSamples);
            if (scan.truncated || scan.lastFrameCut) opened.damage = scan.detail.empty() ? "last MPEG frame cut short" : scan.detail;
        } else if (name.containsIgnoreCase("flac")) {
            keepIntactPart(path, checkFlacComplete(path), opened);
        } else if (name.containsIgnoreCase("ogg")) {
            keepIntactPart(path, checkOggComplete(path), opened);
        }
        if (reader->lengthInSamples <= 0 || opened.length <= 0)
            throw AudioError(AudioErrorKind::NoSamples, path, "zero-length stream");
        checkComplete(path, *reader, opened);
        opened.reader = std::move(reader);
        return opened;
    }

    static AudioInfo infoOf(const Opened& o)
    {
        const auto& r = *o.reader;
        AudioInfo info;
        info.format = r.getFormatName().toStdString();
        info.sampleRate = r.sampleRate;
        info.channels = int(r.numChannels);
        info.lengthSamples = o.length;
        info.bitsPerSample = int(r.bitsPerSample);
        info.damage = o.damage;
        info.announcedSamples = o.announced;
        return info;
    }

    // Uncompressed containers announce their data size up front; a file shorter than that was cut:
    // what is there decodes.
    static void checkComplete(const std::string& path, const juce::AudioFormatReader& r, Opened& opened)
    {
        const auto name = r.getFormatName();
        if (!(name.containsIgnoreCase("wav") || name.containsIgnoreCase("aiff"))) return;
        if (r.bitsPerSample <= 0) return;
        std::error_code ec;
        const auto size = (long long)fs::file_size(fs::u8path(path), ec);
        const long long frameBytes = (long long)r.numChannels * (r.bitsPerSample / 8);
        const long long needed = (long long)r.lengthInSamples * frameBytes;
        const long long offset = std::max<long long>(0, pcmDataOffset(path));
        if (ec || size >= offset + needed || frameBytes <= 0) return;
        const long long have = std::max(0LL, size - offset);
        const std::string detail = "header announces " + std::to_string(needed) + " data bytes, file has " + std::to_string(have);
        if (have / frameBytes <= 0) throw AudioError(AudioErrorKind::Truncated, path, detail);
        opened.length = std::min<juce::int64>(opened.length, have / frameBytes);
        opened.announced = r.lengthInSamples;
        opened.damage = detail;
    }
};

}  // namespace

std::shared_ptr<const AudioDecoder> defaultAudioDecoder()
{
    static const auto decoder = std::make_shared<JuceAudioDecoder>();
    return decoder;
}

}  // namespace stemscope
