#pragma once
// Writing audio files block by block (the format follows the extension: .wav, .aif/.aiff, .flac,
// .ogg): long signals go to disk without ever being whole in memory. writeAudio (AudioDecoder.h)
// is the one-call form.
#include <memory>
#include <string>

namespace stemscope {

class AudioStreamWriter {
public:
    virtual ~AudioStreamWriter() = default;
    // `channels` planar pointers of `frames` samples each. Throws AudioError (disk full...).
    virtual void append(const float* const* channels, int frames) = 0;
    // Flushes and closes the file; the destructor closes too (without reporting errors).
    virtual void close() = 0;
};

// Creates (replacing) the file; bits = 16 or 24 (Ogg ignores it). Throws AudioError.
std::unique_ptr<AudioStreamWriter> openAudioWriter(const std::string& path, double sampleRate, int channels,
                                                   int bitsPerSample = 24);

}  // namespace stemscope
