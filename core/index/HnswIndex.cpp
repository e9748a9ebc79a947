#include "index/HnswIndex.h"

#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "index/ExactIndex.h"

namespace stemscope {

struct HnswIndex::Impl {
    std::unique_ptr<hnswlib::InnerProductSpace> space;
    std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph;
    mutable std::mutex efMutex;  // setEf mutates shared state: serialise searches that change it
};

HnswIndex::HnswIndex(IndexOptions options) : impl_(std::make_unique<Impl>()), options_(options) {}
HnswIndex::~HnswIndex() = default;

void HnswIndex::build(const Matrix& v)
{
    rows_ = v.rows;
    dim_ = v.cols;
    impl_->graph.reset();
    impl_->space = std::make_unique<hnswlib::InnerProductSpace>(size_t(std::max(1, dim_)));
    if (rows_ == 0) return;
    impl_->graph = std::make_unique<hnswlib::HierarchicalNSW<float>>(impl_->space.get(), size_t(rows_),
                                                                     size_t(options_.hnswM),
                                                                     size_t(options_.hnswEfConstruction), 100);
    // The first point alone, then the rest in parallel (hnswlib's addPoint is thread-safe).
    impl_->graph->addPoint(v.row(0), 0);
    std::atomic<int> next{1};
    auto worker = [&] {
        for (int i; (i = next.fetch_add(1)) < rows_;) {
            if (options_.cancel && *options_.cancel) break;
            impl_->graph->addPoint(v.row(i), hnswlib::labeltype(i));
        }
    };
    const int threads = std::max(1, std::min(options_.buildThreads, rows_ / 1000 + 1));
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (options_.cancel && *options_.cancel) {
        impl_->graph.reset();
        throw IndexBuildCancelled();
    }
    impl_->graph->setEf(size_t(options_.hnswEfSearch));
}

void HnswIndex::setEfSearch(int ef)
{
    std::lock_guard<std::mutex> l(impl_->efMutex);
    options_.hnswEfSearch = ef;
    if (impl_->graph) impl_->graph->setEf(size_t(ef));
}

std::vector<Neighbour> HnswIndex::search(const float* q, int k, const RowFilter& exclude) const
{
    std::vector<Neighbour> out;
    if (!impl_->graph || k <= 0) return out;
    // hnswlib 0.6 has no filter: over-fetch, drop excluded rows, widen until k survive.
    size_t fetch = size_t(k);
    for (;;) {
        fetch = std::min(fetch, size_t(rows_));
        auto pq = impl_->graph->searchKnn(q, fetch);
        std::vector<Neighbour> all;
        while (!pq.empty()) {
            all.push_back({int(pq.top().second), pq.top().first});
            pq.pop();
        }
        std::reverse(all.begin(), all.end());
        out.clear();
        for (const auto& n : all)
            if (!exclude || !exclude(n.row)) out.push_back(n);
        if (int(out.size()) >= k || fetch >= size_t(rows_)) break;
        fetch *= 4;
    }
    if (int(out.size()) > k) out.resize(size_t(k));
    return out;
}

std::unique_ptr<NeighbourIndex> makeIndex(int rows, const IndexOptions& options)
{
    if (rows > options.approximateAbove) return std::make_unique<HnswIndex>(options);
    return std::make_unique<ExactIndex>();
}

}  // namespace stemscope
