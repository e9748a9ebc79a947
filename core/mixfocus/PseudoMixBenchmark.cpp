#include "mixfocus/PseudoMixBenchmark.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>

#include "analysis/SegmentFeatures.h"
#include "audio/AudioDecoder.h"
#include "index/NeighbourSearch.h"
#include "instrsim/FeatureSet.h"

namespace stemscope {
namespace fs = std::filesystem;

namespace {
constexpr std::array<Focus, 4> kParts{Focus::Drums, Focus::Bass, Focus::Piano, Focus::Guitar};
constexpr std::array<const char*, 5> kStemNames{"drums", "bass", "piano", "guitar", "other"};

int partIndex(Focus f)
{
    for (size_t i = 0; i < kParts.size(); ++i)
        if (kParts[i] == f) return int(i);
    throw std::invalid_argument("pseudo-mixes are made for drums, bass, piano and guitar, not " + std::string(focusName(f)));
}
}  // namespace

PseudoMixCorpus loadPseudoMixCorpus(const std::string& corpusDir, double seconds, int maxSongs,
                                    std::vector<std::string>* skipped)
{
    PseudoMixCorpus c;
    c.seconds = seconds;
    const size_t need = size_t(std::llround(2 * seconds * kAnalysisSampleRate));
    for (const auto& name : listCorpusSongs(corpusDir)) {
        if (maxSongs > 0 && int(c.songs.size()) >= maxSongs) break;
        const auto dir = fs::path(corpusDir) / name;
        std::vector<std::vector<float>> stems;
        std::string why;
        for (size_t k = 0; k < kStemNames.size() && why.empty(); ++k) {
            std::string file;
            for (const char* ext : {".flac", ".wav", ".ogg"})
                if (fs::exists(dir / (std::string(kStemNames[k]) + ext))) {
                    file = (dir / (std::string(kStemNames[k]) + ext)).string();
                    break;
                }
            if (file.empty()) {
                if (k < 4) why = std::string("no ") + kStemNames[k] + " stem";
                else stems.emplace_back(need, 0.f);  // no other stem: silent
                continue;
            }
            DecodeOptions d;
            d.targetSampleRate = kAnalysisSampleRate;
            d.durationSeconds = 2 * seconds + 0.5;
            auto x = defaultAudioDecoder()->decodeMono(file, d).samples;
            if (x.size() < need) why = "shorter than " + std::to_string(int(2 * seconds)) + " s";
            x.resize(need);
            stems.push_back(std::move(x));
        }
        if (!why.empty()) {
            if (skipped) skipped->push_back(name + ": " + why);
            continue;
        }
        c.songs.push_back(name);
        c.stems.push_back(std::move(stems));
    }
    if (c.songs.size() < 3)
        throw std::runtime_error(corpusDir + ": pseudo-mixes need at least 3 songs with all four stems and " +
                                 std::to_string(int(2 * seconds)) + " s of audio; found " + std::to_string(c.songs.size()));
    return c;
}

PseudoMixSet makePseudoMixSet(const PseudoMixCorpus& c, Focus focus, int sShift, int rShift, double partDb)
{
    const int part = partIndex(focus);
    const int n = int(c.songs.size());
    auto mod = [n](int x) { return ((x % n) + n) % n; };
    if (mod(sShift) == 0) throw std::invalid_argument("sShift must not be a multiple of the song count");
    // r must be a derangement and no gallery item may carry its own song's accompaniment.
    int tries = 0;
    while (mod(rShift) == 0 || mod(rShift + sShift) == 0) {
        ++rShift;
        if (++tries > n) throw std::invalid_argument("no valid rShift for " + std::to_string(n) + " songs");
    }
    PseudoMixSet set;
    set.focus = focus;
    set.partDb = partDb;
    set.sShift = sShift;
    set.rShift = rShift;
    const size_t T = c.stems.front().front().size() / 2;
    auto make = [&](int partSong, int accSong, size_t from) {
        PseudoMixTrack t;
        t.partSong = partSong;
        t.accompanimentSong = accSong;
        const auto& p = c.stems[size_t(partSong)][size_t(part)];
        t.part.assign(p.begin() + long(from), p.begin() + long(from + T));
        if (partDb != 0) {
            const float g = float(std::pow(10.0, partDb / 20.0));
            for (float& v : t.part) v *= g;
        }
        t.mix = t.part;
        for (size_t k = 0; k < kStemNames.size(); ++k) {
            if (int(k) == part) continue;
            const auto& a = c.stems[size_t(accSong)][k];
            for (size_t i = 0; i < T; ++i) t.mix[i] += a[from + i];
        }
        return t;
    };
    for (int i = 0; i < n; ++i) set.queries.push_back(make(i, mod(i + sShift), 0));
    for (int k = 0; k < n; ++k) set.gallery.push_back(make(k, mod(mod(k + rShift) + sShift), T));
    for (int i = 0; i < n; ++i)
        for (int k = 0; k < n; ++k)
            if (k != i && set.gallery[size_t(k)].accompanimentSong == set.queries[size_t(i)].accompanimentSong)
                set.distractor.push_back(k);
    if (int(set.distractor.size()) != n) throw std::logic_error("pseudo-mix set: every query needs exactly one distractor");
    return set;
}

TrackEmbedding embedPseudoMix(const PseudoMixTrack& track, Focus focus, const MixPipeline& p)
{
    return runPipeline(p, focus, track.mix, &track.part);
}

double partToAccompanimentDb(const PseudoMixTrack& track)
{
    double part = 0, rest = 0;
    const size_t n = std::min(track.mix.size(), track.part.size());
    for (size_t i = 0; i < n; ++i) {
        const double p = track.part[i], a = double(track.mix[i]) - p;
        part += p * p;
        rest += a * a;
    }
    if (rest <= 0) return part > 0 ? std::numeric_limits<double>::infinity() : 0.0;
    if (part <= 0) return -std::numeric_limits<double>::infinity();
    return 10.0 * std::log10(part / rest);
}

namespace {
double cosineDistance(const std::vector<float>& a, const float* b, size_t d)
{
    double dot = 0;
    for (size_t i = 0; i < d; ++i) dot += double(a[i]) * b[i];
    return 1.0 - dot;
}

// Track distances [query][gallery] as the engine ranks them: queries are tracks 0..n-1, the gallery
// n..2n-1 of one library. Items without segments stay at +inf (never nearest).
std::vector<std::vector<double>> engineDistances(const std::vector<TrackEmbedding>& q, const std::vector<TrackEmbedding>& g,
                                                 int hubnessK)
{
    const int n = int(q.size());
    FocusEmbeddings lib;
    std::vector<const std::vector<float>*> rows;
    for (int i = 0; i < 2 * n; ++i) {
        const auto& c = i < n ? q[size_t(i)].centroid : g[size_t(i - n)].centroid;
        if (c.empty()) continue;
        lib.trackIds.push_back(i);
        rows.push_back(&c);
    }
    std::vector<std::vector<double>> d(size_t(n), std::vector<double>(size_t(n), std::numeric_limits<double>::infinity()));
    if (rows.size() < 2) return d;
    lib.centroids = Matrix(int(rows.size()), int(rows.front()->size()));
    for (size_t r = 0; r < rows.size(); ++r) std::copy(rows[r]->begin(), rows[r]->end(), lib.centroids.row(int(r)));
    const NeighbourSearch search(std::move(lib), {}, TrackRanking{hubnessK});
    for (int i = 0; i < n; ++i) {
        if (!search.contains(i)) continue;
        for (const auto& hit : search.similarTracks(i, 2 * n))
            if (hit.trackId >= n) d[size_t(i)][size_t(hit.trackId - n)] = hit.distance;
    }
    return d;
}
}  // namespace

PseudoMixScores rankPseudoMix(const std::vector<TrackEmbedding>& q, const std::vector<TrackEmbedding>& g,
                              const std::vector<int>& distractor, int hubnessK)
{
    const int n = int(q.size());
    if (int(g.size()) != n || int(distractor.size()) != n) throw std::invalid_argument("pseudo-mix scores: sizes differ");
    PseudoMixScores s;
    s.queries = n;
    const double none = std::numeric_limits<double>::infinity();
    const auto engine = hubnessK > 0 ? engineDistances(q, g, hubnessK) : std::vector<std::vector<double>>{};
    for (int i = 0; i < n; ++i) {
        // A query or gallery item without segments is never nearest.
        std::vector<double> d(size_t(n), none);
        if (hubnessK > 0)
            d = engine[size_t(i)];
        else if (!q[size_t(i)].centroid.empty())
            for (int j = 0; j < n; ++j)
                if (!g[size_t(j)].centroid.empty())
                    d[size_t(j)] = cosineDistance(q[size_t(i)].centroid, g[size_t(j)].centroid.data(), g[size_t(j)].centroid.size());
        int best = -1;  // stays -1 when nothing is comparable
        for (int j = 0; j < n; ++j)
            if (d[size_t(j)] < none && (best < 0 || d[size_t(j)] < d[size_t(best)])) best = j;
        int rank = best < 0 ? n : 1;
        for (int j = 0; j < n && best >= 0; ++j)
            if (j != i && d[size_t(j)] <= d[size_t(i)] && (d[size_t(j)] < d[size_t(i)] || d[size_t(i)] == none)) ++rank;
        s.rank.push_back(rank);
        s.nearest.push_back(best);
        s.acc1 += best == i;
        s.distractor1 += best == distractor[size_t(i)];
        s.mrr += 1.0 / rank;
    }
    s.acc1 /= n;
    s.distractor1 /= n;
    s.mrr /= n;
    return s;
}

double segmentKnnPseudoMix(const std::vector<TrackEmbedding>& q, const std::vector<TrackEmbedding>& g, int k,
                           int* querySegments)
{
    const int n = int(q.size());
    long long hits = 0, total = 0;
    for (int i = 0; i < n; ++i) {
        // Each query segment's k nearest gallery segments vote for their song.
        const Matrix& qs = q[size_t(i)].segments;
        for (int r = 0; r < qs.rows; ++r) {
            std::vector<std::pair<double, int>> all;
            for (int j = 0; j < int(g.size()); ++j) {
                const Matrix& gs = g[size_t(j)].segments;
                for (int t = 0; t < gs.rows; ++t) {
                    double dot = 0;
                    for (int c = 0; c < gs.cols; ++c) dot += double(qs(r, c)) * gs(t, c);
                    all.emplace_back(1.0 - dot, j);
                }
            }
            const size_t kk = std::min(all.size(), size_t(std::max(1, k)));
            std::partial_sort(all.begin(), all.begin() + long(kk), all.end());
            std::map<int, int> votes;
            for (size_t v = 0; v < kk; ++v) ++votes[all[v].second];
            // Majority; a tie goes to the song of the nearest segment among the tied.
            int winner = -1, most = 0;
            for (size_t v = 0; v < kk; ++v) {
                const int c = votes[all[v].second];
                if (c > most) most = c, winner = all[v].second;
            }
            hits += winner == i;
            ++total;
        }
    }
    if (querySegments) *querySegments = int(total);
    return total > 0 ? double(hits) / double(total) : 0.0;
}

PseudoMixScores scorePseudoMix(const std::vector<TrackEmbedding>& q, const std::vector<TrackEmbedding>& g,
                               const std::vector<int>& distractor, int k, int hubnessK)
{
    auto s = rankPseudoMix(q, g, distractor, hubnessK);
    s.segmentKnn = segmentKnnPseudoMix(q, g, k, &s.querySegments);
    return s;
}

PseudoMixScores chancePseudoMix(int songs)
{
    PseudoMixScores s;
    s.queries = songs;
    s.acc1 = s.distractor1 = s.segmentKnn = 1.0 / songs;
    for (int r = 1; r <= songs; ++r) s.mrr += 1.0 / r;
    s.mrr /= songs;
    return s;
}

}  // namespace stemscope
