#pragma once
// The listening focuses: the instrument-similarity method's five (mix and four instruments) and
// the learning-to-rank model's "style" (song similarity learned from tags, on the whole mix).
#include <array>
#include <optional>
#include <string>

namespace stemscope {

enum class Focus { Mix, Drums, Bass, Piano, Guitar, Style };

// The instrument-similarity method's focuses: one block each in the multi-focus mix model, one
// model folder each in the evaluation and the training wizard.
inline constexpr std::array<Focus, 5> kInstrumentFocuses{Focus::Mix, Focus::Drums, Focus::Bass, Focus::Piano,
                                                         Focus::Guitar};
// Every focus a library can be analysed and browsed by.
inline constexpr std::array<Focus, 6> kAllFocuses{Focus::Mix,   Focus::Drums,  Focus::Bass,
                                                  Focus::Piano, Focus::Guitar, Focus::Style};

inline const char* focusName(Focus f)
{
    switch (f) {
    case Focus::Mix: return "mix";
    case Focus::Drums: return "drums";
    case Focus::Bass: return "bass";
    case Focus::Piano: return "piano";
    case Focus::Guitar: return "guitar";
    case Focus::Style: return "style";
    }
    return "mix";
}

// Does this focus listen to one instrument's stem? (Mix and style listen to the whole mix, so
// they are played, and separated, as the mix.)
// Position of `f` in kInstrumentFocuses (a multi-focus model's block), -1 for the others (style).
inline int instrumentFocusIndex(Focus f)
{
    for (size_t i = 0; i < kInstrumentFocuses.size(); ++i)
        if (kInstrumentFocuses[i] == f) return int(i);
    return -1;
}

inline bool focusHasStem(Focus f) { return f != Focus::Mix && f != Focus::Style; }

inline std::optional<Focus> focusFromName(const std::string& name)
{
    for (Focus f : kAllFocuses)
        if (name == focusName(f)) return f;
    return std::nullopt;
}

}  // namespace stemscope
