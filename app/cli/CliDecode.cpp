#include "cli/CliDecode.h"

#include <iostream>

namespace stemscope::cli {

MonoAudio decodeReportingDamage(const std::string& path, const DecodeOptions& options)
{
    auto audio = defaultAudioDecoder()->decodeMono(path, options);
    if (audio.source.partial()) std::cerr << path << ": " << audio.source.partialNote() << "\n";
    return audio;
}

}  // namespace stemscope::cli
