#pragma once
// "Tracks (or moments) that sound like this one, for this focus": loads one focus's embeddings
// from a library and answers neighbour queries at track level (L2-normalised centroids) and
// segment level, always excluding the query track itself. Distances are cosine distances; track
// neighbours are ranked with hubness correction unless TrackRanking turns it off.
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
    float distance = 0.f;        // what the list is ranked by (see TrackRanking)
    float cosineDistance = 0.f;  // plain cosine distance of the two centroids
};

// Hubness correction (CSLS, Lample et al. 2018): some tracks ("hubs") sit near everything in the
// embedding and crowd every list. With hubnessK > 0 a neighbour b of query a is ranked by
// d(a, b) - (m(a) + m(b)) / 2, m(x) the mean cosine distance from x to its hubnessK nearest other
// tracks: "closer than each is to its usual neighbours" reads below 0. On the 48 validation
// pseudo-mixes it finds the right part for one more drums and four more piano songs than plain
// cosine and loses none (docs/results/focus-on-mixes.md, session 42). 0 = plain cosine distance.
struct TrackRanking {
    int hubnessK = 5;
};

struct SegmentNeighbour {
    int64_t trackId = 0;
    double startSeconds = 0;
    float distance = 0.f;
};

class NeighbourSearch {
public:
    NeighbourSearch(FocusEmbeddings data, const IndexOptions& options = {}, TrackRanking ranking = {});
    static NeighbourSearch load(LibraryStore& store, Focus focus, const std::string& modelId,
                                const IndexOptions& options = {}, TrackRanking ranking = {});
    ~NeighbourSearch();
    NeighbourSearch(NeighbourSearch&&) noexcept;

    int trackCount() const { return int(data_.trackIds.size()); }
    int segmentCount() const { return data_.segments.rows; }
    std::string trackIndexKind() const { return tracks_ ? tracks_->kind() : "none"; }
    std::string segmentIndexKind() const { return segments_ ? segments_->kind() : "none"; }
    bool contains(int64_t trackId) const { return rowOfTrack_.count(trackId) > 0; }

    // Throws std::out_of_range if the track has no embeddings for this focus. Thread-safe.
    std::vector<TrackNeighbour> similarTracks(int64_t trackId, int k) const;
    // Neighbours of the track's segment that starts closest to `atSeconds`.
    std::vector<SegmentNeighbour> similarSegments(int64_t trackId, double atSeconds, int k) const;

private:
    // m(row) of TrackRanking for each row, computed on first use and kept.
    std::vector<float> meanNeighbourDistances(const std::vector<int>& rows) const;
    struct Radii;

    FocusEmbeddings data_;
    TrackRanking ranking_;
    std::unique_ptr<Radii> radii_;
    std::map<int64_t, int> rowOfTrack_;
    std::unique_ptr<NeighbourIndex> tracks_;
    std::unique_ptr<NeighbourIndex> segments_;
};

}  // namespace stemscope
