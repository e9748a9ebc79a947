#pragma once
// Focus fidelity on pseudo-mixes: does a focus still hear its instrument when the rest of the band
// plays? For a test corpus of n songs (stems per song), focus f and length T:
//   query i     = i's f-stem over [0, T)  + every other stem of song s(i) over [0, T)
//   gallery k   = k's f-stem over [T, 2T) + every other stem of song s(r(k)) over [T, 2T)
// with the derangements s(i) = i + sShift and r(k) = k + rShift (mod n). Query i's right answer is
// gallery i; the gallery item with the query's accompaniment song and another part is its
// distractor. Metrics per (focus, pipeline): acc@1 and distractor@1 of the nearest gallery track
// centroid (cosine), MRR of the right item, and segment kNN (each query segment votes with its k
// nearest gallery segments). A pipeline turns a pseudo-mix into segment embeddings: the clean part
// (the ceiling), the separated part, or the mix itself, through any Embedder. Torch-free.
#include <memory>
#include <string>
#include <vector>

#include "embedding/Embedder.h"
#include "embedding/Focus.h"
#include "embedding/TrackEmbedding.h"
#include "mixfocus/MixPipelines.h"

namespace stemscope {

// The stems of every song over [0, 2T), decoded once for all focuses (mono, 22050 Hz).
struct PseudoMixCorpus {
    double seconds = 30;                       // T
    std::vector<std::string> songs;            // folder names
    std::vector<std::vector<std::vector<float>>> stems;  // [song][drums, bass, piano, guitar, other] over [0, 2T)
};
// Songs missing one of drums/bass/piano/guitar or shorter than 2T are left out (listed in
// *skipped when given). `maxSongs` > 0 keeps the first ones. Throws when fewer than 3 remain.
PseudoMixCorpus loadPseudoMixCorpus(const std::string& corpusDir, double seconds, int maxSongs = 0,
                                    std::vector<std::string>* skipped = nullptr);

struct PseudoMixTrack {
    std::vector<float> mix;   // part + accompaniment
    std::vector<float> part;  // the clean focus part alone
    int partSong = 0, accompanimentSong = 0;
};

struct PseudoMixSet {
    Focus focus = Focus::Drums;
    double partDb = 0;                    // the part's level change against its accompaniment
    int sShift = 1, rShift = 3;           // as used (rShift is moved on when it would give a song its own accompaniment)
    std::vector<PseudoMixTrack> queries, gallery;
    std::vector<int> distractor;          // per query: the gallery index sharing its accompaniment song
};
// `partDb` scales the focus part against its accompaniment (0: the songs' own levels; -6: the part
// 6 dB quieter, the robustness sweep of evaluate-mix --part-db).
PseudoMixSet makePseudoMixSet(const PseudoMixCorpus& corpus, Focus focus, int sShift = 1, int rShift = 3,
                              double partDb = 0);

// The focus part's level against the rest of the pseudo-mix, dB (energy over the whole track):
// how buried the part is that a query asks for (-inf for a silent part, +inf without accompaniment).
double partToAccompanimentDb(const PseudoMixTrack& track);

// The pipeline's segment embeddings of one pseudo-mix (its mix, or its clean part for CleanPart).
TrackEmbedding embedPseudoMix(const PseudoMixTrack& track, Focus focus, const MixPipeline& pipeline);

struct PseudoMixScores {
    int queries = 0;
    double acc1 = 0, distractor1 = 0, mrr = 0, segmentKnn = 0;
    int querySegments = 0;
    // Per query (the diagnosis of which songs fail): the right item's rank (1 = found) and the
    // nearest gallery item (-1 when nothing was comparable).
    std::vector<int> rank, nearest;
};
// hubnessK = 0 ranks the gallery by plain centroid cosine (the benchmark); > 0 ranks it as
// the engine's neighbour lists do (NeighbourSearch with TrackRanking{hubnessK}), the queries and the
// gallery together forming the library. Segment kNN is plain cosine either way.
// scorePseudoMix = rankPseudoMix (track level) + segmentKnnPseudoMix (segment level).
PseudoMixScores scorePseudoMix(const std::vector<TrackEmbedding>& queries, const std::vector<TrackEmbedding>& gallery,
                               const std::vector<int>& distractor, int k = 5, int hubnessK = 0);

// Track level only (acc@1, distractor@1, MRR, rank, nearest); segmentKnn and querySegments stay 0.
PseudoMixScores rankPseudoMix(const std::vector<TrackEmbedding>& queries, const std::vector<TrackEmbedding>& gallery,
                              const std::vector<int>& distractor, int hubnessK = 0);
// Segment level: the share of query segments whose k nearest gallery segments (plain cosine) vote
// for the query's own song; *querySegments gets how many segments voted.
double segmentKnnPseudoMix(const std::vector<TrackEmbedding>& queries, const std::vector<TrackEmbedding>& gallery, int k,
                           int* querySegments = nullptr);

// Chance levels for n songs: acc@1 = distractor@1 = 1/n, MRR = H(n)/n.
PseudoMixScores chancePseudoMix(int songs);

}  // namespace stemscope
