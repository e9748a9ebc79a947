#pragma once
// Brute-force cosine search: blocked dot products of the queries against every row (exact).
#include "index/NeighbourIndex.h"

namespace stemscope {

class ExactIndex final : public NeighbourIndex {
public:
    std::string kind() const override { return "exact"; }
    void build(const Matrix& vectors) override { data_ = vectors; }
    int size() const override { return data_.rows; }
    int dimension() const override { return data_.cols; }
    std::vector<Neighbour> search(const float* query, int k, const RowFilter& exclude = {}) const override;
    std::vector<std::vector<Neighbour>> searchBatch(const Matrix& queries, int k,
                                                    const RowFilter& exclude = {}) const override;

private:
    Matrix data_;
};

}  // namespace stemscope
