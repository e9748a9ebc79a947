#pragma once
// One CSV field (RFC 4180): returned as it is unless it holds a comma, quote or line break, then
// quoted with inner quotes doubled. Shared by the CSV exports (library, listening tests).
#include <string>

namespace stemscope {

inline std::string csvField(const std::string& v)
{
    if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
    std::string o = "\"";
    for (char c : v) {
        if (c == '"') o += '"';
        o += c;
    }
    return o + "\"";
}

}  // namespace stemscope
