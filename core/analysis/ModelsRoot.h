#pragma once
// Where the installed models are. An installed package keeps them next to its binaries
// (<prefix>/share/stemscope/models); a development build uses the source tree's models/;
// $STEMSCOPE_MODELS overrides both. The places looked at are kept so "no models" can say where.
#include <string>
#include <vector>

namespace stemscope {

struct ModelsRootSearch {
    std::string root;                  // the chosen folder (the first candidate if none holds models)
    bool found = false;                // `root` holds at least one model folder or pipelines.json
    std::vector<std::string> searched; // every candidate, in order
    std::string describe() const;      // "models from X" or "no models found (looked in A, B, C)"
};

// Candidates in order: $STEMSCOPE_MODELS (alone, when set), <executable dir>/../share/stemscope/models,
// <source tree>/models (development builds only).
ModelsRootSearch findModelsRoot();

// True if `dir` holds a model folder (<dir>/<name>/model.pt) or a pipelines.json.
bool holdsModels(const std::string& dir);

// The running executable's folder ("" if unknown); for tests, overridable.
std::string executableDir();

}  // namespace stemscope
