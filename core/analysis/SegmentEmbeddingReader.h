#pragma once
// The embeddings of one embedder over one signal's segment plan, in batches: each batch's features
// read (SegmentFeatureReader) and embedded. A JoinedEmbedder's parts each read their own features
// (log-mel, constant-Q) for the same segments, and their rows are joined. The analysis, the
// pseudo-mix benchmark, `embed` and the clean-stem evaluation all embed through this one path.
#include <memory>
#include <vector>

#include "analysis/SegmentFeatures.h"
#include "embedding/TrackEmbedding.h"

namespace stemscope {

class SegmentEmbeddingReader {
public:
    // `signal`, `plan`, `embedder` and `cache` (optional) must outlive the reader.
    SegmentEmbeddingReader(const std::vector<float>& signal, const SegmentPlan& plan, const Embedder& embedder,
                           SignalCqtCache* cache = nullptr);
    // Rows for segments [first, first + count) of the plan (fewer at its end), and (optional) each
    // row's weight in the track's centroid (Embedder::embedWeighted; JoinedEmbedder::joinWeights);
    // throws when a model returns a wrong-shaped matrix.
    Matrix read(size_t first, size_t count, std::vector<float>* weights = nullptr);

private:
    struct Part {
        const Embedder* embedder;
        std::unique_ptr<SegmentFeatureReader> features;
    };
    std::vector<Part> parts_;  // one, or a joined embedder's parts
    bool joined_ = false;
};

// Every segment of `signal` (mono, analysis rate) on the embedder's grid, embedded in batches,
// with start times, weights and centroid; `maxSegments` > 0 keeps the first ones only.
TrackEmbedding embedSignal(const std::vector<float>& signal, const Embedder& embedder, int maxSegments = 0);

}  // namespace stemscope
