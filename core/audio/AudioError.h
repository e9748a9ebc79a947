#pragma once
// Typed audio errors: every decoding failure maps to one kind plus a human-readable message,
// so callers (import, CLI, GUI) can record and show it without parsing strings.
#include <stdexcept>
#include <string>

namespace stemscope {

enum class AudioErrorKind {
    FileNotFound,   // path does not exist (or vanished)
    Unreadable,     // exists but cannot be opened (permissions, directory, I/O error)
    Empty,          // zero bytes on disk
    NotAudio,       // no registered format recognised the content
    Truncated,      // header parsed but data shorter than announced / decode stopped early
    NoSamples,      // valid container with zero-length audio
    Unsupported,    // recognised but parameters we refuse (e.g. absurd sample rate)
    TooLong,        // longer than the caller's limit
    NonFinite,      // decodes to NaN/infinite samples (corrupt float data)
};

const char* toString(AudioErrorKind kind);

class AudioError : public std::runtime_error {
public:
    AudioError(AudioErrorKind kind, const std::string& path, const std::string& detail);
    AudioErrorKind kind() const noexcept { return kind_; }
    const std::string& path() const noexcept { return path_; }

private:
    AudioErrorKind kind_;
    std::string path_;
};

}  // namespace stemscope
