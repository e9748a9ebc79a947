// The JUCE-backed audio file writers (AudioWriter.h, writeAudio). JUCE headers stop at this file.
#include <juce_audio_formats/juce_audio_formats.h>

#include <algorithm>
#include <vector>

#include "audio/AudioDecoder.h"
#include "audio/AudioError.h"
#include "audio/AudioWriter.h"

namespace stemscope {
namespace {

constexpr int kBlock = 1 << 16;

class JuceStreamWriter final : public AudioStreamWriter {
public:
    JuceStreamWriter(std::string path, std::unique_ptr<juce::AudioFormatWriter> writer)
        : path_(std::move(path)), writer_(std::move(writer))
    {
    }
    ~JuceStreamWriter() override { writer_.reset(); }
    void append(const float* const* channels, int frames) override
    {
        if (!writer_) throw AudioError(AudioErrorKind::Unreadable, path_, "writer already closed");
        const int nch = int(writer_->getNumChannels());
        std::vector<const float*> offs(static_cast<size_t>(nch));
        for (int done = 0; done < frames;) {
            const int block = std::min(kBlock, frames - done);
            for (int c = 0; c < nch; ++c) offs[size_t(c)] = channels[c] + done;
            if (!writer_->writeFromFloatArrays(offs.data(), nch, block))
                throw AudioError(AudioErrorKind::Unreadable, path_, "write failed (disk full?)");
            done += block;
        }
    }
    void close() override
    {
        // Destroying the writer finishes the file (headers, FLAC STREAMINFO); write errors were
        // reported by append() (flush() is not a check: most JUCE writers do not support it).
        writer_.reset();
    }

private:
    std::string path_;
    std::unique_ptr<juce::AudioFormatWriter> writer_;
};

}  // namespace

std::unique_ptr<AudioStreamWriter> openAudioWriter(const std::string& path, double sampleRate, int channels, int bitsPerSample)
{
    if (channels < 1) throw AudioError(AudioErrorKind::NoSamples, path, "no channels to write");
    juce::File file(juce::String::fromUTF8(path.c_str()));
    const auto ext = file.getFileExtension().toLowerCase();
    std::unique_ptr<juce::AudioFormat> format;
    if (ext == ".wav" || ext == ".wave") format = std::make_unique<juce::WavAudioFormat>();
    else if (ext == ".aif" || ext == ".aiff") format = std::make_unique<juce::AiffAudioFormat>();
    else if (ext == ".flac") format = std::make_unique<juce::FlacAudioFormat>();
    else if (ext == ".ogg") format = std::make_unique<juce::OggVorbisAudioFormat>();
    else throw AudioError(AudioErrorKind::Unsupported, path, "cannot write extension " + ext.toStdString());

    file.getParentDirectory().createDirectory();
    file.deleteFile();
    auto stream = file.createOutputStream();
    if (!stream) throw AudioError(AudioErrorKind::Unreadable, path, "cannot create file");
    const int bits = ext == ".ogg" ? 16 : bitsPerSample;
    const int quality = ext == ".ogg" ? 5 : 0;
    std::unique_ptr<juce::AudioFormatWriter> writer(
        format->createWriterFor(stream.get(), sampleRate, unsigned(channels), bits, {}, quality));
    if (!writer) throw AudioError(AudioErrorKind::Unsupported, path, "format refused these parameters");
    stream.release(); // the writer owns the stream now
    return std::make_unique<JuceStreamWriter>(path, std::move(writer));
}

void writeAudio(const std::string& path, const std::vector<std::vector<float>>& channels, double sampleRate,
                int bitsPerSample)
{
    if (channels.empty()) throw AudioError(AudioErrorKind::NoSamples, path, "no channels to write");
    const size_t n = channels[0].size();
    std::vector<const float*> ptrs;
    for (const auto& c : channels) {
        if (c.size() != n) throw AudioError(AudioErrorKind::Unsupported, path, "channels differ in length");
        ptrs.push_back(c.data());
    }
    auto writer = openAudioWriter(path, sampleRate, int(channels.size()), bitsPerSample);
    writer->append(ptrs.data(), int(n));
    writer->close();
}

}  // namespace stemscope
