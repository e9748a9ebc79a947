#include "index/NeighbourSearch.h"

#include <cmath>
#include <string>

namespace stemscope {

NeighbourSearch::NeighbourSearch(FocusEmbeddings data, const IndexOptions& options) : data_(std::move(data))
{
    normaliseRows(data_.centroids);
    normaliseRows(data_.segments);
    for (size_t i = 0; i < data_.trackIds.size(); ++i) rowOfTrack_[data_.trackIds[i]] = int(i);
    tracks_ = makeIndex(data_.centroids.rows, options);
    tracks_->build(data_.centroids);
    if (data_.segments.rows > 0) {
        segments_ = makeIndex(data_.segments.rows, options);
        segments_->build(data_.segments);
    }
}

NeighbourSearch NeighbourSearch::load(LibraryStore& store, Focus focus, const std::string& modelId,
                                      const IndexOptions& options)
{
    return NeighbourSearch(store.loadFocus(focus, modelId, true), options);
}

std::vector<TrackNeighbour> NeighbourSearch::similarTracks(int64_t trackId, int k) const
{
    auto it = rowOfTrack_.find(trackId);
    if (it == rowOfTrack_.end()) throw std::out_of_range("track " + std::to_string(trackId) + " has no embeddings");
    const int self = it->second;
    std::vector<TrackNeighbour> out;
    for (const auto& n : tracks_->search(data_.centroids.row(self), k, [self](int row) { return row == self; }))
        out.push_back({data_.trackIds[size_t(n.row)], n.distance});
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
