#pragma once
// Oracle tags and the similarity S between tracks (Prétet, Richard & Peeters, "Learning to rank
// music tracks using triplet loss", ICASSP 2020): each track gets a weighted multi-hot tag vector
// and S(t, u) is the cosine similarity of the two vectors.
//
// Tags are strings "field=value". Vocabulary of the synthetic (Slakh-like) corpus, read from each
// song's meta.json by tagsFromMeta() (field names are matched case-insensitively, anywhere in the
// document, so nested layouts work too):
//
//   field            tag                          from meta.json
//   ---------------  ---------------------------  ---------------------------------------------
//   style            style=<family>               "style_family" | "family" | "style" | "genre"
//   groove           groove=<name>                "groove"
//   tempo            tempo=<bucket>               "tempo_bucket", else "tempo"/"bpm" bucketed:
//                                                 slow < 90 <= medium < 120 <= fast < 150 <= veryfast
//   key              key=<tonic+mode>             "key" (e.g. "A minor" -> key=a_minor); plus
//                    mode=<major|minor>           the mode alone when the key names one
//   programs         program.<class>=<GM number>  "programs": {class: n | [n...]} or any object with
//                                                 "class"/"role"/"stem" and "program" members;
//                    class=<class>                one per instrument class present
//   soundfont        soundfont=<file stem>        "soundfont" (path or name)
//
// Our own corpus (meta.json "format": "stemscope-corpus-*") is read from its "tags" object only:
// style, groove, tempo, key_mode and mode, soundfont, melody=yes|no, and program.<class> (drumKit for
// drums) with class=<class> for each class that can be heard ("classes".<c>.audible, else .present);
// key_mode reads a minor key spelled as its chord ("Am") as a_minor. The recipe and the
// per-track records beside it describe how the song was made and are not read.
//
// Each field has a weight (TagWeights); the vector entry of a tag is weight(field) / (number of
// tags of that field on the track), so a track with three guitar programs does not outweigh
// its style. Users may give tags directly as key=value lists (parseTagList), e.g.
// "style=funk, groove=shuffle; tempo=fast program.bass=34".
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "dsp/Matrix.h"

namespace stemscope {

struct Tag {
    std::string field;
    std::string value;
    std::string text() const { return field + "=" + value; }
    bool operator<(const Tag& o) const { return text() < o.text(); }
    bool operator==(const Tag& o) const { return field == o.field && value == o.value; }
};
using TagList = std::vector<Tag>;

// Field weights; fields not listed get `otherWeight`.
struct TagWeights {
    std::map<std::string, double> byField{{"style", 2.0}, {"groove", 1.0}, {"tempo", 1.0}, {"key", 0.5},
                                          {"mode", 0.5},  {"class", 1.0},  {"program", 1.5}, {"soundfont", 1.0}};
    double otherWeight = 1.0;
    // "program.bass" -> weight of "program".
    double weight(const std::string& field) const;
};

// Lower-cases and replaces spaces/slashes with '_' (tag values are identifiers).
std::string normaliseTagValue(const std::string& v);
// "a=b, c=d; e=f g=h": separators are ',', ';' and whitespace; values may not contain them.
// Throws std::invalid_argument on an item without '='.
TagList parseTagList(const std::string& text);
std::string tagTempoBucket(double bpm);
// The tags of the listed fields only ("program" keeps "program.bass" too); an empty list keeps all.
// What an oracle restricted to some fields (e.g. style and groove) is computed from.
TagList keepFields(const TagList& tags, const std::vector<std::string>& fields);
// "style,groove" -> {"style", "groove"}; "" or "all" -> {} (every field).
std::vector<std::string> parseFieldList(const std::string& text);
TagList tagsFromMeta(const nlohmann::ordered_json& meta);
TagList tagsFromMetaFile(const std::string& path); // throws std::runtime_error

// Sorted set of tag strings seen on a collection; maps tags to vector positions.
class TagVocabulary {
public:
    TagVocabulary() = default;
    explicit TagVocabulary(const std::vector<TagList>& tracks);
    explicit TagVocabulary(std::vector<std::string> tags); // given order
    int size() const { return int(tags_.size()); }
    const std::vector<std::string>& tags() const { return tags_; }
    int index(const std::string& tag) const; // -1 when unknown
    // Weighted tag vector (see the header comment); tags outside the vocabulary are ignored.
    std::vector<float> vector(const TagList& tags, const TagWeights& w = {}) const;
    // Same weighting applied to soft scores (the auto-tagger's sigmoid outputs, one per tag):
    // entry j = w(field_j) * s_j / sum of s over the tags of that field.
    std::vector<float> vectorFromScores(const std::vector<float>& scores, const TagWeights& w = {}) const;
    // 0/1 targets for the auto-tagger.
    std::vector<float> multiHot(const TagList& tags) const;
    // Field of a vocabulary entry ("program.bass" for "program.bass=34").
    std::string fieldOf(int index) const;

private:
    std::vector<std::string> tags_;
    std::map<std::string, int> index_;
};

// Row-wise cosine similarity of the rows of `vectors` (n x d): an n x n matrix. A zero row has
// similarity 0 with everything (including itself).
Matrix cosineSimilarity(const Matrix& vectors);
// Stacks per-track vectors into an n x d matrix.
Matrix stackRows(const std::vector<std::vector<float>>& rows);

}  // namespace stemscope
