#pragma once
// "Tracks (or moments) that sound like this one, for this focus": loads one focus's embeddings
// from a library and answers neighbour queries at track level (L2-normalised centroids) and
// segment level, always excluding the query track itself. Distances are cosine distances.
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <vector>

#include "index/NeighbourIndex.h"
#include "library/LibraryStore.h"

namespace stemscope {

struct TrackNeighbour {
    int64_t trackId = 0;
    float distance = 0.f;
};

struct SegmentNeighbour {
    int64_t trackId = 0;
    double startSeconds = 0;
    float distance = 0.f;
};

class NeighbourSearch {
public:
    NeighbourSearch(FocusEmbeddings data, const IndexOptions& options = {});
    static NeighbourSearch load(LibraryStore& store, Focus focus, const std::string& modelId,
                                const IndexOptions& options = {});

    int trackCount() const { return int(data_.trackIds.size()); }
    int segmentCount() const { return data_.segments.rows; }
    std::string trackIndexKind() const { return tracks_ ? tracks_->kind() : "none"; }
    std::string segmentIndexKind() const { return segments_ ? segments_->kind() : "none"; }
    bool contains(int64_t trackId) const { return rowOfTrack_.count(trackId) > 0; }

    // Throws std::out_of_range if the track has no embeddings for this focus.
    std::vector<TrackNeighbour> similarTracks(int64_t trackId, int k) const;
    // Neighbours of the track's segment that starts closest to `atSeconds`.
    std::vector<SegmentNeighbour> similarSegments(int64_t trackId, double atSeconds, int k) const;

private:
    FocusEmbeddings data_;
    std::map<int64_t, int> rowOfTrack_;
    std::unique_ptr<NeighbourIndex> tracks_;
    std::unique_ptr<NeighbourIndex> segments_;
};

}  // namespace stemscope
