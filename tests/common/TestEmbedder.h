#pragma once
// Deterministic stand-in for the CNN embedders: a fixed random projection (seeded per focus) of
// the segment's mean and standard deviation per mel band, L2-normalised. Similar spectra give
// similar vectors, which is all the library/engine tests need. Optional per-call delay lets tests
// catch the engine mid-analysis.
#include <chrono>
#include <cmath>
#include <random>
#include <string>
#include <thread>

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
        Matrix out(int(segments.size()), dim_);
        std::vector<float> f(size_t(2 * bands_));
        for (size_t s = 0; s < segments.size(); ++s) {
            const Matrix& m = segments[s];
            for (int b = 0; b < bands_; ++b) {
                double mean = 0, sq = 0;
                for (int r = 0; r < m.rows; ++r) {
                    mean += m(r, b);
                    sq += double(m(r, b)) * m(r, b);
                }
                mean /= std::max(1, m.rows);
                f[size_t(b)] = float(mean / 40.0);
                f[size_t(bands_ + b)] = float(std::sqrt(std::max(0.0, sq / std::max(1, m.rows) - mean * mean)) / 10.0);
            }
            double norm = 0;
            for (int d = 0; d < dim_; ++d) {
                double acc = 0;
                for (size_t j = 0; j < f.size(); ++j) acc += double(w_[size_t(d) * f.size() + j]) * f[j];
                out(int(s), d) = float(acc);
                norm += acc * acc;
            }
            norm = std::sqrt(norm);
            if (norm > 0)
                for (int d = 0; d < dim_; ++d) out(int(s), d) = float(out(int(s), d) / norm);
        }
        return out;
    }

private:
    std::string id_;
    int dim_, bands_, frames_, delayMs_;
    std::vector<float> w_;
    EmbedderInput input_ = EmbedderInput::FocusSignal;
};

}  // namespace stemscope::test
