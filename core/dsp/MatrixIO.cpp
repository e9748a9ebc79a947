#include "dsp/MatrixIO.h"
#include "util/AsciiLower.h"

#include <cctype>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace stemscope {
namespace {
static_assert(sizeof(float) == 4, "float32 required");

bool littleEndianHost()
{
    const uint16_t one = 1;
    unsigned char b;
    std::memcpy(&b, &one, 1);
    return b == 1;
}

std::ofstream openOut(const std::string& path)
{
    std::ofstream out(std::filesystem::u8path(path), std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + path);
    return out;
}

void writeFloats(std::ofstream& out, const Matrix& m, const std::string& path)
{
    if (!littleEndianHost()) throw std::runtime_error("big-endian hosts are not supported");
    out.write(reinterpret_cast<const char*>(m.data.data()), std::streamsize(m.data.size() * sizeof(float)));
    if (!out) throw std::runtime_error("write failed: " + path);
}

std::string extensionOf(const std::string& path)
{
    return asciiLower(std::filesystem::u8path(path).extension().string());
}
}  // namespace

void writeNpy(const std::string& path, const Matrix& m)
{
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(m.rows) + ", " +
                         std::to_string(m.cols) + "), }";
    // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n.
    const size_t total = ((10 + header.size() + 1 + 63) / 64) * 64;
    header.append(total - 10 - header.size() - 1, ' ');
    header.push_back('\n');
    auto out = openOut(path);
    const char magic[8] = {'\x93', 'N', 'U', 'M', 'P', 'Y', 1, 0};
    out.write(magic, 8);
    const uint16_t hl = uint16_t(header.size());
    const char len[2] = {char(hl & 0xff), char(hl >> 8)};
    out.write(len, 2);
    out.write(header.data(), std::streamsize(header.size()));
    writeFloats(out, m, path);
}

void writeRawF32(const std::string& path, const Matrix& m)
{
    auto out = openOut(path);
    const int32_t shape[2] = {m.rows, m.cols};
    if (!littleEndianHost()) throw std::runtime_error("big-endian hosts are not supported");
    out.write(reinterpret_cast<const char*>(shape), 8);
    writeFloats(out, m, path);
}

void writeMatrix(const std::string& path, const Matrix& m)
{
    if (extensionOf(path) == ".npy") writeNpy(path, m);
    else writeRawF32(path, m);
}

Matrix readMatrix(const std::string& path)
{
    std::ifstream in(std::filesystem::u8path(path), std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!littleEndianHost()) throw std::runtime_error("big-endian hosts are not supported");
    size_t offset = 0;
    long long rows = 0, cols = 0;
    if (bytes.size() >= 10 && bytes.compare(0, 6, "\x93NUMPY") == 0) {
        const int major = (unsigned char)bytes[6];
        size_t hl = 0;
        if (major == 1) {
            hl = (unsigned char)bytes[8] | size_t((unsigned char)bytes[9]) << 8;
            offset = 10;
        } else if (bytes.size() >= 12) {
            hl = 0;
            for (int i = 3; i >= 0; --i) hl = (hl << 8) | (unsigned char)bytes[8 + size_t(i)];
            offset = 12;
        }
        if (offset == 0 || offset + hl > bytes.size()) throw std::runtime_error("bad .npy header: " + path);
        const std::string h = bytes.substr(offset, hl);
        offset += hl;
        if (h.find("'<f4'") == std::string::npos) throw std::runtime_error(".npy is not little-endian float32: " + path);
        if (h.find("'fortran_order': True") != std::string::npos) throw std::runtime_error(".npy in Fortran order: " + path);
        const auto open = h.find('(', h.find("'shape'")), close = h.find(')', open);
        if (open == std::string::npos || close == std::string::npos) throw std::runtime_error("bad .npy shape: " + path);
        std::vector<long long> dims;
        std::string num;
        for (size_t i = open + 1; i <= close; ++i) {
            const char ch = h[i];
            if (std::isdigit((unsigned char)ch)) num.push_back(ch);
            else if (!num.empty()) {
                dims.push_back(std::stoll(num));
                num.clear();
            }
        }
        if (dims.size() == 1) { rows = 1; cols = dims[0]; }
        else if (dims.size() == 2) { rows = dims[0]; cols = dims[1]; }
        else throw std::runtime_error(".npy must be 1-D or 2-D: " + path);
    } else {
        if (bytes.size() < 8) throw std::runtime_error("raw f32 file too short: " + path);
        int32_t shape[2];
        std::memcpy(shape, bytes.data(), 8);
        rows = shape[0];
        cols = shape[1];
        offset = 8;
    }
    if (rows < 0 || cols < 0 || rows > (1 << 30) || cols > (1 << 30))
        throw std::runtime_error("implausible matrix shape in " + path);
    const size_t need = size_t(rows) * size_t(cols) * sizeof(float);
    if (bytes.size() - offset != need)
        throw std::runtime_error("matrix data size mismatch in " + path + ": expected " + std::to_string(need) +
                                 " bytes, found " + std::to_string(bytes.size() - offset));
    Matrix m{int(rows), int(cols)};
    std::memcpy(m.data.data(), bytes.data() + offset, need);
    return m;
}

}  // namespace stemscope
