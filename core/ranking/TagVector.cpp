#include "ranking/TagVector.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "util/JsonFile.h"
#include "util/AsciiLower.h"

namespace stemscope {
namespace {

using Json = nlohmann::ordered_json;

std::string scalarText(const Json& v)
{
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    if (v.is_number_float()) {
        const double x = v.get<double>();
        const double r = std::round(x);
        if (std::abs(x - r) < 1e-9) return std::to_string(static_cast<long long>(r));
        std::string s = std::to_string(x);
        while (!s.empty() && s.back() == '0') s.pop_back();
        return s;
    }
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    return {};
}

bool isScalar(const Json& v) { return v.is_string() || v.is_number() || v.is_boolean(); }

std::string fileStem(const std::string& path)
{
    auto slash = path.find_last_of("/\\");
    std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    auto dot = base.find_last_of('.');
    if (dot != std::string::npos && dot > 0) base = base.substr(0, dot);
    return base;
}

void addKey(TagList& out, const std::string& raw)
{
    const std::string k = normaliseTagValue(raw);
    if (k.empty()) return;
    out.push_back({"key", k});
    if (k.find("minor") != std::string::npos || (k.size() >= 1 && k.back() == 'm' && k.size() <= 3))
        out.push_back({"mode", "minor"});
    else if (k.find("major") != std::string::npos)
        out.push_back({"mode", "major"});
}

void addProgram(TagList& out, const std::string& cls, const Json& prog)
{
    const std::string c = normaliseTagValue(cls);
    if (c.empty()) return;
    if (prog.is_array()) {
        for (const auto& p : prog)
            if (isScalar(p)) out.push_back({"program." + c, normaliseTagValue(scalarText(p))});
    } else if (isScalar(prog)) {
        out.push_back({"program." + c, normaliseTagValue(scalarText(prog))});
    } else if (prog.is_object()) {
        if (const auto n = prog.find("program"); n != prog.end()) addProgram(out, cls, *n);
    }
}

// Objects are walked in document order (ordered_json, like the old reader): it decides which member
// wins when a record spells "class"/"program" several ways (e.g. "Program" and "program").
void walk(const Json& v, TagList& out)
{
    if (v.is_array()) {
        for (const auto& item : v) walk(item, out);
        return;
    }
    if (!v.is_object()) return;
    // An instrument record: {"class": "bass", "program": 34, ...}
    const Json* cls = nullptr;
    for (const char* k : {"class", "role", "stem", "inst_class", "instrument_class"})
        for (const auto& el : v.items())
            if (!cls && asciiLower(el.key()) == k && el.value().is_string()) cls = &el.value();
    const Json* prog = nullptr;
    for (const auto& el : v.items())
        if (asciiLower(el.key()) == "program") prog = &el.value();
    if (cls && prog) {
        addProgram(out, cls->get<std::string>(), *prog);
        out.push_back({"class", normaliseTagValue(cls->get<std::string>())});
    }
    for (const auto& el : v.items()) {
        const std::string key = asciiLower(el.key());
        const Json& val = el.value();
        if (cls && prog && (&val == cls || &val == prog)) continue;
        if (isScalar(val)) {
            const std::string s = scalarText(val);
            if (key == "style_family" || key == "family" || key == "style" || key == "genre")
                out.push_back({"style", normaliseTagValue(s)});
            else if (key == "groove")
                out.push_back({"groove", normaliseTagValue(s)});
            else if (key == "tempo_bucket")
                out.push_back({"tempo", normaliseTagValue(s)});
            else if ((key == "tempo" || key == "bpm") && val.is_number())
                out.push_back({"tempo", tagTempoBucket(val.get<double>())});
            else if (key == "key" && val.is_string())
                addKey(out, s);
            else if (key == "soundfont" || key == "sound_font" || key == "sf2")
                out.push_back({"soundfont", normaliseTagValue(fileStem(s))});
        } else if (key == "programs" && val.is_object()) {
            for (const auto& p : val.items()) {
                addProgram(out, p.key(), p.value());
                out.push_back({"class", normaliseTagValue(p.key())});
            }
        } else {
            walk(val, out);
        }
    }
}

}  // namespace

TagList keepFields(const TagList& tags, const std::vector<std::string>& fields)
{
    if (fields.empty()) return tags;
    TagList out;
    for (const auto& t : tags) {
        const std::string base = t.field.substr(0, t.field.find('.'));
        if (std::find(fields.begin(), fields.end(), base) != fields.end() ||
            std::find(fields.begin(), fields.end(), t.field) != fields.end())
            out.push_back(t);
    }
    return out;
}

std::vector<std::string> parseFieldList(const std::string& text)
{
    std::vector<std::string> out;
    if (text.empty() || text == "all") return out;
    std::string item;
    for (size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == ',') {
            if (item.empty()) throw std::invalid_argument("empty field name in '" + text + "'");
            out.push_back(item);
            item.clear();
        } else if (!std::isspace(static_cast<unsigned char>(text[i]))) {
            item += char(std::tolower(static_cast<unsigned char>(text[i])));
        }
    }
    return out;
}

double TagWeights::weight(const std::string& field) const
{
    const std::string base = field.substr(0, field.find('.'));
    auto it = byField.find(base);
    return it == byField.end() ? otherWeight : it->second;
}

std::string normaliseTagValue(const std::string& v)
{
    std::string out;
    for (char c : v) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (std::isspace(u) || c == '/' || c == '\\' || c == ',' || c == ';' || c == '=')
            out += '_';
        else
            out += char(std::tolower(u));
    }
    // Trim underscores at both ends and collapse runs.
    std::string collapsed;
    for (char c : out)
        if (!(c == '_' && (collapsed.empty() || collapsed.back() == '_'))) collapsed += c;
    while (!collapsed.empty() && collapsed.back() == '_') collapsed.pop_back();
    return collapsed;
}

std::string tagTempoBucket(double bpm)
{
    if (bpm < 90) return "slow";
    if (bpm < 120) return "medium";
    if (bpm < 150) return "fast";
    return "veryfast";
}

TagList parseTagList(const std::string& text)
{
    TagList out;
    std::string item;
    auto flush = [&] {
        if (item.empty()) return;
        const auto eq = item.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
            throw std::invalid_argument("tag '" + item + "' is not key=value");
        out.push_back({asciiLower(item.substr(0, eq)), normaliseTagValue(item.substr(eq + 1))});
        item.clear();
    };
    for (char c : text) {
        if (c == ',' || c == ';' || std::isspace(static_cast<unsigned char>(c)))
            flush();
        else
            item += c;
    }
    flush();
    return out;
}

namespace {

// Our corpus's meta.json ("format": "stemscope-corpus-*") says what a song is in its "tags" object;
// the rest of the file is how it was made (per-section groove variants, one record per MIDI track,
// classes rendered silent), which the generic walk would read as more tags: 400 one-off section
// grooves, a class's program once per track, the kit twice. So: the tags object, one program per
// class that sounds, nothing else.
bool isCorpusMeta(const Json& meta)
{
    const auto f = meta.find("format");
    const auto t = meta.find("tags");
    return f != meta.end() && f->is_string() && f->get<std::string>().rfind("stemscope-corpus", 0) == 0 && t != meta.end() &&
           t->is_object();
}

void corpusTags(const Json& meta, TagList& out)
{
    const Json& t = meta.at("tags");
    auto text = [&](const char* k) { return t.contains(k) && isScalar(t[k]) ? scalarText(t[k]) : std::string(); };
    if (const auto v = text("family"); !v.empty()) out.push_back({"style", normaliseTagValue(v)});
    if (const auto v = text("groove"); !v.empty()) out.push_back({"groove", normaliseTagValue(v)});
    if (t.contains("tempo") && t["tempo"].is_number()) out.push_back({"tempo", tagTempoBucket(t["tempo"].get<double>())});
    const std::string mode = normaliseTagValue(text("mode"));
    if (auto k = normaliseTagValue(text("key")); !k.empty()) {
        // The renderer spells a minor key as a chord ("Am"): the tonic is what precedes the "m".
        if (mode == "minor" && k.size() >= 2 && k.size() <= 3 && k.back() == 'm') k.pop_back();
        out.push_back({"key", mode.empty() ? k : k + "_" + mode});
    }
    if (!mode.empty()) out.push_back({"mode", mode});
    if (const auto v = text("soundfont"); !v.empty()) out.push_back({"soundfont", normaliseTagValue(fileStem(v))});
    if (t.contains("melody") && t["melody"].is_boolean()) out.push_back({"melody", t["melody"].get<bool>() ? "yes" : "no"});
    const Json* classes = meta.contains("classes") && meta["classes"].is_object() ? &meta["classes"] : nullptr;
    for (const char* cls : {"drums", "bass", "piano", "guitar", "other"}) {
        // A class the renderer left silent (or too quiet to hear) has a program in the recipe but is
        // not in the song: "audible" where the file says, else "present".
        if (classes && classes->contains(cls)) {
            const Json& c = (*classes)[cls];
            const char* flag = c.contains("audible") && c["audible"].is_boolean() ? "audible" : "present";
            if (c.contains(flag) && c[flag].is_boolean() && !c[flag].get<bool>()) continue;
        }
        const std::string key = std::string(cls) == "drums" ? "drumKit" : std::string(cls) + "Program";
        if (!t.contains(key)) continue;
        addProgram(out, cls, t[key]);
        out.push_back({"class", cls});
    }
}

}  // namespace

TagList tagsFromMeta(const nlohmann::ordered_json& meta)
{
    TagList out;
    if (isCorpusMeta(meta))
        corpusTags(meta, out);
    else
        walk(meta, out);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

TagList tagsFromMetaFile(const std::string& path) { return tagsFromMeta(readJsonFile(path)); }

TagVocabulary::TagVocabulary(const std::vector<TagList>& tracks)
{
    std::set<std::string> all;
    for (const auto& t : tracks)
        for (const auto& tag : t) all.insert(tag.text());
    *this = TagVocabulary(std::vector<std::string>(all.begin(), all.end()));
}

TagVocabulary::TagVocabulary(std::vector<std::string> tags) : tags_(std::move(tags))
{
    for (int i = 0; i < int(tags_.size()); ++i) index_[tags_[size_t(i)]] = i;
}

int TagVocabulary::index(const std::string& tag) const
{
    auto it = index_.find(tag);
    return it == index_.end() ? -1 : it->second;
}

std::string TagVocabulary::fieldOf(int i) const
{
    const std::string& t = tags_.at(size_t(i));
    return t.substr(0, t.find('='));
}

std::vector<float> TagVocabulary::vector(const TagList& tags, const TagWeights& w) const
{
    std::map<std::string, int> perField;
    for (const auto& t : tags)
        if (index(t.text()) >= 0) ++perField[t.field];
    std::vector<float> v(tags_.size(), 0.f);
    for (const auto& t : tags) {
        const int i = index(t.text());
        if (i >= 0) v[size_t(i)] = float(w.weight(t.field) / perField[t.field]);
    }
    return v;
}

std::vector<float> TagVocabulary::vectorFromScores(const std::vector<float>& scores, const TagWeights& w) const
{
    if (scores.size() != tags_.size()) throw std::invalid_argument("vectorFromScores: size mismatch");
    std::map<std::string, double> fieldSum;
    for (int i = 0; i < size(); ++i) fieldSum[fieldOf(i)] += std::max(0.f, scores[size_t(i)]);
    std::vector<float> v(tags_.size(), 0.f);
    for (int i = 0; i < size(); ++i) {
        const std::string f = fieldOf(i);
        const double sum = fieldSum[f];
        if (sum > 0) v[size_t(i)] = float(w.weight(f) * std::max(0.f, scores[size_t(i)]) / sum);
    }
    return v;
}

std::vector<float> TagVocabulary::multiHot(const TagList& tags) const
{
    std::vector<float> v(tags_.size(), 0.f);
    for (const auto& t : tags) {
        const int i = index(t.text());
        if (i >= 0) v[size_t(i)] = 1.f;
    }
    return v;
}

Matrix stackRows(const std::vector<std::vector<float>>& rows)
{
    if (rows.empty()) return {};
    Matrix m(int(rows.size()), int(rows[0].size()));
    for (int r = 0; r < m.rows; ++r) {
        if (int(rows[size_t(r)].size()) != m.cols) throw std::invalid_argument("stackRows: ragged rows");
        std::copy(rows[size_t(r)].begin(), rows[size_t(r)].end(), m.row(r));
    }
    return m;
}

Matrix cosineSimilarity(const Matrix& v)
{
    std::vector<double> norm(size_t(v.rows), 0.0);
    for (int r = 0; r < v.rows; ++r) {
        double s = 0;
        for (int j = 0; j < v.cols; ++j) s += double(v(r, j)) * v(r, j);
        norm[size_t(r)] = std::sqrt(s);
    }
    Matrix s(v.rows, v.rows, 0.f);
    for (int a = 0; a < v.rows; ++a)
        for (int b = a; b < v.rows; ++b) {
            if (norm[size_t(a)] == 0 || norm[size_t(b)] == 0) continue;
            double d = 0;
            for (int j = 0; j < v.cols; ++j) d += double(v(a, j)) * v(b, j);
            const float c = float(d / (norm[size_t(a)] * norm[size_t(b)]));
            s(a, b) = c;
            s(b, a) = c;
        }
    return s;
}

}  // namespace stemscope
