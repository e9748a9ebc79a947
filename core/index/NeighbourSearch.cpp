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

float NeighbourSearch::meanNeighbourDistance(int row) const
{
    {
        std::lock_guard<std::mutex> lock(radii_->mutex);
        if (!std::isnan(radii_->value[size_t(row)])) return radii_->value[size_t(row)];
    }
    // Searched outside the lock: two threads may compute the same value, never a different one.
    const auto near = tracks_->search(data_.centroids.row(row), ranking_.hubnessK, [row](int r) { return r == row; });
    double sum = 0;
    for (const auto& n : near) sum += n.distance;
    const float m = near.empty() ? 0.f : float(sum / double(near.size()));
    std::lock_guard<std::mutex> lock(radii_->mutex);
    return radii_->value[size_t(row)] = m;
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
    // the pool would need a hub far stronger than any the benchmark shows, and the pool keeps a
    // query to a few dozen searches on a large library.
    constexpr int kPoolAtLeast = 100;
    const int pool = std::min(trackCount() - 1, std::max(4 * k, k + kPoolAtLeast));
    const float mSelf = meanNeighbourDistance(self);
    std::vector<std::pair<TrackNeighbour, int>> ranked;
    for (const auto& n : tracks_->search(data_.centroids.row(self), pool, notSelf))
        ranked.push_back({{data_.trackIds[size_t(n.row)], n.distance - 0.5f * (mSelf + meanNeighbourDistance(n.row)),
                           n.distance},
                          n.row});
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
