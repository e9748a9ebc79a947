#pragma once
// Exact k nearest neighbours (squared Euclidean) of every row of X among the other rows, by blocked
// dot products: |a - b|^2 = |a|^2 + |b|^2 - 2 <a, b>. On 128-d embeddings this beats a metric tree,
// which degenerates towards a full scan in high dimension, by an order of magnitude.
// Rows split across threads; each row's result does not depend on the thread count.
#include <vector>

#include "dsp/Matrix.h"

namespace stemscope::projection {

// idx/d2: n * k entries, row i's neighbours closest first (ties by lower index); k < n.
void bruteForceKnn(const Matrix& x, int k, int threads, std::vector<int>& idx, std::vector<float>& d2);

} // namespace stemscope::projection
