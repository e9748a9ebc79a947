#pragma once
// Principal-component projection (covariance + power iteration with deflation), for t-SNE initialisation.
#include <cstdint>

#include "dsp/Matrix.h"

namespace stemscope::projection {

// Projects the centred rows of x onto the top `components` principal axes (rows x components).
// Deterministic: fixed start vectors from `seed`; each axis is signed so its largest-magnitude
// loading is positive.
Matrix pcaProject(const Matrix& x, int components = 2, uint64_t seed = 1);

}  // namespace stemscope::projection
