#pragma once
// A tiny JSON value with a writer and a reader: enough for the corpus meta.json files
// (objects keep insertion order so files are stable and diffable). No third-party library.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace stemscope::corpus::json {

class Value {
public:
    enum class Type { Null, Bool, Number, String, Array, Object };

    Value() = default;
    Value(bool b) : type_(Type::Bool), bool_(b) {}
    Value(int v) : type_(Type::Number), num_(v) {}
    Value(int64_t v) : type_(Type::Number), num_(double(v)) {}
    Value(uint64_t v) : type_(Type::Number), num_(double(v)), text_(std::to_string(v)) {}
    Value(double v) : type_(Type::Number), num_(v) {}
    Value(const char* s) : type_(Type::String), text_(s) {}
    Value(std::string s) : type_(Type::String), text_(std::move(s)) {}
    static Value array() { Value v; v.type_ = Type::Array; return v; }
    static Value object() { Value v; v.type_ = Type::Object; return v; }

    Type type() const { return type_; }
    bool isNull() const { return type_ == Type::Null; }
    bool isObject() const { return type_ == Type::Object; }
    bool isArray() const { return type_ == Type::Array; }
    bool isString() const { return type_ == Type::String; }
    bool isNumber() const { return type_ == Type::Number; }

    // Object: sets (replacing) a member and returns it. Array: appends.
    Value& set(const std::string& key, Value v);
    Value& push(Value v);

    // Readers (defaults when absent or of another type).
    const Value* find(const std::string& key) const;
    const Value& operator[](const std::string& key) const; // null value when absent
    double number(double fallback = 0.0) const { return type_ == Type::Number ? num_ : fallback; }
    bool boolean(bool fallback = false) const { return type_ == Type::Bool ? bool_ : fallback; }
    const std::string& text() const { return text_; }
    const std::vector<Value>& items() const { return items_; }
    const std::vector<std::pair<std::string, Value>>& fields() const { return fields_; }

    // Compact when indent < 0, else pretty with that many spaces.
    std::string dump(int indent = 2) const;

private:
    void dumpTo(std::string& out, int indent, int depth) const;
    Type type_ = Type::Null;
    bool bool_ = false;
    double num_ = 0.0;
    std::string text_; // String, or exact digits of a uint64 number
    std::vector<Value> items_;
    std::vector<std::pair<std::string, Value>> fields_;
};

// Throws std::runtime_error (with byte offset) on malformed input.
Value parse(const std::string& text);
Value parseFile(const std::string& path);
void writeFile(const std::string& path, const Value& v); // throws std::runtime_error

}  // namespace stemscope::corpus::json
