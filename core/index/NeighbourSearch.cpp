#include "index/NeighbourSearch.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <string>

namespace stemscope {

struct NeighbourSearch::Radii {
    std::mutex mutex;
    std::vector<float> value;  // NaN until computed
};

NeighbourSearch::NeighbourSearch(FocusEmbeddings data, const IndexOptions& options, TrackRanking ranking)
    : data_(std::move(data)), ranking_(ranking), radii_(std::make_unique<Radii>())
{
    normaliseRows(data_.centroids);
    normaliseRows(data_.segments);
    for (size_t i = 0; i < data_.trackIds.size(); ++i) rowOfTrack_[data_.trackIds[i]] = int(i);
    radii_->value.assign(data_.trackIds.size(), std::numeric_limits<float>::quiet_NaN());
    tracks_ = makeIndex(data_.centroids.rows, options);
    tracks_->build(data_.centroids);
    if (data_.segments.rows > 0) {
        segments_ = makeIndex(data_.segments.rows, options);
        segments_->build(data_.segments);
    }
}

NeighbourSearch::~NeighbourSearch() = default;
NeighbourSearch::NeighbourSearch(NeighbourSearch&&) noexcept = default;

NeighbourSearch NeighbourSearch::load(LibraryStore& store, Focus focus, const std::string& modelId,
                                      const IndexOptions& options, TrackRanking ranking)
{
    return NeighbourSearch(store.loadFocus(focus, modelId, true), options, ranking);
}

std::vector<float> NeighbourSearch::meanNeighbourDistances(const std::vector<int>& rows) const
{
    std::vector<float> out(rows.size());
    std::vector<size_t> todo;
    {
        std::lock_guard<std::mutex> lock(radii_->mutex);
        for (size_t i = 0; i < rows.size(); ++i) {
            out[i] = radii_->value[size_t(rows[i])];
            if (std::isnan(out[i])) todo.push_back(i);
        }
    }
    if (todo.empty()) return out;
    // One batched search for every track not seen before (a blocked scan: about a third of the cost
    // of as many single queries), outside the lock: two threads may compute the same value, never a
    // different one. k + 1 hits, the track itself among them, dropped.
    Matrix queries(int(todo.size()), data_.centroids.cols);
    for (size_t t = 0; t < todo.size(); ++t)
        std::copy_n(data_.centroids.row(rows[todo[t]]), data_.centroids.cols, queries.row(int(t)));
    const auto hits = tracks_->searchBatch(queries, ranking_.hubnessK + 1);
    std::lock_guard<std::mutex> lock(radii_->mutex);
    for (size_t t = 0; t < todo.size(); ++t) {
        const int self = rows[todo[t]];
        double sum = 0;
        int used = 0;
        for (const auto& n : hits[t])
            if (n.row != self && used < ranking_.hubnessK) sum += n.distance, ++used;
        out[todo[t]] = radii_->value[size_t(self)] = used ? float(sum / used) : 0.f;
    }
    return out;
}

std::vector<TrackNeighbour> NeighbourSearch::similarTracks(int64_t trackId, int k) const
{
    auto it = rowOfTrack_.find(trackId);
    if (it == rowOfTrack_.end()) throw std::out_of_range("track " + std::to_string(trackId) + " has no embeddings");
    const int self = it->second;
    auto notSelf = [self](int row) { return row == self; };
    std::vector<TrackNeighbour> out;
    if (ranking_.hubnessK <= 0) {
        for (const auto& n : tracks_->search(data_.centroids.row(self), k, notSelf))
            out.push_back({data_.trackIds[size_t(n.row)], n.distance, n.distance});
        return out;
    }
    // Re-rank a pool of cosine neighbours: a correction large enough to lift a track from beyond
    // the pool would need a hub far stronger than any the benchmark shows, and the pool bounds the
    // batched search a cold query pays (docs/benchmarks/maps-and-search.md).
    constexpr int kPoolAtLeast = 100;
    const int pool = std::min(trackCount() - 1, std::max(4 * k, k + kPoolAtLeast));
    const auto hits = tracks_->search(data_.centroids.row(self), pool, notSelf);
    std::vector<int> rows{self};
    for (const auto& n : hits) rows.push_back(n.row);
    const auto m = meanNeighbourDistances(rows);
    std::vector<std::pair<TrackNeighbour, int>> ranked;
    for (size_t i = 0; i < hits.size(); ++i)
        ranked.push_back({{data_.trackIds[size_t(hits[i].row)], hits[i].distance - 0.5f * (m[0] + m[i + 1]), hits[i].distance},
                          hits[i].row});
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        return a.first.distance < b.first.distance || (a.first.distance == b.first.distance && a.second < b.second);
    });
    for (size_t i = 0; i < ranked.size() && int(i) < k; ++i) out.push_back(ranked[i].first);
    return out;
}

std::vector<SegmentNeighbour> NeighbourSearch::similarSegments(int64_t trackId, double atSeconds, int k) const
{
    int best = -1;
    double bestGap = 0;
    for (int r = 0; r < data_.segments.rows; ++r) {
        if (data_.segmentTrack[size_t(r)] != trackId) continue;
        const double gap = std::abs(data_.segmentStart[size_t(r)] - atSeconds);
        if (best < 0 || gap < bestGap) { best = r; bestGap = gap; }
    }
    if (best < 0) throw std::out_of_range("track " + std::to_string(trackId) + " has no segment embeddings");
    const auto& owner = data_.segmentTrack;
    std::vector<SegmentNeighbour> out;
    for (const auto& n : segments_->search(data_.segments.row(best), k,
                                           [&owner, trackId](int row) { return owner[size_t(row)] == trackId; }))
        out.push_back({owner[size_t(n.row)], data_.segmentStart[size_t(n.row)], n.distance});
    return out;
}

}  // namespace stemscope
