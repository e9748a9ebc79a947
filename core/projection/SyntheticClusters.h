#pragma once
// Gaussian blobs on the unit sphere, shaped like our embeddings (L2-normalised), for t-SNE tests and
// benchmarks: `clusters` random centres ~ N(0, I), points = centre + spread * N(0, I), row-normalised.
// Point i belongs to cluster i % clusters. Deterministic for a seed (own generator, not <random>'s
// distributions, so identical across standard libraries).
#include <cstdint>
#include <vector>

#include "dsp/Matrix.h"

namespace stemscope::projection {

Matrix makeClusters(int n, int dim, int clusters, double spread, uint64_t seed, std::vector<int>* labels = nullptr);

}  // namespace stemscope::projection
