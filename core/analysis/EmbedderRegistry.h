#pragma once
// Where embedders come from. The engine only ever sees an EmbedderSet (one embedder per focus).
// Model files live in <models root>/<focus>/ ; turning such a folder into an Embedder is the job
// of the installed factory: makeModelEmbedder (the shipped model kinds) unless another one was set
// with setEmbedderFactory (tests install their own).
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "embedding/Embedder.h"
#include "embedding/Focus.h"

namespace stemscope {

using EmbedderSet = std::map<Focus, std::shared_ptr<const Embedder>>;
// Returns nullptr when the folder holds no usable model; may throw with a reason.
using EmbedderFactory = std::function<std::shared_ptr<const Embedder>(Focus focus, const std::string& modelDir)>;

void setEmbedderFactory(EmbedderFactory factory);
EmbedderFactory embedderFactory();  // makeModelEmbedder unless replaced (may be set to empty)

// The default factory: a folder with model.rank holds a learning-to-rank model (RankEmbedder, the
// style focus), one with model.pt an instrument-similarity CNN (TorchEmbedder); nullptr otherwise.
std::shared_ptr<const Embedder> makeModelEmbedder(Focus focus, const std::string& modelDir);

// findModelsRoot().root: $STEMSCOPE_MODELS, else the installed models, else the source tree's.
std::string defaultModelsRoot();

// The folder under `modelsRoot` whose model serves `focus`: what <modelsRoot>/pipelines.json maps
// the focus to ({"focus_models": {"drums": "mixfocus", ...}}: the pipeline that won the pseudo-mix
// benchmark), else the focus's own name. Throws std::runtime_error when pipelines.json is malformed.
// A value may join several folders with '+' ("mixhybrid+mixcqtbass"): the focus is then served
// by their models side by side (embedding/JoinedEmbedder.h).
std::string modelFolderFor(const std::string& modelsRoot, Focus focus);
// "a+b" -> {"a", "b"}; "a" -> {"a"}.
std::vector<std::string> joinedModelFolders(const std::string& folder);
// Maps `focus` to `folder` in <modelsRoot>/pipelines.json (created or updated, other keys kept):
// activating a retrained focus model makes the engine use it again.
void setModelFolderFor(const std::string& modelsRoot, Focus focus, const std::string& folder);

// One embedder per focus whose folder (modelFolderFor) exists under `modelsRoot` and loads; reasons
// for the others go to `problems`.
EmbedderSet loadEmbedders(const std::string& modelsRoot, const std::vector<Focus>& focuses,
                          std::vector<std::string>* problems = nullptr);

}  // namespace stemscope
