#pragma once
// A minimal JSON reader (RFC 8259 subset: objects, arrays, strings with \uXXXX escapes (BMP),
// numbers, true/false/null). Enough to read a song's meta.json without a third-party library.
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace stemscope::json {

struct Value {
    enum class Type { Null, Bool, Number, String, Array, Object };
    Type type = Type::Null;
    bool boolean = false;
    double number = 0.0;
    std::string text;                                  // String
    std::vector<Value> items;                          // Array
    std::vector<std::pair<std::string, Value>> fields; // Object, in document order

    bool isObject() const { return type == Type::Object; }
    bool isArray() const { return type == Type::Array; }
    bool isString() const { return type == Type::String; }
    bool isNumber() const { return type == Type::Number; }
    // Object member or nullptr.
    const Value* find(const std::string& key) const;
};

// Throws std::runtime_error with the byte offset on malformed input.
Value parse(const std::string& text);
Value parseFile(const std::string& path);

}  // namespace stemscope::json
