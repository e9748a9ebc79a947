#pragma once
// Deterministic stand-in for the CNN embedders: a fixed random projection (seeded per focus) of
// the segment's mean and standard deviation per mel band, L2-normalised. Similar spectra give
// similar vectors, which is all the library/engine tests need. Optional per-call delay lets tests
// catch the engine mid-analysis.
#include <chrono>
#include <random>
#include <string>
#include <thread>

#include "embedding/BandStatsProjection.h"
#include "embedding/Embedder.h"

namespace stemscope::test {

class TestEmbedder final : public Embedder {
public:
    explicit TestEmbedder(std::string id = "test-projection", int dim = 16, int bands = 32, int frames = 129,
                          unsigned seed = 7, int delayMs = 0)
        : id_(std::move(id)), dim_(dim), bands_(bands), frames_(frames), delayMs_(delayMs),
          w_(size_t(dim) * size_t(2 * bands))
    {
        std::mt19937 rng(seed);
        std::normal_distribution<float> g(0.f, 1.f);
        for (auto& v : w_) v = g(rng);
    }
    std::string modelId() const override { return id_; }
    // Makes this embedder listen to the mix whatever its focus (as the multi-focus mix model does).
    void listenToMix() { input_ = EmbedderInput::Mix; }
    EmbedderInput input() const override { return input_; }
    int dimension() const override { return dim_; }
    int segmentFrames() const override { return frames_; }
    int featureBands() const override { return bands_; }
    Matrix embed(const std::vector<Matrix>& segments) const override
    {
        if (delayMs_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delayMs_));
        return projectBandStatistics(segments, w_, bands_, dim_, 0.0);
    }

private:
    std::string id_;
    int dim_, bands_, frames_, delayMs_;
    std::vector<float> w_;
    EmbedderInput input_ = EmbedderInput::FocusSignal;
};

}  // namespace stemscope::test
