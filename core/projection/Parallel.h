#pragma once
// A tiny fork-join helper for the projection code: split [0, n) into `threads` contiguous chunks and run
// fn(begin, end) on each, the first chunk on the calling thread. Results must be written to per-index
// slots (never accumulated across chunks) so that output does not depend on the thread count.
#include <algorithm>
#include <thread>
#include <vector>

namespace stemscope::projection {

// threads <= 0 means "all hardware threads".
inline int resolveThreads(int threads)
{
    if (threads > 0) return threads;
    const unsigned hw = std::thread::hardware_concurrency();
    return hw ? int(hw) : 1;
}

template <class Fn>
void parallelFor(int n, int threads, Fn&& fn, int minPerThread = 64)
{
    if (n <= 0) return;
    int t = std::max(1, std::min(resolveThreads(threads), (n + minPerThread - 1) / std::max(1, minPerThread)));
    if (t == 1) {
        fn(0, n);
        return;
    }
    std::vector<std::thread> pool;
    pool.reserve(size_t(t - 1));
    const int chunk = (n + t - 1) / t;
    for (int c = 1; c < t; ++c) {
        const int b = c * chunk, e = std::min(n, b + chunk);
        if (b < e) pool.emplace_back([&fn, b, e] { fn(b, e); });
    }
    fn(0, std::min(n, chunk));
    for (auto& th : pool) th.join();
}

}  // namespace stemscope::projection
