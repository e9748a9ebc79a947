#pragma once
// Plain data of the built-in listening test (issue 10, docs/listening-test.md): trials as
// generated, answers as stored. Qt-free.
#include <cstdint>
#include <string>
#include <vector>

#include "embedding/Focus.h"

namespace stemscope::listening {

// Similarity: "which of A and B is more similar to X under the focus?" (the paper's test).
// Abx: classic discrimination: X is a copy of A or of B, "which one is X?".
enum class Mode { Similarity, Abx };

inline const char* modeName(Mode m) { return m == Mode::Abx ? "abx" : "similarity"; }
inline Mode modeFromName(const std::string& s) { return s == "abx" ? Mode::Abx : Mode::Similarity; }

// One A/B/X set. Track ids are library track ids.
struct Trial {
    int index = 0;                 // 0-based position in the session
    bool training = false;         // part of the training round: shown, stored, never counted
    Mode mode = Mode::Similarity;
    Focus focus = Focus::Mix;      // the question's focus (also what is played: its stem)
    Focus negativeSpace = Focus::Mix; // where the negative came from (mix, or an instrument for focus mix)
    int64_t anchor = 0;            // X's source track (similarity mode)
    int64_t positive = 0;          // 1st/2nd neighbour of the anchor in the focus space
    int64_t negative = 0;          // 1st/2nd neighbour of the anchor in the negative space
    int64_t a = 0, b = 0;          // what the A and B buttons play
    int64_t x = 0;                 // what the X button plays (anchor; in ABX mode a copy of A or B)
    std::string expected;          // "A" or "B": the model's answer (similarity) / the right answer (ABX)
    double xStart = 0, aStart = 0, bStart = 0; // excerpt start seconds in each file
};

struct Answer {
    int trialIndex = 0;
    std::string answer;            // "A" or "B"
    bool confident = false;
    int64_t responseMs = 0;
};

}  // namespace stemscope::listening
