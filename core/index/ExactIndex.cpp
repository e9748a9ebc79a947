#include "index/ExactIndex.h"

#include <algorithm>
#include <cmath>

namespace stemscope {

namespace {

std::vector<Neighbour> topK(const float* sims, int n, int k, const RowFilter& exclude)
{
    std::vector<Neighbour> cand;
    cand.reserve(size_t(n));
    for (int i = 0; i < n; ++i)
        if (!exclude || !exclude(i)) cand.push_back({i, 1.f - sims[i]});
    const auto cmp = [](const Neighbour& a, const Neighbour& b) {
        return a.distance < b.distance || (a.distance == b.distance && a.row < b.row);
    };
    const size_t kk = std::min(cand.size(), size_t(std::max(0, k)));
    std::partial_sort(cand.begin(), cand.begin() + std::ptrdiff_t(kk), cand.end(), cmp);
    cand.resize(kk);
    return cand;
}

}  // namespace

std::vector<Neighbour> ExactIndex::search(const float* q, int k, const RowFilter& exclude) const
{
    Matrix one(1, data_.cols);
    std::copy(q, q + data_.cols, one.data.begin());
    return searchBatch(one, k, exclude).front();
}

std::vector<std::vector<Neighbour>> ExactIndex::searchBatch(const Matrix& queries, int k, const RowFilter& exclude) const
{
    const int n = data_.rows, d = data_.cols;
    std::vector<std::vector<Neighbour>> out(size_t(queries.rows));
    if (n == 0) return out;
    // Queries in blocks of 8 against rows in blocks of 256: each data block is read once per
    // query block while it sits in L1/L2.
    constexpr int kQ = 8, kR = 256;
    std::vector<float> sims(size_t(kQ) * size_t(n));
    for (int q0 = 0; q0 < queries.rows; q0 += kQ) {
        const int nq = std::min(kQ, queries.rows - q0);
        for (int r0 = 0; r0 < n; r0 += kR) {
            const int nr = std::min(kR, n - r0);
            for (int qi = 0; qi < nq; ++qi) {
                const float* q = queries.row(q0 + qi);
                float* s = sims.data() + size_t(qi) * size_t(n) + size_t(r0);
                for (int r = 0; r < nr; ++r) {
                    const float* x = data_.row(r0 + r);
                    float acc = 0.f;
                    for (int j = 0; j < d; ++j) acc += q[j] * x[j];
                    s[r] = acc;
                }
            }
        }
        for (int qi = 0; qi < nq; ++qi) out[size_t(q0 + qi)] = topK(sims.data() + size_t(qi) * size_t(n), n, k, exclude);
    }
    return out;
}

std::vector<std::vector<Neighbour>> NeighbourIndex::searchBatch(const Matrix& queries, int k, const RowFilter& exclude) const
{
    std::vector<std::vector<Neighbour>> out;
    out.reserve(size_t(queries.rows));
    for (int i = 0; i < queries.rows; ++i) out.push_back(search(queries.row(i), k, exclude));
    return out;
}

double recallAtK(const std::vector<std::vector<Neighbour>>& exact, const std::vector<std::vector<Neighbour>>& approx)
{
    size_t hit = 0, total = 0;
    for (size_t i = 0; i < exact.size() && i < approx.size(); ++i) {
        for (const auto& e : exact[i]) {
            ++total;
            for (const auto& a : approx[i])
                if (a.row == e.row) { ++hit; break; }
        }
    }
    return total ? double(hit) / double(total) : 1.0;
}

void normaliseRows(Matrix& m)
{
    for (int r = 0; r < m.rows; ++r) {
        float* x = m.row(r);
        double n = 0;
        for (int j = 0; j < m.cols; ++j) n += double(x[j]) * x[j];
        n = std::sqrt(n);
        if (n > 0)
            for (int j = 0; j < m.cols; ++j) x[j] = float(x[j] / n);
    }
}

}  // namespace stemscope
