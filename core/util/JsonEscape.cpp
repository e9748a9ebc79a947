#include "util/JsonEscape.h"

#include <cstdio>

namespace stemscope {

void appendJsonEscaped(std::string& out, const std::string& s)
{
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += char(c);
            }
        }
    }
}

std::string jsonEscape(const std::string& s)
{
    std::string out;
    appendJsonEscaped(out, s);
    return out;
}

}  // namespace stemscope
