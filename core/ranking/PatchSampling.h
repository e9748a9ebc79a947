#pragma once
// Fixed-length patches from a track's feature matrix (frames x bins): random crops for training,
// evenly spaced crops for the test-time track representation (the paper averages 8 patches).
#include <random>
#include <vector>

#include "dsp/Matrix.h"

namespace stemscope {

constexpr float kPatchPadValue = -100.f; // the CQT's log floor, 10 log10(1e-10)

// A uniformly random window of `frames` rows; a shorter matrix is padded at the end.
Matrix randomPatch(const Matrix& features, int frames, std::mt19937_64& rng, float pad = kPatchPadValue);
// `count` windows with starts evenly spaced over [0, rows - frames] (they overlap when the track is
// shorter than count * frames); a track no longer than one window yields one padded patch.
std::vector<Matrix> evenPatches(const Matrix& features, int frames, int count = 8, float pad = kPatchPadValue);

}  // namespace stemscope
