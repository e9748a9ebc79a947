#include "util/ContentHash.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace stemscope {
namespace {

constexpr uint64_t kP1 = 0x9E3779B185EBCA87ull;
constexpr uint64_t kP2 = 0xC2B2AE3D27D4EB4Full;
constexpr uint64_t kFnvPrime = 0x100000001b3ull;

inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
inline uint64_t readLe64(const unsigned char* p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}
inline uint64_t fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    k ^= k >> 33;
    return k;
}

}  // namespace

ContentHasher::ContentHasher() : lanes_{kP1 + kP2, kP2, 0, 0ull - kP1} {}

void ContentHasher::block(const unsigned char* p)
{
    for (int i = 0; i < 4; ++i) lanes_[i] = rotl(lanes_[i] + readLe64(p + 8 * i) * kP2, 31) * kP1;
}

void ContentHasher::update(const void* data, size_t n)
{
    const auto* p = static_cast<const unsigned char*>(data);
    length_ += n;
    if (buffered_) {
        const size_t take = std::min(n, sizeof buf_ - buffered_);
        std::memcpy(buf_ + buffered_, p, take);
        buffered_ += take;
        p += take;
        n -= take;
        if (buffered_ < sizeof buf_) return;
        block(buf_);
        buffered_ = 0;
    }
    for (; n >= 32; p += 32, n -= 32) block(p);
    std::memcpy(buf_, p, n);
    buffered_ = n;
}

uint64_t ContentHasher::digest() const
{
    uint64_t h = rotl(lanes_[0], 1) + rotl(lanes_[1], 7) + rotl(lanes_[2], 12) + rotl(lanes_[3], 18);
    for (size_t i = 0; i < buffered_; ++i) h = (h ^ buf_[i]) * kFnvPrime;
    return fmix64(h ^ (length_ * kP1));
}

uint64_t contentHash(const void* data, size_t bytes)
{
    ContentHasher h;
    h.update(data, bytes);
    return h.digest();
}

uint64_t fileContentHash(const std::string& path, uint64_t* sizeOut)
{
    std::ifstream in(std::filesystem::u8path(path), std::ios::binary);
    if (!in) throw std::runtime_error("cannot read '" + path + "'");
    ContentHasher h;
    std::vector<char> buf(1 << 20);
    uint64_t total = 0;
    while (in) {
        in.read(buf.data(), std::streamsize(buf.size()));
        const auto got = in.gcount();
        if (got <= 0) break;
        h.update(buf.data(), size_t(got));
        total += uint64_t(got);
    }
    if (in.bad()) throw std::runtime_error("I/O error reading '" + path + "'");
    if (sizeOut) *sizeOut = total;
    return h.digest();
}

std::string hashToHex(uint64_t h)
{
    char s[17];
    std::snprintf(s, sizeof s, "%016llx", static_cast<unsigned long long>(h));
    return s;
}

}  // namespace stemscope
