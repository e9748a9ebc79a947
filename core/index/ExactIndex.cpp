#include "index/ExactIndex.h"

#include <algorithm>
#include <cmath>

namespace stemscope {

namespace {

bool closer(const Neighbour& a, const Neighbour& b)
{
    return a.distance < b.distance || (a.distance == b.distance && a.row < b.row);
}

// k best of n similarities with a bounded max-heap (worst of the best k on top).
std::vector<Neighbour> topK(const float* sims, int n, int k, const RowFilter& exclude)
{
    std::vector<Neighbour> heap;
    if (k <= 0) return heap;
    heap.reserve(size_t(k) + 1);
    for (int i = 0; i < n; ++i) {
        const Neighbour c{i, 1.f - sims[i]};
        if (int(heap.size()) == k && !closer(c, heap.front())) continue;
        if (exclude && exclude(i)) continue;
        heap.push_back(c);
        std::push_heap(heap.begin(), heap.end(), closer);
        if (int(heap.size()) > k) {
            std::pop_heap(heap.begin(), heap.end(), closer);
            heap.pop_back();
        }
    }
    std::sort_heap(heap.begin(), heap.end(), closer);
    return heap;
}

// Eight independent partial sums: lets the compiler vectorise without -ffast-math.
inline float dot(const float* a, const float* b, int d)
{
    float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int j = 0;
    for (; j + 8 <= d; j += 8)
        for (int l = 0; l < 8; ++l) acc[l] += a[j + l] * b[j + l];
    float s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (; j < d; ++j) s += a[j] * b[j];
    return s;
}

}  // namespace

std::vector<Neighbour> ExactIndex::search(const float* q, int k, const RowFilter& exclude) const
{
    std::vector<float> sims(size_t(data_.rows));
    for (int r = 0; r < data_.rows; ++r) sims[size_t(r)] = dot(q, data_.row(r), data_.cols);
    return topK(sims.data(), data_.rows, k, exclude);
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
                for (int r = 0; r < nr; ++r) s[r] = dot(q, data_.row(r0 + r), d);
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
