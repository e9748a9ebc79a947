#pragma once
// The worker pool of the corpus readers (feature sets, stem banks): every index once, on `threads`
// threads. A failing item does not stop the others; the first failure is rethrown after all
// workers stop, as std::runtime_error("<name of the item>: <what>"). `afterEach(done, index)` runs
// serialised after every item (progress). A set `cancel` flag stops handing out items.
#include <atomic>
#include <cstddef>
#include <functional>
#include <string>

namespace stemscope {

void parallelForEach(size_t count, int threads, const std::function<void(size_t index)>& work,
                     const std::function<std::string(size_t index)>& nameOf,
                     const std::function<void(size_t done, size_t index)>& afterEach = {},
                     const std::atomic<bool>* cancel = nullptr);

}  // namespace stemscope
