#pragma once
// Out-of-sample placement by neighbour interpolation: a query lands at the distance-weighted mean of
// the map positions of its k nearest reference rows. No optimisation runs and the reference points do
// not move, so it answers at once (the segments of one track over a 100k-track map) and the same
// query always lands in the same place.
#include <vector>

#include "dsp/Matrix.h"

namespace stemscope::projection {

struct NeighbourPlacement {
    Matrix positions;                       // queries.rows x 2
    std::vector<std::vector<int>> nearest;  // per query: its k reference rows, closest first
};

// refs: reference rows (unit length for cosine geometry) whose map positions are refXY (refs.rows x 2);
// queries: rows of the same width. Weights 1 / (squared distance + 1e-4): a query equal to a
// reference row lands on it. Throws std::invalid_argument on mismatched shapes or no references.
NeighbourPlacement placeByNeighbours(const Matrix& refs, const Matrix& refXY, const Matrix& queries, int k = 5);

}  // namespace stemscope::projection
