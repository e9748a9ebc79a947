#pragma once
// The pipelines the pseudo-mix benchmark compares, assembled from a models root (models/<focus>,
// models/mix, models/separator, models/mixfocus), and the engine's own choice for a focus.
#include <string>
#include <vector>

#include "mixfocus/PseudoMixBenchmark.h"

namespace stemscope {

// Names understood by standardMixPipelines, in report order:
//   clean          the focus model on the clean part (the ceiling)
//   separated      the separator, then the focus model on the separated part (separate-then-embed)
//   focus-on-mix   the focus model straight on the mix
//   mix-model      the mix model on the mix
//   mixfocus       the multi-focus mix model's block for the focus, on the mix
//   default        whatever the engine uses for the focus (EmbedderRegistry + default separator)
const std::vector<std::string>& standardPipelineNames();

// The named pipelines for `focus`; those whose models are missing are skipped with a reason in
// *problems. Throws std::invalid_argument for an unknown name.
std::vector<MixPipeline> standardMixPipelines(const std::string& modelsRoot, Focus focus,
                                              const std::vector<std::string>& names,
                                              std::vector<std::string>* problems = nullptr);

}  // namespace stemscope
