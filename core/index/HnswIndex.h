#pragma once
// Approximate search with hnswlib's HNSW graph (inner-product space on unit vectors, so its
// distance 1 - <q,x> is the cosine distance). hnswlib stays inside HnswIndex.cpp.
#include <memory>

#include "index/NeighbourIndex.h"

namespace stemscope {

class HnswIndex final : public NeighbourIndex {
public:
    explicit HnswIndex(IndexOptions options = {});
    ~HnswIndex() override;
    std::string kind() const override { return "hnsw"; }
    void build(const Matrix& vectors) override;
    int size() const override { return rows_; }
    int dimension() const override { return dim_; }
    std::vector<Neighbour> search(const float* query, int k, const RowFilter& exclude = {}) const override;
    void setEfSearch(int ef);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    IndexOptions options_;
    int rows_ = 0;
    int dim_ = 0;
};

}  // namespace stemscope
