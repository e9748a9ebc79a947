#include "projection/BruteForceKnn.h"

#include <algorithm>
#include <stdexcept>

#include "projection/Parallel.h"
#include "util/DotProducts.h"

namespace stemscope::projection {
namespace {

struct Candidate {
    float d2;
    int j;
};

bool closer(const Candidate& a, const Candidate& b)
{
    return a.d2 < b.d2 || (a.d2 == b.d2 && a.j < b.j);
}

} // namespace

void bruteForceKnn(const Matrix& x, int k, int threads, std::vector<int>& idx, std::vector<float>& d2)
{
    const int n = x.rows, d = x.cols;
    if (k < 0 || (n > 0 && k >= n)) throw std::invalid_argument("bruteForceKnn: need 0 <= k < rows");
    idx.assign(size_t(n) * size_t(k), 0);
    d2.assign(size_t(n) * size_t(k), 0.f);
    if (n == 0 || k == 0) return;
    std::vector<float> norms(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
        dotRows(x.row(i), x.row(i), 1, d, &norms[size_t(i)]);

    // Groups of 4 query rows against blocks of 512 data rows (256 KB at 128-d: stays in L2 while a
    // chunk of 64 queries reads it); each query keeps a bounded max-heap of its k best.
    constexpr int kQ = 64, kR = 512;
    parallelFor(
        n, threads,
        [&](int begin, int end) {
            std::vector<float> dots(size_t(kQ) * kR);
            std::vector<std::vector<Candidate>> heaps(static_cast<size_t>(kQ));
            for (auto& h : heaps)
                h.reserve(size_t(k) + 1);
            for (int q0 = begin; q0 < end; q0 += kQ) {
                const int nq = std::min(kQ, end - q0);
                for (auto& h : heaps)
                    h.clear();
                for (int r0 = 0; r0 < n; r0 += kR) {
                    const int nr = std::min(kR, n - r0);
                    dotRowsMany(x.row(q0), nq, x.row(r0), nr, d, dots.data(), kR);
                    for (int qi = 0; qi < nq; ++qi) {
                        const int i = q0 + qi;
                        auto& heap = heaps[size_t(qi)];
                        const float* dot = dots.data() + size_t(qi) * kR;
                        const float ni = norms[size_t(i)];
                        for (int r = 0; r < nr; ++r) {
                            const int j = r0 + r;
                            if (j == i) continue;
                            const Candidate c{std::max(0.f, ni + norms[size_t(j)] - 2.f * dot[r]), j};
                            if (int(heap.size()) == k) {
                                if (!closer(c, heap.front())) continue;
                                std::pop_heap(heap.begin(), heap.end(), closer);
                                heap.back() = c;
                            } else {
                                heap.push_back(c);
                            }
                            std::push_heap(heap.begin(), heap.end(), closer);
                        }
                    }
                }
                for (int qi = 0; qi < nq; ++qi) {
                    auto& heap = heaps[size_t(qi)];
                    std::sort_heap(heap.begin(), heap.end(), closer);
                    const size_t o = size_t(q0 + qi) * size_t(k);
                    for (int a = 0; a < k; ++a) {
                        idx[o + size_t(a)] = heap[size_t(a)].j;
                        d2[o + size_t(a)] = heap[size_t(a)].d2;
                    }
                }
            }
        },
        64);
}

} // namespace stemscope::projection
