#pragma once
// Decoder facade: the only door to audio files for the rest of core. No JUCE types leak out.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace stemscope {

struct AudioInfo {
    std::string format;        // e.g. "WAV file", "FLAC file"
    double sampleRate = 0.0;   // native rate of the file
    int channels = 0;
    int64_t lengthSamples = 0; // native-rate frames
    int bitsPerSample = 0;
    // A damaged file (cut short, last frame broken) decodes up to the damage: lengthSamples is
    // what decodes, `damage` says what is wrong, announcedSamples what the header promised (0 = unknown).
    std::string damage;
    int64_t announcedSamples = 0;
    double durationSeconds() const { return sampleRate > 0 ? double(lengthSamples) / sampleRate : 0.0; }
    bool partial() const { return !damage.empty(); }
    // "partial: 12.0 s of 30.0 s decoded (<damage>)", or "" for an intact file.
    std::string partialNote() const;
};

struct DecodeOptions {
    double targetSampleRate = 22050.0; // analysis rate; 0 keeps the native rate
    double maxSeconds = 4 * 3600.0;    // refuse anything longer (TooLong)
    double offsetSeconds = 0.0;        // decode an excerpt...
    double durationSeconds = 0.0;      // ...of this length (0 = to the end)
};

struct MonoAudio {
    std::vector<float> samples;
    double sampleRate = 0.0;
    AudioInfo source;
};

class AudioDecoder {
public:
    virtual ~AudioDecoder() = default;
    // Throws AudioError on any failure.
    virtual AudioInfo probe(const std::string& path) const = 0;
    // Decodes, downmixes to mono (channel mean) and resamples. Throws AudioError.
    virtual MonoAudio decodeMono(const std::string& path, const DecodeOptions& options = {}) const = 0;
    // File extensions (lower case, with dot) this decoder can read.
    virtual std::vector<std::string> supportedExtensions() const = 0;
};

// The default decoder (JUCE: WAV, AIFF, FLAC, Ogg Vorbis, MP3). Thread-safe.
std::shared_ptr<const AudioDecoder> defaultAudioDecoder();

// Writes audio in the format its extension names (.wav, .aif/.aiff, .flac, .ogg) with
// `channels` planar channels; bits = 16 or 24 (Ogg ignores it). Throws AudioError.
void writeAudio(const std::string& path, const std::vector<std::vector<float>>& channels, double sampleRate,
                int bitsPerSample = 24);
inline void writeMonoAudio(const std::string& path, const std::vector<float>& samples, double sampleRate)
{
    writeAudio(path, {samples}, sampleRate);
}

}  // namespace stemscope
