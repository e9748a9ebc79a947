#pragma once
#include <string>

namespace stemscope {

// Lower-cases the ASCII letters only (file extensions, file names, tag words): the same in every
// locale, and the bytes of UTF-8 names are left as they are.
inline std::string asciiLower(std::string s)
{
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return s;
}

}  // namespace stemscope
