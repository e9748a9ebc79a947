#include "corpus/CorpusJson.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "util/JsonEscape.h"

namespace stemscope::corpus::json {

Value& Value::set(const std::string& key, Value v)
{
    if (type_ == Type::Null) type_ = Type::Object;
    if (type_ != Type::Object) throw std::logic_error("json: set() on a non-object");
    for (auto& f : fields_)
        if (f.first == key) return f.second = std::move(v);
    fields_.emplace_back(key, std::move(v));
    return fields_.back().second;
}

Value& Value::push(Value v)
{
    if (type_ == Type::Null) type_ = Type::Array;
    if (type_ != Type::Array) throw std::logic_error("json: push() on a non-array");
    items_.push_back(std::move(v));
    return items_.back();
}

const Value* Value::find(const std::string& key) const
{
    if (type_ != Type::Object) return nullptr;
    for (const auto& f : fields_)
        if (f.first == key) return &f.second;
    return nullptr;
}

const Value& Value::operator[](const std::string& key) const
{
    static const Value null;
    const Value* v = find(key);
    return v ? *v : null;
}

namespace {

void escapeTo(std::string& out, const std::string& s)
{
    out += '"';
    appendJsonEscaped(out, s);
    out += '"';
}

void numberTo(std::string& out, double v)
{
    if (!std::isfinite(v)) { out += "null"; return; }
    if (v == std::floor(v) && std::fabs(v) < 1e15) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.0f", v);
        out += buf;
        return;
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    out += buf;
}

}  // namespace

void Value::dumpTo(std::string& out, int indent, int depth) const
{
    auto newline = [&](int d) {
        if (indent < 0) return;
        out += '\n';
        out.append(size_t(indent * d), ' ');
    };
    switch (type_) {
    case Type::Null: out += "null"; break;
    case Type::Bool: out += bool_ ? "true" : "false"; break;
    case Type::Number:
        if (!text_.empty()) out += text_;
        else numberTo(out, num_);
        break;
    case Type::String: escapeTo(out, text_); break;
    case Type::Array: {
        // Arrays of scalars stay on one line: short and readable.
        bool scalars = true;
        for (const auto& i : items_) scalars = scalars && i.type_ != Type::Array && i.type_ != Type::Object;
        out += '[';
        for (size_t i = 0; i < items_.size(); ++i) {
            if (i) out += scalars || indent < 0 ? (indent < 0 ? "," : ", ") : ",";
            if (!scalars) newline(depth + 1);
            items_[i].dumpTo(out, indent, depth + 1);
        }
        if (!scalars && !items_.empty()) newline(depth);
        out += ']';
        break;
    }
    case Type::Object:
        out += '{';
        for (size_t i = 0; i < fields_.size(); ++i) {
            if (i) out += ',';
            newline(depth + 1);
            escapeTo(out, fields_[i].first);
            out += indent < 0 ? ":" : ": ";
            fields_[i].second.dumpTo(out, indent, depth + 1);
        }
        if (!fields_.empty()) newline(depth);
        out += '}';
        break;
    }
}

std::string Value::dump(int indent) const
{
    std::string out;
    dumpTo(out, indent, 0);
    return out;
}

namespace {

struct Parser {
    const std::string& s;
    size_t pos = 0;

    [[noreturn]] void fail(const std::string& what) const
    {
        throw std::runtime_error("json: " + what + " at byte " + std::to_string(pos));
    }
    void skipWs()
    {
        while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\n' || s[pos] == '\r' || s[pos] == '\t')) ++pos;
    }
    bool consume(const char* lit)
    {
        size_t n = std::char_traits<char>::length(lit);
        if (s.compare(pos, n, lit) == 0) { pos += n; return true; }
        return false;
    }
    static void appendUtf8(std::string& out, unsigned cp)
    {
        if (cp < 0x80) out += char(cp);
        else if (cp < 0x800) { out += char(0xC0 | (cp >> 6)); out += char(0x80 | (cp & 0x3F)); }
        else { out += char(0xE0 | (cp >> 12)); out += char(0x80 | ((cp >> 6) & 0x3F)); out += char(0x80 | (cp & 0x3F)); }
    }
    std::string parseString()
    {
        if (pos >= s.size() || s[pos] != '"') fail("expected string");
        ++pos;
        std::string out;
        while (true) {
            if (pos >= s.size()) fail("unterminated string");
            char c = s[pos++];
            if (c == '"') return out;
            if (c != '\\') { out += c; continue; }
            if (pos >= s.size()) fail("bad escape");
            char e = s[pos++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                if (pos + 4 > s.size()) fail("bad \\u escape");
                unsigned cp = unsigned(std::stoul(s.substr(pos, 4), nullptr, 16));
                pos += 4;
                appendUtf8(out, cp);
                break;
            }
            default: fail("bad escape");
            }
        }
    }
    Value parseValue()
    {
        skipWs();
        if (pos >= s.size()) fail("unexpected end");
        char c = s[pos];
        if (c == '{') {
            ++pos;
            Value obj = Value::object();
            skipWs();
            if (pos < s.size() && s[pos] == '}') { ++pos; return obj; }
            while (true) {
                skipWs();
                std::string key = parseString();
                skipWs();
                if (pos >= s.size() || s[pos] != ':') fail("expected ':'");
                ++pos;
                obj.set(key, parseValue());
                skipWs();
                if (pos < s.size() && s[pos] == ',') { ++pos; continue; }
                if (pos < s.size() && s[pos] == '}') { ++pos; return obj; }
                fail("expected ',' or '}'");
            }
        }
        if (c == '[') {
            ++pos;
            Value arr = Value::array();
            skipWs();
            if (pos < s.size() && s[pos] == ']') { ++pos; return arr; }
            while (true) {
                arr.push(parseValue());
                skipWs();
                if (pos < s.size() && s[pos] == ',') { ++pos; continue; }
                if (pos < s.size() && s[pos] == ']') { ++pos; return arr; }
                fail("expected ',' or ']'");
            }
        }
        if (c == '"') return Value(parseString());
        if (consume("true")) return Value(true);
        if (consume("false")) return Value(false);
        if (consume("null")) return Value();
        size_t start = pos;
        while (pos < s.size() && (std::isdigit((unsigned char)s[pos]) || s[pos] == '-' || s[pos] == '+' ||
                                  s[pos] == '.' || s[pos] == 'e' || s[pos] == 'E'))
            ++pos;
        if (start == pos) fail("unexpected character");
        try {
            return Value(std::stod(s.substr(start, pos - start)));
        } catch (const std::exception&) {
            fail("bad number");
        }
    }
};

}  // namespace

Value parse(const std::string& text)
{
    Parser p{text};
    Value v = p.parseValue();
    p.skipWs();
    if (p.pos != text.size()) p.fail("trailing characters");
    return v;
}

Value parseFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return parse(ss.str());
}

void writeFile(const std::string& path, const Value& v)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + path);
    out << v.dump(2) << '\n';
    if (!out) throw std::runtime_error("write failed: " + path);
}

}  // namespace stemscope::corpus::json
