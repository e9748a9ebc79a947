#pragma once
// A model-free baseline embedder (the CLI's `--embedder baseline`, `bench library`, the pseudo-mix
// benchmark's `mel-stats` pipeline): a fixed
// seeded random projection of each segment's per-band log-mel mean and standard deviation,
// L2-normalised. It is not a trained model: it lets the pipeline, the library and the indexes run
// (and be benchmarked) before the CNN weights in models/<focus>/ exist.
#include <cmath>
#include <random>
#include <string>

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
                f[size_t(b)] = float(mean / 40.0 + 1.0);
                f[size_t(bands_ + b)] = float(std::sqrt(std::max(0.0, sq / std::max(1, m.rows) - mean * mean)) / 10.0);
            }
            double norm = 0;
            float* o = out.row(int(s));
            for (int d = 0; d < dim_; ++d) {
                const float* w = w_.data() + size_t(d) * f.size();
                double acc = 0;
                for (size_t j = 0; j < f.size(); ++j) acc += double(w[j]) * f[j];
                o[d] = float(acc);
                norm += acc * acc;
            }
            norm = std::sqrt(norm);
            if (norm > 0)
                for (int d = 0; d < dim_; ++d) o[d] = float(o[d] / norm);
        }
        return out;
    }

private:
    std::string id_;
    int dim_, bands_, frames_;
    std::vector<float> w_;
};

}  // namespace stemscope
