#include "util/ParallelFor.h"

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace stemscope {

void parallelForEach(size_t count, int threads, const std::function<void(size_t)>& work,
                     const std::function<std::string(size_t)>& nameOf,
                     const std::function<void(size_t, size_t)>& afterEach, const std::atomic<bool>* cancel)
{
    std::atomic<size_t> next{0}, done{0};
    std::mutex m;
    std::string error;
    auto worker = [&] {
        for (;;) {
            const size_t i = next++;
            if (i >= count || (cancel && *cancel)) return;
            try {
                work(i);
            } catch (const std::exception& e) {
                std::lock_guard<std::mutex> l(m);
                if (error.empty()) error = nameOf(i) + ": " + e.what();
            }
            const size_t d = ++done;
            if (afterEach) {
                std::lock_guard<std::mutex> l(m);
                afterEach(d, i);
            }
        }
    };
    std::vector<std::thread> pool;
    for (int t = 0; t < std::max(1, threads); ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
    if (!error.empty()) throw std::runtime_error(error);
}

}  // namespace stemscope
