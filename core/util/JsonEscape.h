#pragma once
// JSON string escaping for the hand-written JSON writers (corpus meta.json, listening-test export,
// CLI --json output): one implementation so every file escapes the same way.
#include <string>

namespace stemscope {

// Appends the body of a JSON string literal for `s` (no surrounding quotes): '"', '\\', '\n', '\r'
// and '\t' as two-character escapes, other bytes below 0x20 as \u00XX, every other byte (UTF-8
// included) as it is.
void appendJsonEscaped(std::string& out, const std::string& s);

// The same, as a new string.
std::string jsonEscape(const std::string& s);

}  // namespace stemscope
