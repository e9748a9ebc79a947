#include "audio/StreamIntegrity.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>

namespace stemscope {
namespace {

namespace fs = std::filesystem;

struct FileBytes {
    std::ifstream in;
    int64_t size = 0;
    explicit FileBytes(const std::string& path) : in(fs::u8path(path), std::ios::binary)
    {
        std::error_code ec;
        size = in ? int64_t(fs::file_size(fs::u8path(path), ec)) : 0;
        if (ec) size = 0;
    }
    // Bytes [offset, offset + count) clipped to the file.
    std::vector<uint8_t> read(int64_t offset, int64_t count)
    {
        offset = std::clamp<int64_t>(offset, 0, size);
        count = std::clamp<int64_t>(count, 0, size - offset);
        std::vector<uint8_t> b(static_cast<size_t>(count));
        in.clear();
        in.seekg(offset);
        in.read(reinterpret_cast<char*>(b.data()), std::streamsize(count));
        b.resize(size_t(std::max<std::streamsize>(0, in.gcount())));
        return b;
    }
};

// Size of an ID3v2 tag at the start of `b` (0 when there is none).
int64_t id3v2Size(const std::vector<uint8_t>& b)
{
    if (b.size() < 10 || b[0] != 'I' || b[1] != 'D' || b[2] != '3') return 0;
    if ((b[6] | b[7] | b[8] | b[9]) & 0x80) return 0;
    const int64_t n = (int64_t(b[6]) << 21) | (int64_t(b[7]) << 14) | (int64_t(b[8]) << 7) | int64_t(b[9]);
    return 10 + n + ((b[5] & 0x10) ? 10 : 0);
}

// ---- FLAC ---------------------------------------------------------------------------------

uint8_t crc8(const uint8_t* p, size_t n)
{
    uint8_t c = 0;
    for (size_t i = 0; i < n; ++i) {
        c ^= p[i];
        for (int k = 0; k < 8; ++k) c = uint8_t((c & 0x80) ? (c << 1) ^ 0x07 : (c << 1));
    }
    return c;
}

uint16_t crc16(const uint8_t* p, size_t n)
{
    static const auto table = [] {
        std::vector<uint16_t> t(256);
        for (int i = 0; i < 256; ++i) {
            uint16_t c = uint16_t(i << 8);
            for (int k = 0; k < 8; ++k) c = uint16_t((c & 0x8000) ? (c << 1) ^ 0x8005 : (c << 1));
            t[size_t(i)] = c;
        }
        return t;
    }();
    uint16_t c = 0;
    for (size_t i = 0; i < n; ++i) c = uint16_t((c << 8) ^ table[((c >> 8) ^ p[i]) & 0xff]);
    return c;
}

struct FlacFrameHeader {
    bool ok = false;
    bool variable = false;
    uint64_t number = 0; // frame number (fixed block size) or first sample (variable)
    int blockSize = 0;
};

FlacFrameHeader parseFlacFrameHeader(const uint8_t* p, size_t avail)
{
    FlacFrameHeader h;
    if (avail < 6 || p[0] != 0xFF || (p[1] & 0xFE) != 0xF8) return h;
    const int bsCode = p[2] >> 4, srCode = p[2] & 15, chan = p[3] >> 4, ss = (p[3] >> 1) & 7;
    if (bsCode == 0 || srCode == 15 || chan > 10 || ss == 3 || (p[3] & 1)) return h;
    size_t i = 4;
    // UTF-8-like coded number, 1..7 bytes.
    const uint8_t lead = p[i];
    int extra = 0;
    uint64_t v = 0;
    if (!(lead & 0x80)) v = lead;
    else if ((lead & 0xE0) == 0xC0) { v = lead & 0x1F; extra = 1; }
    else if ((lead & 0xF0) == 0xE0) { v = lead & 0x0F; extra = 2; }
    else if ((lead & 0xF8) == 0xF0) { v = lead & 0x07; extra = 3; }
    else if ((lead & 0xFC) == 0xF8) { v = lead & 0x03; extra = 4; }
    else if ((lead & 0xFE) == 0xFC) { v = lead & 0x01; extra = 5; }
    else if (lead == 0xFE) { v = 0; extra = 6; }
    else return h;
    ++i;
    for (int k = 0; k < extra; ++k, ++i) {
        if (i >= avail || (p[i] & 0xC0) != 0x80) return h;
        v = (v << 6) | (p[i] & 0x3F);
    }
    int bs = 0;
    if (bsCode == 1) bs = 192;
    else if (bsCode <= 5) bs = 576 << (bsCode - 2);
    else if (bsCode == 6) { if (i >= avail) return h; bs = p[i++] + 1; }
    else if (bsCode == 7) { if (i + 1 >= avail) return h; bs = ((p[i] << 8) | p[i + 1]) + 1; i += 2; }
    else bs = 256 << (bsCode - 8);
    if (srCode == 12) i += 1;
    else if (srCode == 13 || srCode == 14) i += 2;
    if (i >= avail || crc8(p, i) != p[i]) return h;
    h.ok = true;
    h.variable = (p[1] & 1) != 0;
    h.number = v;
    h.blockSize = bs;
    return h;
}

// ---- Ogg ----------------------------------------------------------------------------------

uint32_t oggCrc(const uint8_t* p, size_t n)
{
    static const auto table = [] {
        std::vector<uint32_t> t(256);
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i << 24;
            for (int k = 0; k < 8; ++k) c = (c & 0x80000000u) ? (c << 1) ^ 0x04C11DB7u : (c << 1);
            t[i] = c;
        }
        return t;
    }();
    uint32_t c = 0;
    for (size_t i = 0; i < n; ++i) c = (c << 8) ^ table[((c >> 24) ^ p[i]) & 0xff];
    return c;
}

// ---- MPEG audio ---------------------------------------------------------------------------

struct MpegHeader {
    bool ok = false;
    int version = 0; // 1, 2, or 25 (2.5)
    int layer = 0;
    int sampleRate = 0;
    int channels = 0;
    int frameBytes = 0;
    int samples = 0;
    bool sameStream(const MpegHeader& o) const
    {
        return version == o.version && layer == o.layer && sampleRate == o.sampleRate;
    }
};

MpegHeader parseMpegHeader(const uint8_t* p)
{
    MpegHeader h;
    if (p[0] != 0xFF || (p[1] & 0xE0) != 0xE0) return h;
    const int ver = (p[1] >> 3) & 3, lay = (p[1] >> 1) & 3, br = p[2] >> 4, sr = (p[2] >> 2) & 3,
              pad = (p[2] >> 1) & 1, mode = p[3] >> 6, emph = p[3] & 3;
    if (ver == 1 || lay == 0 || br == 0 || br == 15 || sr == 3 || emph == 2) return h;
    static const int kBitrates[5][16] = {
        {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448, 0}, // V1 L1
        {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 0},    // V1 L2
        {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0},     // V1 L3
        {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256, 0},    // V2 L1
        {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0},         // V2 L2/L3
    };
    static const int kRates[3] = {44100, 48000, 32000};
    h.version = ver == 3 ? 1 : ver == 2 ? 2 : 25;
    h.layer = 4 - lay;
    const int row = h.version == 1 ? h.layer - 1 : (h.layer == 1 ? 3 : 4);
    const int kbps = kBitrates[row][br];
    h.sampleRate = kRates[sr] / (h.version == 1 ? 1 : h.version == 2 ? 2 : 4);
    h.channels = mode == 3 ? 1 : 2;
    if (h.layer == 1) {
        h.frameBytes = (12 * kbps * 1000 / h.sampleRate + pad) * 4;
        h.samples = 384;
    } else if (h.layer == 2 || h.version == 1) {
        h.frameBytes = 144 * kbps * 1000 / h.sampleRate + pad;
        h.samples = 1152;
    } else {
        h.frameBytes = 72 * kbps * 1000 / h.sampleRate + pad;
        h.samples = 576;
    }
    h.ok = h.frameBytes >= 21;
    return h;
}

// Granule position of an Ogg page (for Vorbis: samples decoded by the end of the page); -1 if none.
int64_t oggGranule(const uint8_t* page)
{
    uint64_t g = 0;
    for (int b = 7; b >= 0; --b) g = g << 8 | page[6 + b];
    return g == ~uint64_t(0) ? -1 : int64_t(g);
}

// Size of the complete, CRC-valid Ogg page starting at bytes[i], or 0 if there is none.
int64_t completeOggPage(const std::vector<uint8_t>& bytes, int64_t i)
{
    const uint8_t* p = bytes.data() + i;
    if (i + 27 > int64_t(bytes.size()) || p[0] != 'O' || p[1] != 'g' || p[2] != 'g' || p[3] != 'S' || p[4] != 0) return 0;
    const int nseg = p[26];
    if (i + 27 + nseg > int64_t(bytes.size())) return 0;
    int64_t size = 27 + nseg;
    for (int s = 0; s < nseg; ++s) size += p[27 + s];
    if (i + size > int64_t(bytes.size())) return 0;
    std::vector<uint8_t> page(p, p + size);
    const uint32_t stored = uint32_t(page[22]) | uint32_t(page[23]) << 8 | uint32_t(page[24]) << 16 | uint32_t(page[25]) << 24;
    page[22] = page[23] = page[24] = page[25] = 0;
    return oggCrc(page.data(), page.size()) == stored ? size : 0;
}

// The highest granule position (samples decoded) among the complete, CRC-valid pages of `bytes`;
// pages that end no packet carry no position (-1) and are passed over. -1 if there is none.
int64_t lastOggGranule(const std::vector<uint8_t>& bytes)
{
    for (int64_t i = int64_t(bytes.size()) - 27; i >= 0; --i)
        if (completeOggPage(bytes, i) > 0)
            if (const int64_t g = oggGranule(bytes.data() + i); g >= 0) return g;
    return -1;
}

}  // namespace

int64_t pcmDataOffset(const std::string& path)
{
    FileBytes f(path);
    const auto h = f.read(0, 12);
    if (h.size() < 12) return -1;
    auto is = [](const uint8_t* p, const char* id) { return std::equal(id, id + 4, p); };
    const bool riff = (is(h.data(), "RIFF") || is(h.data(), "RF64")) && is(h.data() + 8, "WAVE");
    const bool aiff = is(h.data(), "FORM") && (is(h.data() + 8, "AIFF") || is(h.data() + 8, "AIFC"));
    if (!riff && !aiff) return -1;
    int64_t pos = 12;
    for (int guard = 0; guard < 10000 && pos + 8 <= f.size; ++guard) {
        const auto c = f.read(pos, 16);
        if (c.size() < 8) return -1;
        const uint32_t size = riff ? uint32_t(c[4]) | uint32_t(c[5]) << 8 | uint32_t(c[6]) << 16 | uint32_t(c[7]) << 24
                                   : uint32_t(c[4]) << 24 | uint32_t(c[5]) << 16 | uint32_t(c[6]) << 8 | uint32_t(c[7]);
        if (riff && is(c.data(), "data")) return pos + 8;
        if (aiff && is(c.data(), "SSND")) {
            if (c.size() < 12) return -1;
            const uint32_t offset = uint32_t(c[8]) << 24 | uint32_t(c[9]) << 16 | uint32_t(c[10]) << 8 | uint32_t(c[11]);
            return pos + 16 + offset;
        }
        pos += 8 + int64_t(size) + (size & 1); // chunks are padded to even sizes
    }
    return -1;
}

IntegrityResult checkFlacComplete(const std::string& path)
{
    FileBytes f(path);
    if (f.size < 42) return {false, "file too short for a FLAC stream"};
    auto head = f.read(0, 1 << 16);
    int64_t pos = id3v2Size(head);
    auto magic = f.read(pos, 4);
    if (magic.size() < 4 || magic[0] != 'f' || magic[1] != 'L' || magic[2] != 'a' || magic[3] != 'C')
        return {false, "no fLaC signature"};
    pos += 4;
    uint64_t total = 0;
    int maxFrame = 0, nominalBlock = 0;
    for (bool last = false; !last;) {
        const auto h = f.read(pos, 4);
        if (h.size() < 4) return {false, "metadata cut short"};
        last = (h[0] & 0x80) != 0;
        const int type = h[0] & 0x7F;
        const int64_t len = (int64_t(h[1]) << 16) | (int64_t(h[2]) << 8) | h[3];
        if (type == 0) {
            const auto si = f.read(pos + 4, 34);
            if (si.size() < 34) return {false, "STREAMINFO cut short"};
            nominalBlock = (si[2] << 8) | si[3];
            maxFrame = (si[7] << 16) | (si[8] << 8) | si[9];
            total = (uint64_t(si[13] & 0x0F) << 32) | (uint64_t(si[14]) << 24) | (uint64_t(si[15]) << 16) |
                    (uint64_t(si[16]) << 8) | uint64_t(si[17]);
        }
        pos += 4 + len;
        if (pos > f.size) return {false, "metadata extends past the end of the file"};
    }
    const int64_t audioStart = pos;
    int64_t end = f.size;
    if (end - audioStart >= 128) {
        const auto tag = f.read(end - 128, 3);
        if (tag.size() == 3 && tag[0] == 'T' && tag[1] == 'A' && tag[2] == 'G') end -= 128; // ID3v1
    }
    if (end - audioStart < 8) {
        if (total == 0) return {}; // an empty stream, complete as such
        return {false, "no audio frames after the metadata"};
    }
    const int64_t window = std::min<int64_t>(end - audioStart, std::max<int64_t>(int64_t(maxFrame) * 2 + 64, 1 << 20));
    const auto tail = f.read(end - window, window);
    if (int64_t(tail.size()) != window) return {false, "read error"};
    // The last frame is the one whose CRC-16 (the final two bytes) covers it exactly to the end.
    const uint16_t want = uint16_t((tail[tail.size() - 2] << 8) | tail[tail.size() - 1]);
    for (int64_t i = int64_t(tail.size()) - 8; i >= 0; --i) {
        if (tail[size_t(i)] != 0xFF || (tail[size_t(i) + 1] & 0xFE) != 0xF8) continue;
        const auto h = parseFlacFrameHeader(tail.data() + i, tail.size() - size_t(i));
        if (!h.ok || crc16(tail.data() + i, tail.size() - size_t(i) - 2) != want) continue;
        if (total == 0) return {}; // length unknown to the header: nothing to compare with
        // Variable-block streams number samples; fixed-block streams number frames, each of the
        // nominal (STREAMINFO) block size except possibly the last.
        const uint64_t first = h.variable ? h.number : h.number * uint64_t(nominalBlock);
        const uint64_t last = first + uint64_t(h.blockSize);
        if (last >= total) return {};
        return {false, "stream ends at sample " + std::to_string(last) + " of " + std::to_string(total), int64_t(last),
                int64_t(total)};
    }
    // The file ends inside a frame: the last frame header (its own CRC-8 valid) starts the cut frame;
    // every sample before it decodes.
    for (int64_t i = int64_t(tail.size()) - 6; i >= 0; --i) {
        if (tail[size_t(i)] != 0xFF || (tail[size_t(i) + 1] & 0xFE) != 0xF8) continue;
        const auto h = parseFlacFrameHeader(tail.data() + i, tail.size() - size_t(i));
        if (!h.ok) continue;
        const uint64_t first = h.variable ? h.number : h.number * uint64_t(nominalBlock);
        return {false, "last FLAC frame cut short (file ends inside the frame starting at sample " + std::to_string(first) + ")",
                int64_t(first), int64_t(total)};
    }
    return {false, "last FLAC frame incomplete or damaged (file cut short?)", -1, int64_t(total)};
}

IntegrityResult checkOggComplete(const std::string& path)
{
    FileBytes f(path);
    if (f.size < 28) return {false, "file too short for an Ogg stream"};
    const int64_t window = std::min<int64_t>(f.size, 65536 + 300);
    const auto tail = f.read(f.size - window, window);
    if (int64_t(tail.size()) != window) return {false, "read error"};
    for (int64_t i = int64_t(tail.size()) - 27; i >= 0; --i) {
        const int64_t size = completeOggPage(tail, i);
        if (size == 0 || i + size != int64_t(tail.size())) continue; // not a page ending exactly at EOF
        if (!(tail[size_t(i) + 5] & 0x04))
            return {false, "last Ogg page lacks the end-of-stream flag (file cut short?)", lastOggGranule(tail)};
        return {};
    }
    // The file ends inside a page: the last complete page before it says how far decoding gets.
    if (const int64_t g = lastOggGranule(tail); g > 0) return {false, "file ends inside an Ogg page (file cut short?)", g};
    return {false, "file does not end with a complete Ogg page (file cut short?)"};
}

Mp3Scan scanMpegAudio(const std::string& path)
{
    Mp3Scan r;
    FileBytes f(path);
    const auto head = f.read(0, 1 << 16);
    const int64_t start = id3v2Size(head);
    const auto buf = f.read(start, (1 << 16) + 8 * 1441);
    // First offset where 4 consecutive frames chain with consistent parameters.
    int64_t first = -1;
    MpegHeader h0;
    for (size_t i = 0; i + 4 <= buf.size() && i < (1u << 16) && first < 0; ++i) {
        const auto h = parseMpegHeader(buf.data() + i);
        if (!h.ok) continue;
        size_t pos = i + size_t(h.frameBytes);
        int chained = 1;
        while (chained < 4 && pos + 4 <= buf.size()) {
            const auto n = parseMpegHeader(buf.data() + pos);
            if (!n.ok || !n.sameStream(h)) break;
            ++chained;
            pos += size_t(n.frameBytes);
        }
        // Very short files: every frame up to the end of the file chains.
        if (chained >= 4 || (pos == buf.size() && int64_t(buf.size()) + start == f.size && chained >= 1)) {
            first = start + int64_t(i);
            h0 = h;
        }
    }
    if (first < 0) {
        r.detail = "no run of consecutive MPEG audio frame headers";
        return r;
    }
    r.sampleRate = h0.sampleRate;
    r.channels = h0.channels;
    // Xing/Info (LAME) or VBRI header frame: metadata, decodes to nothing; may state the frame count.
    int64_t announced = -1;
    {
        const auto fr = f.read(first, std::min(h0.frameBytes, 200));
        const size_t side = h0.version == 1 ? (h0.channels == 1 ? 17 : 32) : (h0.channels == 1 ? 9 : 17);
        auto at = [&](size_t o, const char* tag) {
            return o + 4 <= fr.size() && std::equal(tag, tag + 4, fr.begin() + long(o));
        };
        const size_t x = 4 + side;
        if (h0.layer == 3 && (at(x, "Xing") || at(x, "Info"))) {
            if (x + 12 <= fr.size() && (fr[x + 7] & 1))
                announced = (int64_t(fr[x + 8]) << 24) | (int64_t(fr[x + 9]) << 16) | (int64_t(fr[x + 10]) << 8) | fr[x + 11];
            r.frames = -1; // the header frame itself is not audio
        } else if (at(36, "VBRI")) {
            if (36 + 18 <= fr.size())
                announced = (int64_t(fr[36 + 14]) << 24) | (int64_t(fr[36 + 15]) << 16) | (int64_t(fr[36 + 16]) << 8) | fr[36 + 17];
            r.frames = -1;
        }
    }
    // Walk the frames in 1 MB chunks.
    int64_t pos = first;
    std::vector<uint8_t> chunk;
    int64_t chunkAt = 0;
    while (pos + 4 <= f.size) {
        if (pos < chunkAt || pos + 4 > chunkAt + int64_t(chunk.size())) {
            chunk = f.read(pos, 1 << 20);
            chunkAt = pos;
            if (chunk.size() < 4) break;
        }
        const auto h = parseMpegHeader(chunk.data() + (pos - chunkAt));
        if (!h.ok || !h.sameStream(h0)) break; // trailing tag (ID3v1, APE) or junk: the stream ends
        if (pos + h.frameBytes > f.size) {
            r.lastFrameCut = true;
            break;
        }
        ++r.frames;
        pos += h.frameBytes;
    }
    r.frames = std::max<int64_t>(0, r.frames);
    r.totalSamples = r.frames * h0.samples;
    if (announced > 0 && r.frames + 1 < announced) {
        r.detail = "stream ends after " + std::to_string(r.frames) + " of " + std::to_string(announced) +
                   " frames announced by its Xing/VBRI header";
        r.truncated = true;
        r.valid = true;
        return r;
    }
    r.valid = r.frames > 0;
    if (!r.valid) r.detail = "no complete MPEG audio frame";
    return r;
}

}  // namespace stemscope
