#pragma once
// The model-free embedding behind BaselineEmbedder and the tests' stand-in embedder: each
// segment's per-band mean (dB / 40 + meanOffset) and standard deviation (dB / 10), projected by
// a fixed dim x (2 * bands) matrix and L2-normalised. One copy, so the baseline the reports
// quote and the engine the tests drive compute the same thing.
#include <algorithm>
#include <cmath>
#include <vector>

#include "dsp/Matrix.h"

namespace stemscope {

inline Matrix projectBandStatistics(const std::vector<Matrix>& segments, const std::vector<float>& projection, int bands,
                                    int dim, double meanOffset)
{
    Matrix out(int(segments.size()), dim);
    std::vector<float> f(size_t(2 * bands));
    for (size_t s = 0; s < segments.size(); ++s) {
        const Matrix& m = segments[s];
        for (int b = 0; b < bands; ++b) {
            double mean = 0, sq = 0;
            for (int r = 0; r < m.rows; ++r) {
                mean += m(r, b);
                sq += double(m(r, b)) * m(r, b);
            }
            mean /= std::max(1, m.rows);
            f[size_t(b)] = float(mean / 40.0 + meanOffset);
            f[size_t(bands + b)] = float(std::sqrt(std::max(0.0, sq / std::max(1, m.rows) - mean * mean)) / 10.0);
        }
        double norm = 0;
        float* o = out.row(int(s));
        for (int d = 0; d < dim; ++d) {
            const float* w = projection.data() + size_t(d) * f.size();
            double acc = 0;
            for (size_t j = 0; j < f.size(); ++j) acc += double(w[j]) * f[j];
            o[d] = float(acc);
            norm += acc * acc;
        }
        norm = std::sqrt(norm);
        if (norm > 0)
            for (int d = 0; d < dim; ++d) o[d] = float(o[d] / norm);
    }
    return out;
}

}  // namespace stemscope
