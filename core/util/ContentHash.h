#pragma once
// Fast 64-bit content hash for duplicate/move detection (not cryptographic): four independent
// multiply-rotate lanes over 8-byte words (so the CPU overlaps them), FNV-1a over the tail,
// murmur3's fmix64 finaliser, length folded in. Several GB/s, stable across platforms
// (little-endian word reads are done explicitly).
#include <cstddef>
#include <cstdint>
#include <string>

namespace stemscope {

class ContentHasher {
public:
    ContentHasher();
    void update(const void* data, size_t bytes);
    uint64_t digest() const;

private:
    void block(const unsigned char* p);
    uint64_t lanes_[4];
    unsigned char buf_[32];
    size_t buffered_ = 0;
    uint64_t length_ = 0;
};

uint64_t contentHash(const void* data, size_t bytes);
// Hashes a whole file (u8 path). Throws std::runtime_error when it cannot be read.
uint64_t fileContentHash(const std::string& path, uint64_t* sizeOut = nullptr);
std::string hashToHex(uint64_t h);

}  // namespace stemscope
