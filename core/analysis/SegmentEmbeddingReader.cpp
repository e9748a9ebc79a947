#include "analysis/SegmentEmbeddingReader.h"

#include <stdexcept>

#include "embedding/JoinedEmbedder.h"

namespace stemscope {

SegmentEmbeddingReader::SegmentEmbeddingReader(const std::vector<float>& signal, const SegmentPlan& plan,
                                               const Embedder& embedder, SignalCqtCache* cache)
{
    std::vector<const Embedder*> each{&embedder};
    if (const auto* joined = dynamic_cast<const JoinedEmbedder*>(&embedder)) {
        joined_ = true;
        each.clear();
        for (const auto& p : joined->parts()) each.push_back(p.get());
    }
    for (const Embedder* e : each) parts_.push_back({e, std::make_unique<SegmentFeatureReader>(signal, plan, *e, cache)});
}

Matrix SegmentEmbeddingReader::read(size_t first, size_t count, std::vector<float>* weights)
{
    std::vector<Matrix> rows;
    std::vector<std::vector<float>> partWeights;
    for (auto& p : parts_) {
        const auto segments = p.features->read(first, count);
        std::vector<float> w;
        Matrix e = p.embedder->embedWeighted(segments, w);
        if (e.rows != int(segments.size()) || e.cols != p.embedder->dimension() || w.size() != segments.size())
            throw std::runtime_error("embedder " + p.embedder->modelId() + " returned a wrong-shaped matrix");
        rows.push_back(std::move(e));
        partWeights.push_back(std::move(w));
    }
    if (weights) *weights = joined_ ? JoinedEmbedder::joinWeights(partWeights) : std::move(partWeights.front());
    return joined_ ? JoinedEmbedder::join(rows) : std::move(rows.front());
}

TrackEmbedding embedSignal(const std::vector<float>& signal, const Embedder& embedder, int maxSegments)
{
    SegmentPlan plan = planSegments(signal, kAnalysisSampleRate, segmentConfigFor(embedder));
    if (maxSegments > 0 && plan.segments.size() > size_t(maxSegments)) plan.segments.resize(size_t(maxSegments));
    TrackEmbedding out;
    out.segments = Matrix(0, embedder.dimension());
    const size_t batch = 64;  // bounds the feature memory of a long track
    SegmentEmbeddingReader embeddings(signal, plan, embedder);
    for (size_t first = 0; first < plan.segments.size(); first += batch) {
        std::vector<float> w;
        const Matrix e = embeddings.read(first, batch, &w);
        out.segments.data.insert(out.segments.data.end(), e.data.begin(), e.data.end());
        out.segments.rows += e.rows;
        out.weights.insert(out.weights.end(), w.begin(), w.end());
    }
    for (const auto& s : plan.segments) out.startSeconds.push_back(s.startSeconds(kAnalysisSampleRate));
    if (out.segments.rows > 0) out.centroid = centroid(out.segments, out.weights);
    return out;
}

}  // namespace stemscope
