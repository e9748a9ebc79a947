#include "library/SyntheticLibrary.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "dsp/Matrix.h"
#include "util/SplitMix.h"

namespace stemscope {
namespace {

// splitmix64 + Box-Muller: identical on every standard library (std:: distributions are not).
struct Rng {
    uint64_t s;
    uint64_t next() { return splitmix64(s); }
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    double normal()
    {
        const double u1 = std::max(uniform(), 1e-300), u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
    }
};

void normalise(float* v, int d)
{
    double n = 0;
    for (int j = 0; j < d; ++j) n += double(v[j]) * v[j];
    const float inv = n > 0 ? float(1.0 / std::sqrt(n)) : 0.f;
    for (int j = 0; j < d; ++j) v[j] *= inv;
}

// centre + spread * N(0, I / d), normalised: cosine to the centre ~ 1 / sqrt(1 + spread^2).
void near(const float* centre, float* out, int d, double spread, Rng& rng)
{
    const double sigma = spread / std::sqrt(double(d));
    for (int j = 0; j < d; ++j) out[j] = centre[j] + float(sigma * rng.normal());
    normalise(out, d);
}

const char* kGenres[] = {"rock", "jazz", "funk", "latin", "pop", "blues", "country", "reggae",
                         "soul", "swing", "bossa", "metal", "disco", "folk", "gospel", "ska"};

}  // namespace

SyntheticLibraryReport writeSyntheticLibrary(LibraryStore& store, const SyntheticLibraryOptions& o,
                                             const std::function<void(int, int)>& progress,
                                             const std::atomic<bool>* cancel)
{
    if (o.tracks < 1 || o.segmentsPerTrack < 1 || o.genres < 1) throw std::invalid_argument("synthetic library: tracks, segments and genres must be positive");
    if (o.models.empty()) throw std::invalid_argument("synthetic library: no focus to fill");
    Rng rng{o.seed};
    // Genre centres per focus.
    std::map<Focus, Matrix> centres;
    for (const auto& [focus, model] : o.models) {
        if (model.dimension < 2) throw std::invalid_argument("synthetic library: dimension must be at least 2");
        Matrix c(o.genres, model.dimension);
        for (int g = 0; g < o.genres; ++g) {
            for (int j = 0; j < model.dimension; ++j) c(g, j) = float(rng.normal());
            normalise(c.row(g), model.dimension);
        }
        centres.emplace(focus, std::move(c));
    }
    for (const auto& [focus, model] : o.models) store.registerModel(model.modelId, focus, "synthetic", model.dimension, "bench gui-library");
    SyntheticLibraryReport r;
    const int nGenreNames = int(sizeof(kGenres) / sizeof(kGenres[0]));
    for (int t = 0; t < o.tracks; ++t) {
        if (cancel && *cancel) {
            r.cancelled = true;
            break;
        }
        const int genre = int(rng.next() % uint64_t(o.genres));
        char name[64];
        std::snprintf(name, sizeof name, "track-%06d", o.firstIndex + t);
        TrackRecord rec;
        rec.path = std::string("/nonexistent/stemscope-bench/") + name + ".flac";
        char hash[17];
        std::snprintf(hash, sizeof hash, "%016llx", (unsigned long long)rng.next());
        rec.contentHash = hash;
        rec.sizeBytes = 30 << 20;
        rec.duration = 180;
        rec.format = "flac";
        rec.sampleRate = 44100;
        rec.channels = 2;
        rec.status = track_status::kAnalysed;
        const std::string genreName = std::string(kGenres[genre % nGenreNames]) + (genre >= nGenreNames ? std::to_string(genre / nGenreNames) : "");
        rec.tags = nlohmann::json{{"title", std::string("Synthetic ") + name},
                                  {"artist", "Artist " + std::to_string((o.firstIndex + t) % 997)},
                                  {"album", "Album " + std::to_string((o.firstIndex + t) / 10)},
                                  {"genre", genreName}}
                       .dump();
        const int64_t id = store.insertTrack(rec);
        for (const auto& [focus, model] : o.models) {
            const int d = model.dimension;
            // The mix keeps the track's genre; each instrument focus draws its own style.
            const int g = focus == Focus::Mix ? genre : int(rng.next() % uint64_t(o.genres));
            std::vector<float> centre(static_cast<size_t>(d));
            near(centres.at(focus).row(g), centre.data(), d, o.trackSpread, rng);
            Matrix seg(o.segmentsPerTrack, d);
            std::vector<double> starts(size_t(o.segmentsPerTrack));
            for (int s = 0; s < o.segmentsPerTrack; ++s) {
                near(centre.data(), seg.row(s), d, o.segmentSpread, rng);
                starts[size_t(s)] = 1.5 * s;
            }
            store.saveAnalysis(id, focus, model.modelId, "synthetic", seg, starts);
            r.segments += o.segmentsPerTrack;
        }
        ++r.tracks;
        if (progress && ((t + 1) % 500 == 0 || t + 1 == o.tracks)) progress(t + 1, o.tracks);
    }
    return r;
}

}  // namespace stemscope
