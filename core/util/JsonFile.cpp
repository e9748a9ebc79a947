#include "util/JsonFile.h"

#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "util/AtomicFile.h"

namespace stemscope {

using nlohmann::ordered_json;

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one (overlong forms,
// surrogates and code points above U+10FFFF included).
size_t utf8SequenceLength(const std::string& s, size_t i)
{
    const auto at = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = at(i);
    if (c < 0x80) return 1;
    size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF; // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c == 0xE0) n = 3, lo = 0xA0;
    else if (c >= 0xE1 && c <= 0xEC) n = 3;
    else if (c == 0xED) n = 3, hi = 0x9F;
    else if (c >= 0xEE && c <= 0xEF) n = 3;
    else if (c == 0xF0) n = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) n = 4;
    else if (c == 0xF4) n = 4, hi = 0x8F;
    else return 0;
    if (i + n > s.size()) return 0;
    if (at(i + 1) < lo || at(i + 1) > hi) return 0;
    for (size_t k = 2; k < n; ++k)
        if (at(i + k) < 0x80 || at(i + k) > 0xBF) return 0;
    return n;
}

}  // namespace

std::string toValidUtf8(const std::string& bytes)
{
    std::string out;
    out.reserve(bytes.size());
    for (size_t i = 0; i < bytes.size();) {
        if (const size_t n = utf8SequenceLength(bytes, i)) {
            out.append(bytes, i, n);
            i += n;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

ordered_json readJsonFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    try {
        return ordered_json::parse(text);
    } catch (const ordered_json::parse_error& e) {
        // nlohmann rejects invalid UTF-8 that older writers let through; read it as U+FFFD.
        const std::string valid = toValidUtf8(text);
        if (valid != text) {
            auto v = ordered_json::parse(valid, nullptr, false);
            if (!v.is_discarded()) return v;
        }
        throw std::runtime_error(path + ": malformed JSON: " + e.what());
    }
}

void writeJsonFile(const std::string& path, const ordered_json& value)
{
    writeFileAtomically(path, [&](std::ostream& out) { out << dumpJson(value, 2) << '\n'; });
}

std::string dumpJson(const ordered_json& value, int indent)
{
    return value.dump(indent, ' ', false, ordered_json::error_handler_t::replace);
}

ordered_json jsonReal(double x)
{
    if (!std::isfinite(x)) return nullptr;
    if (x == std::floor(x) && std::fabs(x) < 1e15) return static_cast<int64_t>(x);
    return x;
}

ordered_json jsonRounded(double x, int digits)
{
    if (!std::isfinite(x)) return nullptr;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", digits, x);
    return jsonReal(std::strtod(buf, nullptr));
}

const ordered_json& jsonMember(const ordered_json& obj, const std::string& key)
{
    static const ordered_json null;
    if (!obj.is_object()) return null;
    const auto it = obj.find(key);
    return it == obj.end() ? null : *it;
}

double jsonNumber(const ordered_json& v, double fallback) { return v.is_number() ? v.get<double>() : fallback; }

std::string jsonText(const ordered_json& v, const std::string& fallback)
{
    return v.is_string() ? v.get<std::string>() : fallback;
}

bool jsonBool(const ordered_json& v, bool fallback) { return v.is_boolean() ? v.get<bool>() : fallback; }

}  // namespace stemscope
