#pragma once
// Shared vocabulary of the corpus code: the five stem classes, a portable seeded RNG, errors.
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "util/SplitMix.h"

namespace stemscope::corpus {

enum class StemClass { Drums = 0, Bass = 1, Piano = 2, Guitar = 3, Other = 4 };
constexpr int kNumStemClasses = 5;
constexpr int kNumRequiredClasses = 4; // drums, bass, piano, guitar must all be audible
inline const std::array<const char*, kNumStemClasses>& stemClassNames()
{
    static const std::array<const char*, kNumStemClasses> names{"drums", "bass", "piano", "guitar", "other"};
    return names;
}
inline const char* stemClassName(StemClass c) { return stemClassNames()[size_t(c)]; }

// Slakh's program-number rule (channel 10 = drums is decided by the caller).
inline StemClass classOfProgram(int program)
{
    if (program >= 0 && program <= 7) return StemClass::Piano;
    if (program >= 24 && program <= 31) return StemClass::Guitar;
    if (program >= 32 && program <= 39) return StemClass::Bass;
    return StemClass::Other;
}

struct CorpusError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// splitmix64: tiny, portable and identical on every platform (std:: distributions are not).
class Rng {
public:
    explicit Rng(uint64_t seed) : state_(seed) {}
    uint64_t next() { return splitmix64(state_); }
    int uniformInt(int lo, int hi) { return lo + int(next() % uint64_t(hi - lo + 1)); } // inclusive
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    bool chance(double p) { return uniform() < p; }
    template <class T>
    const T& pick(const std::vector<T>& v) { return v.at(size_t(next() % v.size())); }

private:
    uint64_t state_;
};

inline uint64_t mixSeed(uint64_t a, uint64_t b)
{
    Rng r(a ^ (b * 0xD1B54A32D192ED03ULL + 0x2545F4914F6CDD1DULL));
    r.next();
    return r.next();
}

}  // namespace stemscope::corpus
