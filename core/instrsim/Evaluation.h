#pragma once
// The evaluation protocol of Hashizume, Li & Toda, Sec. 4.2.1, on a test corpus: per focus, embed
// every test segment with that focus's model (on that focus's stem; the mix model on mix.flac);
// kNN (k = 5, majority, leave-one-out) song-ID accuracy over segments; per-song centroid cosine
// distance matrices; between every pair of focuses the Pearson r of the upper triangles and the mean
// per-song Spearman rho; MRR of each focus's top-3 neighbours in the mix ranking. Several runs
// (models trained with different seeds) are summarised as mean and variance. Torch-free.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dsp/Matrix.h"
#include "embedding/Embedder.h"
#include "embedding/Focus.h"
#include "instrsim/FeatureSet.h"
#include "instrsim/SimilarityMetrics.h"

namespace stemscope {

struct FocusResult {
    double knnAccuracy = 0;
    int segments = 0;
    Matrix embeddings;              // segments x dim
    std::vector<int> labels;        // song index (into EvaluationRun::songs) per segment
    Matrix centroidDistances;       // songs x songs (EvaluationRun::songs order)
};

struct EvaluationRun {
    std::string label;                          // e.g. the models folder
    std::vector<std::string> songs;             // songs present in every evaluated focus
    std::vector<Focus> focuses;                 // evaluated, in kInstrumentFocuses order
    std::map<Focus, FocusResult> results;
    std::map<std::pair<Focus, Focus>, double> pearson;  // (a, b) with a before b
    std::map<std::pair<Focus, Focus>, double> spearman;
    std::map<Focus, double> mrrInMix;                   // focus != mix
};

// One focus's segment embeddings over a corpus: row i belongs to songs[songOf[i]].
struct EmbeddedCorpus {
    std::vector<std::string> songs;
    Matrix embeddings;
    std::vector<int> songOf;
};

// The protocol on embeddings already computed (e.g. by the engine's own front end,
// instrsim/CorpusEmbedding.h), over the songs present in every focus.
EvaluationRun evaluateEmbedded(const std::map<Focus, EmbeddedCorpus>& sets, int k = 5, int mrrTopK = 3);

// features[f]: the test corpus features for focus f (same bands/frames as the embedder).
EvaluationRun evaluateRun(const std::map<Focus, FeatureSet>& features,
                          const std::map<Focus, std::shared_ptr<const Embedder>>& embedders, int k = 5,
                          int mrrTopK = 3);

struct EvaluationSummary {
    std::vector<Focus> focuses;
    std::map<Focus, MeanVar> knn;
    std::map<std::pair<Focus, Focus>, MeanVar> pearson, spearman;
    std::map<Focus, MeanVar> mrr;
    int runs = 0;
};
EvaluationSummary summarize(const std::vector<EvaluationRun>& runs);

// Markdown tables (Table 1: kNN accuracy; Table 2: Pearson / Spearman; Table 3: MRR).
std::string summaryMarkdown(const EvaluationSummary& s);

// CSV files into `dir`: knn.csv, correlations.csv, mrr.csv (one row per run), and for run 0
// distances_<focus>.csv (with song names), embeddings_<focus>.csv (segment rows: song,label,dims...).
void writeEvaluationFiles(const std::vector<EvaluationRun>& runs, const EvaluationSummary& s, const std::string& dir);

}  // namespace stemscope
