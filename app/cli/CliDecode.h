#pragma once
// Decoding for the one-file commands (decode, embed, features, separate): a file cut short is
// still used up to the damage, as the library does, but the command says so on stderr instead
// of passing a shorter signal off as the whole file.
#include <string>

#include "audio/AudioDecoder.h"

namespace stemscope::cli {

MonoAudio decodeReportingDamage(const std::string& path, const DecodeOptions& options);

}  // namespace stemscope::cli
