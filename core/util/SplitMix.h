#pragma once
// splitmix64: a tiny, portable random stream, identical on every platform and standard library
// (std:: distributions are not), for everything that must be reproducible from a seed.
#include <cstdint>

namespace stemscope {

inline uint64_t splitmix64(uint64_t& state)
{
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

}  // namespace stemscope
