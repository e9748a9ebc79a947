#pragma once
// Playback facade: the only door to the sound card for the rest of the program (the GUI uses it,
// the engine never needs it). No JUCE types leak out; the implementation is core/juce/JucePlayer.cpp.
//
// Everything is best-effort and non-throwing: each call returns a PlayerResult, and on a machine
// without an audio output device (CI, headless servers, containers) every play call fails fast
// with the message "no audio output device" instead of crashing or blocking. A stem is just an
// audio file on disk, so playing a stem is playFile(stemPath).
#include <functional>
#include <memory>
#include <string>

namespace stemscope {

struct PlayerResult {
    bool ok = true;
    std::string error; // human-readable, empty when ok
    explicit operator bool() const { return ok; }
    static PlayerResult success() { return {}; }
    static PlayerResult failure(std::string message) { return {false, std::move(message)}; }
};

inline constexpr const char* kNoAudioDeviceError = "no audio output device";
inline constexpr double kSegmentSeconds = 3.0;

class Player {
public:
    virtual ~Player() = default;

    // Whole file (or stem file) from `startSeconds` to its end.
    virtual PlayerResult playFile(const std::string& path, double startSeconds = 0.0) = 0;
    // Exactly [startSeconds, startSeconds + lengthSeconds) of the file, then stops by itself.
    virtual PlayerResult playSegment(const std::string& path, double startSeconds, double lengthSeconds = kSegmentSeconds) = 0;
    // Moves the play head within the current file (or segment window, relative to the file).
    virtual PlayerResult seek(double seconds) = 0;
    virtual void stop() = 0; // idempotent, never fails

    virtual bool isPlaying() const = 0;
    virtual double positionSeconds() const = 0; // position in the file
    virtual double lengthSeconds() const = 0;   // length of what is loaded (file or segment window)
    virtual std::string currentPath() const = 0;
    // Name of the output device once one was opened, else "".
    virtual std::string deviceName() const = 0;
    // Probes the output devices without playing anything: ok, or kNoAudioDeviceError / the driver's error.
    virtual PlayerResult checkOutput() = 0;

    // Called (on an audio/driver thread) when playback reaches the end by itself.
    void setFinishedCallback(std::function<void()> callback) { finished_ = std::move(callback); }

protected:
    std::function<void()> finished_;
};

// The JUCE-backed player (ALSA on Linux). Creating it never touches the hardware: the output
// device is opened lazily by the first play call (or checkOutput).
std::unique_ptr<Player> createPlayer();

}  // namespace stemscope
