#include "audio/AudioDecoder.h"

#include <cstdio>

namespace stemscope {

std::string AudioInfo::partialNote() const
{
    if (damage.empty()) return {};
    char buf[96];
    if (announcedSamples > lengthSamples && sampleRate > 0)
        std::snprintf(buf, sizeof buf, "partial: %.1f s of %.1f s decoded", durationSeconds(), double(announcedSamples) / sampleRate);
    else
        std::snprintf(buf, sizeof buf, "partial: %.1f s decoded", durationSeconds());
    return std::string(buf) + " (" + damage + ")";
}

}  // namespace stemscope
