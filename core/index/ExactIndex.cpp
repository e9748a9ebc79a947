#include "index/ExactIndex.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "util/DotProducts.h"

namespace stemscope {

namespace {

bool closer(const Neighbour& a, const Neighbour& b)
{
    return a.distance < b.distance || (a.distance == b.distance && a.row < b.row);
}

// Offers rows first..first+n-1 (similarities `sims`) to a bounded max-heap of the k best (worst on top).
void offer(std::vector<Neighbour>& heap, const float* sims, int first, int n, int k, const RowFilter& exclude)
{
    if (k <= 0) return;
    for (int i = 0; i < n; ++i) {
        const Neighbour c{first + i, 1.f - sims[i]};
        if (int(heap.size()) == k && !closer(c, heap.front())) continue;
        if (exclude && exclude(c.row)) continue;
        heap.push_back(c);
        std::push_heap(heap.begin(), heap.end(), closer);
        if (int(heap.size()) > k) {
            std::pop_heap(heap.begin(), heap.end(), closer);
            heap.pop_back();
        }
    }
}

std::vector<Neighbour> finish(std::vector<Neighbour> heap)
{
    std::sort_heap(heap.begin(), heap.end(), closer);
    return heap;
}

std::vector<Neighbour> topK(const float* sims, int n, int k, const RowFilter& exclude)
{
    std::vector<Neighbour> heap;
    heap.reserve(size_t(std::max(k, 0)) + 1);
    offer(heap, sims, 0, n, k, exclude);
    return finish(std::move(heap));
}

}  // namespace

std::vector<Neighbour> ExactIndex::search(const float* q, int k, const RowFilter& exclude) const
{
    const int n = data_.rows, d = data_.cols;
    std::vector<float> sims(static_cast<size_t>(n));
    // One query is bound by memory bandwidth: above ~64k rows (25 MB at 128-d) a second thread
    // streaming the other half pays for its start-up.
    constexpr int kSplitAbove = 65536;
    if (n > kSplitAbove) {
        const int half = n / 2;
        std::thread other([&] { dotRows(q, data_.row(half), n - half, d, sims.data() + half); });
        dotRows(q, data_.data.data(), half, d, sims.data());
        other.join();
    } else if (n > 0) {
        dotRows(q, data_.data.data(), n, d, sims.data());
    }
    return topK(sims.data(), n, k, exclude);
}

std::vector<std::vector<Neighbour>> ExactIndex::searchBatch(const Matrix& queries, int k, const RowFilter& exclude) const
{
    const int n = data_.rows, d = data_.cols;
    std::vector<std::vector<Neighbour>> out(size_t(queries.rows));
    if (n == 0) return out;
    // Queries in groups of 4 (register-blocked) against rows in blocks of 512: a block (256 KB at
    // 128-d) stays in L2 while every group of up to 64 queries reads it.
    constexpr int kQ = 64, kR = 512;
    std::vector<float> sims(size_t(kQ) * size_t(kR));
    std::vector<std::vector<Neighbour>> heaps(static_cast<size_t>(kQ));
    for (int q0 = 0; q0 < queries.rows; q0 += kQ) {
        const int nq = std::min(kQ, queries.rows - q0);
        for (auto& h : heaps)
            h.clear();
        for (int r0 = 0; r0 < n; r0 += kR) {
            const int nr = std::min(kR, n - r0);
            dotRowsMany(queries.row(q0), nq, data_.row(r0), nr, d, sims.data(), kR);
            for (int qi = 0; qi < nq; ++qi)
                offer(heaps[size_t(qi)], sims.data() + size_t(qi) * kR, r0, nr, k, exclude);
        }
        for (int qi = 0; qi < nq; ++qi)
            out[size_t(q0 + qi)] = finish(heaps[size_t(qi)]);
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
