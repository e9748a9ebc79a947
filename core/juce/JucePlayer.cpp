// The JUCE-backed playback facade (audio/Player.h). JUCE headers stop at this file.
//
// Output goes through JUCE's ALSA device type, opened lazily on the first play. Files are
// streamed (AudioFormatReaderSource behind AudioTransportSource, with a read-ahead thread), so
// starting playback never decodes a whole song. A segment is an AudioSubsectionReader over the
// exact sample range [start, start + length), so it ends by itself at the segment boundary.
#include <juce_audio_devices/juce_audio_devices.h>
#include <juce_audio_formats/juce_audio_formats.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <mutex>

#include "audio/Player.h"

namespace stemscope {
namespace {

class JucePlayer final : public Player, private juce::AudioIODeviceCallback {
public:
    JucePlayer() : readAhead_("stemscope player read-ahead") { formats_.registerBasicFormats(); }

    ~JucePlayer() override
    {
        std::lock_guard<std::mutex> lock(mutex_);
        closeDeviceLocked();
        transport_.setSource(nullptr);
        readAhead_.stopThread(2000);
    }

    PlayerResult playFile(const std::string& path, double startSeconds) override
    {
        return load(path, startSeconds, -1.0);
    }

    PlayerResult playSegment(const std::string& path, double startSeconds, double lengthSeconds) override
    {
        if (!(lengthSeconds > 0) || !std::isfinite(lengthSeconds))
            return PlayerResult::failure("segment length must be positive");
        return load(path, startSeconds, lengthSeconds);
    }

    PlayerResult seek(double seconds) override
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!source_) return PlayerResult::failure("nothing loaded to seek in");
        if (!std::isfinite(seconds)) return PlayerResult::failure("invalid position");
        const double rel = std::clamp(seconds - windowStart_, 0.0, std::max(0.0, transport_.getLengthInSeconds()));
        transport_.setPosition(rel);
        return PlayerResult::success();
    }

    void stop() override
    {
        std::lock_guard<std::mutex> lock(mutex_);
        playing_ = false;
        if (device_ && device_->isPlaying()) transport_.stop();
    }

    bool isPlaying() const override { return playing_.load(); }

    double positionSeconds() const override
    {
        std::lock_guard<std::mutex> lock(mutex_);
        return source_ ? windowStart_ + transport_.getCurrentPosition() : 0.0;
    }

    double lengthSeconds() const override
    {
        std::lock_guard<std::mutex> lock(mutex_);
        return source_ ? transport_.getLengthInSeconds() : 0.0;
    }

    std::string currentPath() const override
    {
        std::lock_guard<std::mutex> lock(mutex_);
        return path_;
    }

    std::string deviceName() const override
    {
        std::lock_guard<std::mutex> lock(mutex_);
        return device_ ? device_->getName().toStdString() : std::string();
    }

    PlayerResult checkOutput() override
    {
        std::lock_guard<std::mutex> lock(mutex_);
        return openDeviceLocked();
    }

private:
    PlayerResult load(const std::string& path, double startSeconds, double lengthSeconds)
    {
        // Validate the file before touching the device, so a bad file reports the file problem.
        std::error_code ec;
        const auto p = std::filesystem::u8path(path);
        if (!std::filesystem::exists(p, ec)) return PlayerResult::failure("file not found: " + path);
        if (!std::filesystem::is_regular_file(p, ec)) return PlayerResult::failure("not a regular file: " + path);
        std::unique_ptr<juce::AudioFormatReader> reader(formats_.createReaderFor(juce::File(juce::String::fromUTF8(path.c_str()))));
        if (!reader) return PlayerResult::failure("not a readable audio file: " + path);
        const double rate = reader->sampleRate;
        if (!(rate > 0) || reader->lengthInSamples <= 0) return PlayerResult::failure("no audio samples in " + path);
        if (!std::isfinite(startSeconds) || startSeconds < 0) startSeconds = 0;
        const double total = double(reader->lengthInSamples) / rate;
        if (startSeconds >= total) return PlayerResult::failure("start position is past the end of " + path);

        std::lock_guard<std::mutex> lock(mutex_);
        if (auto r = openDeviceLocked(); !r) return r;

        transport_.stop();
        transport_.setSource(nullptr);
        source_.reset();
        playing_ = false;

        juce::AudioFormatReader* playable = reader.release();
        windowStart_ = 0.0;
        if (lengthSeconds > 0) {
            const auto first = juce::int64(std::llround(startSeconds * rate));
            const auto count = std::min<juce::int64>(juce::int64(std::llround(lengthSeconds * rate)), playable->lengthInSamples - first);
            playable = new juce::AudioSubsectionReader(playable, first, count, true);
            windowStart_ = double(first) / rate;
        }
        source_ = std::make_unique<juce::AudioFormatReaderSource>(playable, true);
        if (!readAhead_.isThreadRunning()) readAhead_.startThread();
        transport_.setSource(source_.get(), 1 << 15, &readAhead_, rate, 2);
        transport_.setPosition(lengthSeconds > 0 ? 0.0 : startSeconds);
        path_ = path;
        finishedReported_ = false;
        transport_.start();
        playing_ = true;
        return PlayerResult::success();
    }

    PlayerResult openDeviceLocked()
    {
        if (device_) return PlayerResult::success();
        if (!type_) type_.reset(juce::AudioIODeviceType::createAudioIODeviceType_ALSA());
        if (!type_) return PlayerResult::failure(kNoAudioDeviceError);
        type_->scanForDevices();
        const auto names = type_->getDeviceNames(false);
        if (names.isEmpty()) return PlayerResult::failure(kNoAudioDeviceError);
        // Try the default first, then every other output, until one opens.
        const int preferred = std::clamp(type_->getDefaultDeviceIndex(false), 0, names.size() - 1);
        std::string lastError;
        for (int k = 0; k < names.size(); ++k) {
            const int i = k == 0 ? preferred : (k <= preferred ? k - 1 : k);
            std::unique_ptr<juce::AudioIODevice> dev(type_->createDevice(names[i], {}));
            if (!dev) continue;
            juce::BigInteger outs;
            outs.setRange(0, 2, true);
            const auto rates = dev->getAvailableSampleRates();
            const double rate = rates.contains(44100.0) || rates.isEmpty() ? 44100.0 : rates[0];
            const juce::String err = dev->open({}, outs, rate, dev->getDefaultBufferSize());
            if (err.isNotEmpty() || !dev->isOpen()) {
                lastError = err.toStdString();
                continue;
            }
            device_ = std::move(dev);
            device_->start(this);
            return PlayerResult::success();
        }
        return PlayerResult::failure(std::string(kNoAudioDeviceError) + (lastError.empty() ? "" : " (" + lastError + ")"));
    }

    void closeDeviceLocked()
    {
        if (!device_) return;
        transport_.stop();
        device_->stop();
        device_->close();
        device_.reset();
        transport_.releaseResources();
    }

    // juce::AudioIODeviceCallback (audio thread)
    void audioDeviceIOCallbackWithContext(const float* const*, int, float* const* outputs, int numOutputs, int numSamples,
                                          const juce::AudioIODeviceCallbackContext&) override
    {
        juce::AudioBuffer<float> buffer(outputs, numOutputs, numSamples);
        buffer.clear();
        juce::AudioSourceChannelInfo info(&buffer, 0, numSamples);
        transport_.getNextAudioBlock(info);
        if (playing_ && transport_.hasStreamFinished() && !finishedReported_.exchange(true)) {
            playing_ = false;
            if (finished_) finished_();
        }
    }

    void audioDeviceAboutToStart(juce::AudioIODevice* device) override
    {
        transport_.prepareToPlay(device->getCurrentBufferSizeSamples(), device->getCurrentSampleRate());
    }

    void audioDeviceStopped() override { transport_.releaseResources(); }

    juce::AudioFormatManager formats_;
    juce::TimeSliceThread readAhead_;
    std::unique_ptr<juce::AudioIODeviceType> type_;
    std::unique_ptr<juce::AudioIODevice> device_;
    juce::AudioTransportSource transport_;
    std::unique_ptr<juce::AudioFormatReaderSource> source_;
    mutable std::mutex mutex_;
    std::string path_;
    double windowStart_ = 0.0;
    std::atomic<bool> playing_{false};
    std::atomic<bool> finishedReported_{false};
};

}  // namespace

std::unique_ptr<Player> createPlayer() { return std::make_unique<JucePlayer>(); }

}  // namespace stemscope
