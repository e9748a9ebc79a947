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

Matrix SegmentEmbeddingReader::read(size_t first, size_t count)
{
    std::vector<Matrix> rows;
    for (auto& p : parts_) {
        const auto segments = p.features->read(first, count);
        Matrix e = p.embedder->embed(segments);
        if (e.rows != int(segments.size()) || e.cols != p.embedder->dimension())
            throw std::runtime_error("embedder " + p.embedder->modelId() + " returned a wrong-shaped matrix");
        rows.push_back(std::move(e));
    }
    return joined_ ? JoinedEmbedder::join(rows) : std::move(rows.front());
}

}  // namespace stemscope
