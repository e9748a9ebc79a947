#pragma once
// A focus pipeline turns a mix into one focus's segment embeddings: which signal the embedder
// hears (the clean part, when known; the separated part; or the mix itself) and which embedder.
// The pseudo-mix benchmark compares them; `embed` and the engine's default use the one the
// installed models choose (an embedder that listens to mixes needs no separation).
#include <memory>
#include <string>
#include <vector>

#include "embedding/Embedder.h"
#include "embedding/Focus.h"
#include "embedding/TrackEmbedding.h"

namespace stemscope {

class Separator;

// OracleMaskedPart: the part recovered from the mix by its oracle ratio mask against everything
// else (the separator's STFT, the mix's phase): what a perfect mask-based separator would hand the
// focus model, so the ceiling of separate-then-embed on mixes (the clean part is the ceiling of all).
// OracleGlimpsedPart: the same with the ideal binary mask (the bins where the part is louder than
// everything else): how much of the part a listener can glimpse where it dominates.
enum class PipelineInput { CleanPart, SeparatedPart, Mix, OracleMaskedPart, OracleGlimpsedPart };
const char* pipelineInputName(PipelineInput in);  // "clean part", "separated part", "mix", "oracle-masked part", "oracle-glimpsed part"

struct MixPipeline {
    std::string name;
    PipelineInput input = PipelineInput::Mix;
    std::shared_ptr<const Embedder> embedder;
    std::shared_ptr<const Separator> separator;  // SeparatedPart only
    // A combination ("separated+mixfocus"): each part runs on the mix; the segments they all kept
    // (same start) are joined side by side, scaled to unit length, so the cosine distance is the
    // mean of the parts' distances. `embedder` then names the first part (for reports).
    std::vector<MixPipeline> parts;
};

// The model ids a pipeline runs: its embedder's, or its parts' joined by "+".
std::string pipelineModelIds(const MixPipeline& pipeline);

// Segment embeddings of `mix` (mono, 22050 Hz) through `pipeline` with the engine's front end (3 s
// segments, 50 % overlap, silent ones dropped). `cleanPart` is required for CleanPart and the
// oracle inputs. For the mix focus a SeparatedPart pipeline hears the mix. Throws when the
// separator yields no stem of the focus.
TrackEmbedding runPipeline(const MixPipeline& pipeline, Focus focus, const std::vector<float>& mix,
                           const std::vector<float>* cleanPart = nullptr);

// Names understood by standardMixPipelines, in report order:
//   clean          the focus model on the clean part (the ceiling)
//   separated      the separator, then the focus model on the separated part (separate-then-embed)
//   oracle-mask    the focus model on the oracle-masked part (the ceiling of separate-then-embed)
//   oracle-binary-mask  the focus model on the part's bins where it dominates (ideal binary mask)
//   focus-on-mix   the focus model straight on the mix
//   mix-model      the mix model on the mix
//   mel-stats      model-free baseline: per-band log-mel mean and spread of the mix, randomly projected
//   mixfocus       the multi-focus mix model's block for the focus, on the mix
//   default        whatever the engine uses for the focus (EmbedderRegistry + default separator)
// any of them joined with '+' (e.g. separated+mixfocus): their combination (MixPipeline::parts);
// and "separated:NAME" for a NAME that hears the mix (e.g. separated:default): its embedder on the
// separated part instead; and "NAME~views" / "NAME~viewsK" for a NAME that is one constant-Q model:
// its rows pooled over the input transposed by -K..K bins (K = 1 by default; TransposedViewsEmbedder).
const std::vector<std::string>& standardPipelineNames();

// The named pipelines for `focus`; those whose models are missing are skipped with a reason in
// *problems. Throws std::invalid_argument for an unknown name.
std::vector<MixPipeline> standardMixPipelines(const std::string& modelsRoot, Focus focus,
                                              const std::vector<std::string>& names,
                                              std::vector<std::string>* problems = nullptr);

}  // namespace stemscope
