// `stemscope-cli bench library`: import + analysis throughput and peak RSS on a generated set of
// files, then neighbour-query latency (exact vs HNSW) and HNSW recall@k on random unit vectors.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "audio/AudioDecoder.h"
#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "separation/TorchSeparator.h"
#include "cli/LibraryCliSupport.h"
#include "session/LibrarySession.h"
#include "index/ExactIndex.h"
#include "index/HnswIndex.h"
#include "index/NeighbourSearch.h"
#include "util/DotProducts.h"
#include "library/LibraryStore.h"
#include "library/TrackImporter.h"

namespace stemscope::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// A "song": a bass line, a chord pad, a hi-hat-like noise pulse; seeded per index.
std::vector<float> synthPart(int part, unsigned seed, double rate, double seconds)
{
    std::mt19937 rng(seed * 7919u + unsigned(part));
    std::uniform_real_distribution<double> u(0, 1);
    const double root = 55.0 * std::pow(2.0, std::floor(u(rng) * 12) / 12.0);
    const double bpm = 80 + 80 * u(rng);
    std::vector<float> x(size_t(seconds * rate));
    std::normal_distribution<float> noise(0.f, 1.f);
    for (size_t i = 0; i < x.size(); ++i) {
        const double t = double(i) / rate;
        const double beat = std::fmod(t * bpm / 60.0, 1.0);
        double v = 0;
        switch (part) {
        case 0: v = 0.6 * std::exp(-beat * 12) * noise(rng); break;                       // drums
        case 1: v = 0.4 * std::sin(2 * M_PI * root * t) * (1 - 0.5 * beat); break;        // bass
        case 2: v = 0.12 * (std::sin(2 * M_PI * root * 4 * t) + std::sin(2 * M_PI * root * 5.04 * t) +
                           std::sin(2 * M_PI * root * 6 * t)) * std::exp(-beat * 2); break; // piano
        default: v = 0.2 * std::sin(2 * M_PI * root * 3 * t + 2 * std::sin(2 * M_PI * root * t)); break; // guitar
        }
        x[i] = float(v);
    }
    return x;
}

struct GeneratedSet {
    int files = 0;
    double audioSeconds = 0;
    double megabytes = 0;
};

GeneratedSet generate(const std::string& dir, int tracks, double seconds, int corpusEvery)
{
    GeneratedSet g;
    const double rate = 44100.0;
    for (int i = 0; i < tracks; ++i) {
        std::vector<std::vector<float>> parts;
        for (int p = 0; p < 4; ++p) parts.push_back(synthPart(p, unsigned(i), rate, seconds));
        std::vector<float> mix(parts[0].size());
        for (const auto& p : parts)
            for (size_t k = 0; k < mix.size(); ++k) mix[k] += 0.7f * p[k];
        const bool corpus = corpusEvery > 0 && i % corpusEvery == 0;
        std::string mixPath;
        if (corpus) {
            const auto folder = dir + "/corpus/song " + std::to_string(i);
            fs::create_directories(fs::u8path(folder));
            const char* names[] = {"drums", "bass", "piano", "guitar"};
            for (int p = 0; p < 4; ++p) writeAudio(folder + "/" + names[p] + ".wav", {parts[size_t(p)]}, rate, 16);
            mixPath = folder + "/mix.wav";
        } else {
            mixPath = dir + "/track " + std::to_string(i) + ".wav";
        }
        writeAudio(mixPath, {mix, mix}, rate, 16);
        ++g.files;
        g.audioSeconds += seconds;
        g.megabytes += double(fs::file_size(fs::u8path(mixPath))) / 1e6;
    }
    return g;
}

// "random": i.i.d. Gaussian directions (no structure at all: the worst case for HNSW).
// "clustered": like segment embeddings, rows come in groups of 40 (one "track") scattered
// around a random centre (noise norm 0.8 against a unit centre, cosine to the centre ~0.8).
Matrix randomUnit(int n, int d, unsigned seed, bool clustered = false)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> g;
    Matrix m(n, d);
    if (!clustered) {
        for (auto& v : m.data) v = g(rng);
    } else {
        std::vector<float> centre(static_cast<size_t>(d), 0.f);
        const float sigma = 0.8f / std::sqrt(float(d));
        for (int r = 0; r < n; ++r) {
            if (r % 40 == 0) {
                double norm = 0;
                for (auto& c : centre) { c = g(rng); norm += double(c) * c; }
                for (auto& c : centre) c = float(c / std::sqrt(norm));
            }
            for (int j = 0; j < d; ++j) m(r, j) = centre[size_t(j)] + sigma * g(rng);
        }
    }
    normaliseRows(m);
    return m;
}

void benchIndex(int n, int dim, int queries, int k, int threads, const std::vector<int>& efs, bool clustered, int hnswM,
                int efConstruction)
{
    const Matrix data = randomUnit(n, dim, 11u + unsigned(n), clustered);
    // Clustered: queries are perturbed data rows (a segment of a new track near known ones).
    Matrix q = clustered ? Matrix(queries, dim) : randomUnit(queries, dim, 99u);
    if (clustered) {
        std::mt19937 rng(99u);
        std::normal_distribution<float> g;
        std::uniform_int_distribution<int> pick(0, n - 1);
        for (int i = 0; i < queries; ++i) {
            const int r = pick(rng);
            for (int j = 0; j < dim; ++j) q(i, j) = data(r, j) + 0.8f / std::sqrt(float(dim)) * g(rng);
        }
        normaliseRows(q);
    }
    ExactIndex exact;
    auto t0 = Clock::now();
    exact.build(data);
    const double exactBuild = since(t0);
    IndexOptions o;
    o.buildThreads = threads;
    o.hnswM = hnswM;
    o.hnswEfConstruction = efConstruction;
    HnswIndex hnsw(o);
    t0 = Clock::now();
    hnsw.build(data);
    const double hnswBuild = since(t0);

    std::vector<std::vector<Neighbour>> ex, ap;
    std::vector<double> perQuery;
    for (int i = 0; i < q.rows; ++i) {
        t0 = Clock::now();
        ex.push_back(exact.search(q.row(i), k));
        perQuery.push_back(1e3 * since(t0));
    }
    double exactMs = 0;
    for (double v : perQuery) exactMs += v / double(perQuery.size());
    std::sort(perQuery.begin(), perQuery.end());
    const double exactP95 = perQuery[std::min(perQuery.size() - 1, size_t(0.95 * double(perQuery.size())))];
    t0 = Clock::now();
    const auto batch = exact.searchBatch(q, k);
    const double exactBatchMs = 1e3 * since(t0) / q.rows;
    for (int ef : efs) {
        hnsw.setEfSearch(ef);
        ap.clear();
        t0 = Clock::now();
        for (int i = 0; i < q.rows; ++i) ap.push_back(hnsw.search(q.row(i), k));
        const double hnswMs = 1e3 * since(t0) / q.rows;
        std::cout << std::fixed << std::setprecision(3) << "| " << n << " | " << dim << " | " << exactMs << " | "
                  << exactP95 << " | " << exactBatchMs << " | " << ef << " | " << hnswMs << " | " << std::setprecision(1) << hnswBuild
                  << " | " << std::setprecision(3) << recallAtK(ex, ap) << " |" << std::endl;
    }
    (void)exactBuild;
    (void)batch;
}

// Track-neighbour queries through NeighbourSearch (what the neighbour list asks), plain cosine
// against hubness-corrected ranking: a cold query also computes m() for its candidate pool, a warm
// one finds them memoised.
void benchTrackRanking(int n, int dim, int queries, int k)
{
    FocusEmbeddings f;
    f.centroids = randomUnit(n, dim, 11u + unsigned(n), true);
    for (int i = 0; i < n; ++i) f.trackIds.push_back(i);
    std::mt19937 rng(7u);
    std::uniform_int_distribution<int> pick(0, n - 1);
    std::vector<int64_t> ids;
    for (int i = 0; i < queries; ++i) ids.push_back(pick(rng));
    auto timeAll = [&](const NeighbourSearch& s) {
        const auto t0 = Clock::now();
        for (int64_t id : ids) (void)s.similarTracks(id, k);
        return 1e3 * since(t0) / double(ids.size());
    };
    const NeighbourSearch plain(f, {}, TrackRanking{0});
    const double plainMs = timeAll(plain);
    const NeighbourSearch corrected(f, {}, TrackRanking{});
    const double coldMs = timeAll(corrected), warmMs = timeAll(corrected);
    std::cout << std::fixed << std::setprecision(3) << "| " << n << " | " << k << " | " << plainMs << " | " << coldMs
              << " | " << warmMs << " |" << std::endl;
}

int run(int argc, char** argv)
{
    CliArgs args(argc, argv, {"skip-index", "skip-library"});
    const int tracks = args.getInt("tracks", 24);
    const double seconds = args.getDouble("seconds", 30.0);
    const int workers = args.getInt("workers", int(std::max(1u, std::thread::hardware_concurrency())));
    const int corpusEvery = args.getInt("corpus-every", 4);
    const int dim = args.getInt("dim", 128);
    const int queries = args.getInt("queries", 200);
    const int k = args.getInt("k", 10);
    std::vector<int> efs;
    {
        std::stringstream in(args.get("ef", "64,128,256"));
        for (std::string s; std::getline(in, s, ',');) efs.push_back(std::stoi(s));
    }

    if (!args.has("skip-library")) {
        const auto dir = (fs::temp_directory_path() / ("stemscope-bench-" + std::to_string(::getpid()))).u8string();
        fs::create_directories(fs::u8path(dir + "/audio"));
        auto sessionBox = std::make_unique<LibrarySession>(dir + "/lib.sqlite");
        LibrarySession& session = *sessionBox;
        chooseModels(session, args);
        std::cout << "bench library: " << tracks << " tracks x " << seconds << " s (44.1 kHz stereo 16-bit WAV, every "
                  << corpusEvery << "th a multitrack folder with 4 stems), " << workers << " workers, embedders:";
        for (const auto& [f, e] : session.embedders()) std::cout << " " << e->modelId();
        std::cout << "\n";
        auto t0 = Clock::now();
        const auto set = generate(dir + "/audio", tracks, seconds, corpusEvery);
        std::cout << "generated " << set.files << " files (" << std::fixed << std::setprecision(1) << set.megabytes
                  << " MB of mixes) in " << since(t0) << " s\n";
        {
            auto store = session.store();
            t0 = Clock::now();
            TrackImporter importer(*store, defaultAudioDecoder());
            const auto report = importer.run({dir + "/audio"});
            const double importS = since(t0);
            std::cout << "import: " << report.added << " tracks in " << std::setprecision(2) << importS << " s ("
                      << std::setprecision(1) << report.added / importS << " tracks/s, " << set.audioSeconds / importS
                      << "x real time)\n";
            t0 = Clock::now();
            AnalysisOptions options;
            if (args.get("separator", "none") == "default") {
                options.separator = loadDefaultSeparator();
                if (!options.separator) throw std::runtime_error("--separator default: no separator model installed");
                options.stemCacheDir = dir + "/lib.sqlite.stems";
            }
            const auto run = runAnalysis(session, workers, true, options);
            const double analyseS = since(t0);
            const auto& p = run.progress;
            const auto summary = store->summary();
            int64_t focusResults = 0;
            for (const auto& [f, m] : summary.analyses) focusResults += m.count("done") ? m.at("done") : 0;
            std::cout << "analysis: " << p.tracksFinished << " tracks, " << focusResults << " focus results, "
                      << p.segments << " segments in " << std::setprecision(2) << analyseS << " s = "
                      << std::setprecision(1) << set.audioSeconds / analyseS << "x real time (mix audio)\n";
            std::cout << "import + analysis: " << set.audioSeconds / (importS + analyseS) << "x real time\n";
            std::cout << "peak RSS after analysis: " << peakRssKiB() / 1024 << " MiB\n";
            if (options.separator) {
                // What `library analyze` and the GUI do next: the stems for listening, as their own job.
                const auto stems = runListeningStems(session, options.separator, true);
                std::cout << "stems for listening: " << stems.report.separated << " tracks separated in " << std::setprecision(2) << stems.seconds << " s = " << std::setprecision(1)
                          << set.audioSeconds / stems.seconds << "x real time\n";
                std::cout << "analysis + stems for listening: " << set.audioSeconds / (analyseS + stems.seconds)
                          << "x real time\n";
                std::cout << "peak RSS after the stems: " << peakRssKiB() / 1024 << " MiB\n";
            }
        }
        sessionBox.reset();  // closes the library before its folder goes
        if (!args.has("keep")) fs::remove_all(fs::u8path(dir));
        else std::cout << "kept " << dir << "\n";
    }
    if (!args.has("skip-index")) {
        const int hnswM = args.getInt("hnsw-m", 16), efConstruction = args.getInt("ef-construction", 100);
        std::cout << "\nneighbour queries, " << args.get("data", "random") << " unit vectors, k = " << k << ", " << queries
                  << " queries, HNSW M=" << hnswM << " efConstruction=" << efConstruction << ", " << workers
                  << " threads, AVX2 dot products: " << (cpuHasAvx2Fma() ? "yes" : "no") << "\n";
        std::cout << "| rows | dim | exact ms/query | exact p95 ms | exact batched ms/query | efSearch | hnsw ms/query | "
                     "hnsw build s | recall@"
                  << k << " |\n|---|---|---|---|---|---|---|---|---|\n";
        std::vector<int> sizes;
        {
            std::stringstream in(args.get("sizes", "10000,100000"));
            for (std::string s; std::getline(in, s, ',');) sizes.push_back(std::stoi(s));
        }
        for (int n : sizes) benchIndex(n, dim, queries, k, workers, efs, args.get("data", "random") == "clustered", hnswM,
                       efConstruction);
        std::cout << "\ntrack neighbours through NeighbourSearch (exact index, clustered centroids), k = " << k
                  << ", ms/query over " << queries << " queries:\n| tracks | k | plain cosine | hubness-corrected, cold | "
                  << "hubness-corrected, warm |\n|---|---|---|---|---|\n";
        for (int n : sizes) benchTrackRanking(n, dim, queries, k);
        std::cout << "peak RSS: " << peakRssKiB() / 1024 << " MiB\n";
    }
    return 0;
}

const CommandRegistration reg(
    {"bench library", "import + analysis throughput, peak RSS, exact vs HNSW query latency and recall",
     "stemscope-cli bench library [--tracks 24] [--seconds 30] [--workers N] [--corpus-every 4]\n"
     "                            [--embedder baseline|models] [--focus all] [--sizes 10000,100000]\n"
     "                            [--dim 128] [--queries 200] [--k 10] [--ef 64,128,256]\n"
     "                            [--data random|clustered] [--hnsw-m 16] [--ef-construction 100]\n"
     "                            [--skip-library] [--skip-index] [--keep 1]\n"
     "                            [--separator none|default]  (default: no stems; 'default' also times the\n"
     "                             shipped separator's stems for listening, a job of their own after the analysis)\n"
     "  Generates the audio in a temporary folder (removed afterwards unless --keep 1).",
     run});

}  // namespace
}  // namespace stemscope::cli
