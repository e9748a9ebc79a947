#pragma once
// The five listening focuses of the instrument-similarity method.
#include <array>
#include <optional>
#include <string>

namespace stemscope {

enum class Focus { Mix, Drums, Bass, Piano, Guitar };

inline constexpr std::array<Focus, 5> kAllFocuses{Focus::Mix, Focus::Drums, Focus::Bass, Focus::Piano, Focus::Guitar};

inline const char* focusName(Focus f)
{
    switch (f) {
    case Focus::Mix: return "mix";
    case Focus::Drums: return "drums";
    case Focus::Bass: return "bass";
    case Focus::Piano: return "piano";
    case Focus::Guitar: return "guitar";
    }
    return "mix";
}

inline std::optional<Focus> focusFromName(const std::string& name)
{
    for (Focus f : kAllFocuses)
        if (name == focusName(f)) return f;
    return std::nullopt;
}

}  // namespace stemscope
