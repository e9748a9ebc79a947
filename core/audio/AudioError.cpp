#include "audio/AudioError.h"

namespace stemscope {

const char* toString(AudioErrorKind kind)
{
    switch (kind) {
    case AudioErrorKind::FileNotFound: return "file not found";
    case AudioErrorKind::Unreadable: return "file unreadable";
    case AudioErrorKind::Empty: return "file is empty";
    case AudioErrorKind::NotAudio: return "not a recognised audio file";
    case AudioErrorKind::Truncated: return "audio data truncated";
    case AudioErrorKind::NoSamples: return "audio contains no samples";
    case AudioErrorKind::Unsupported: return "unsupported audio parameters";
    case AudioErrorKind::TooLong: return "audio too long";
    case AudioErrorKind::NonFinite: return "non-finite samples";
    }
    return "audio error";
}

AudioError::AudioError(AudioErrorKind kind, const std::string& path, const std::string& detail)
    : std::runtime_error(std::string(toString(kind)) + ": " + path + (detail.empty() ? "" : " (" + detail + ")")),
      kind_(kind), path_(path)
{
}

}  // namespace stemscope
