#pragma once
// A model-free baseline embedder (the CLI's `--embedder baseline`, `bench library`, the pseudo-mix
// benchmark's `mel-stats` pipeline): a fixed
// seeded random projection of each segment's per-band log-mel mean and standard deviation,
// L2-normalised. It is not a trained model: it lets the pipeline, the library and the indexes run
// (and be benchmarked) before the CNN weights in models/<focus>/ exist.
#include <random>
#include <string>

#include "embedding/BandStatsProjection.h"
#include "embedding/Embedder.h"
#include "embedding/Focus.h"

namespace stemscope {

class BaselineEmbedder final : public Embedder {
public:
    explicit BaselineEmbedder(Focus focus, int dim = 128, int bands = 128, int frames = 129)
        : id_(std::string("baseline-projection-v1-") + focusName(focus)), dim_(dim), bands_(bands), frames_(frames),
          w_(size_t(dim) * size_t(2 * bands))
    {
        std::mt19937 rng(1234u + unsigned(focus));
        std::normal_distribution<float> g(0.f, 1.f);
        for (auto& v : w_) v = g(rng);
    }
    std::string modelId() const override { return id_; }
    int dimension() const override { return dim_; }
    int segmentFrames() const override { return frames_; }
    int featureBands() const override { return bands_; }
    Matrix embed(const std::vector<Matrix>& segments) const override
    {
        return projectBandStatistics(segments, w_, bands_, dim_, 1.0);
    }

private:
    std::string id_;
    int dim_, bands_, frames_;
    std::vector<float> w_;
};

}  // namespace stemscope
