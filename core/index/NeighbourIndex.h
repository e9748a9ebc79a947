#pragma once
// k-nearest-neighbour search over L2-normalised vectors with cosine distance (1 - dot product).
// Items are the rows of the matrix given to build(); results name rows. `exclude` drops rows
// (e.g. the query track's own segments) from the result.
#include <atomic>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "dsp/Matrix.h"

namespace stemscope {

struct Neighbour {
    int row = -1;
    float distance = 0.f;  // cosine distance, 0 = identical direction, 2 = opposite
};

using RowFilter = std::function<bool(int row)>;  // true = exclude

class NeighbourIndex {
public:
    virtual ~NeighbourIndex() = default;
    virtual std::string kind() const = 0;
    virtual void build(const Matrix& vectors) = 0;  // rows are items; copied
    virtual int size() const = 0;
    virtual int dimension() const = 0;
    // Closest first; at most k results.
    virtual std::vector<Neighbour> search(const float* query, int k, const RowFilter& exclude = {}) const = 0;
    // Batch form: one result list per query row.
    virtual std::vector<std::vector<Neighbour>> searchBatch(const Matrix& queries, int k,
                                                            const RowFilter& exclude = {}) const;
};

struct IndexOptions {
    // Rows; larger sets get an HNSW index. Exact answers one query in ~27 ms at 1M rows on 2 cores, needs
    // no build and is always right; HNSW pays minutes of build per load (maps-and-search.md).
    int approximateAbove = 1000000;
    int hnswM = 16;
    int hnswEfConstruction = 100;
    int hnswEfSearch = 128;
    int buildThreads = 2;
    // Set (by whoever owns it) to abandon an HNSW build: build() then throws IndexBuildCancelled, so
    // closing a large library does not wait minutes for an index nobody will query.
    const std::atomic<bool>* cancel = nullptr;
};

struct IndexBuildCancelled : std::runtime_error {
    IndexBuildCancelled() : std::runtime_error("index build cancelled") {}
};

// Exact below options.approximateAbove rows, HNSW above.
std::unique_ptr<NeighbourIndex> makeIndex(int rows, const IndexOptions& options = {});

// Fraction of `exact` results that `approx` also found, over all queries (recall@k).
double recallAtK(const std::vector<std::vector<Neighbour>>& exact, const std::vector<std::vector<Neighbour>>& approx);

// In-place L2 normalisation of every row (zero rows stay zero).
void normaliseRows(Matrix& m);

}  // namespace stemscope
