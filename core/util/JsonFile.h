#pragma once
// JSON documents (corpus meta.json, progress.json, exports) as nlohmann::ordered_json: objects keep
// insertion order, so written files are stable and diffable. Read and written whole; the writer
// replaces the file atomically. Lenient member readers for files written by hand or older versions.
#include <string>

#include <nlohmann/json.hpp>

namespace stemscope {

// Throws std::runtime_error naming the path when the file cannot be read or is not JSON. Files
// with invalid UTF-8 in strings (the old hand-written writer passed bytes through) still load:
// the bad bytes read as U+FFFD.
nlohmann::ordered_json readJsonFile(const std::string& path);
// Indent 2 plus a trailing newline, through PATH.tmp and a rename. Throws std::runtime_error.
void writeJsonFile(const std::string& path, const nlohmann::ordered_json& value);

// dump() that never throws on invalid UTF-8 (strings from file paths and tags): bad bytes become
// U+FFFD. Other UTF-8 is written as it is. Compact when indent < 0.
std::string dumpJson(const nlohmann::ordered_json& value, int indent = -1);

// x as a JSON number the way the old writers printed it: whole values as integers ("44100", not
// "44100.0"; readers see the same type as before), null when not finite.
nlohmann::ordered_json jsonReal(double x);
// The same, rounded to `digits` significant digits first (what printf's %g and iostreams print).
nlohmann::ordered_json jsonRounded(double x, int digits = 6);

// Invalid UTF-8 sequences replaced by U+FFFD (valid text comes back unchanged).
std::string toValidUtf8(const std::string& bytes);

// obj[key], or a null value when obj is not an object or lacks the key (const operator[] on a
// missing key is undefined behaviour in nlohmann).
const nlohmann::ordered_json& jsonMember(const nlohmann::ordered_json& obj, const std::string& key);
// The value as a number / string / bool, or `fallback` when it is of another type.
double jsonNumber(const nlohmann::ordered_json& v, double fallback = 0.0);
std::string jsonText(const nlohmann::ordered_json& v, const std::string& fallback = {});
bool jsonBool(const nlohmann::ordered_json& v, bool fallback = false);

}  // namespace stemscope
