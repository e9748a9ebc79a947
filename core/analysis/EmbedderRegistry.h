#pragma once
// Where embedders come from. The engine only ever sees an EmbedderSet (one embedder per focus).
// Model files live in <models root>/<focus>/ ; turning such a folder into an Embedder is the job
// of the installed factory: the LibTorch loader (makeTorchEmbedder) unless another one was set with
// setEmbedderFactory (tests install their own).
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
EmbedderFactory embedderFactory();  // makeTorchEmbedder unless replaced (may be set to empty)

// $STEMSCOPE_MODELS if set, else <source tree>/models.
std::string defaultModelsRoot();

// One embedder per focus whose folder exists under `modelsRoot` and loads; reasons for the
// others go to `problems`.
EmbedderSet loadEmbedders(const std::string& modelsRoot, const std::vector<Focus>& focuses,
                          std::vector<std::string>* problems = nullptr);

}  // namespace stemscope
