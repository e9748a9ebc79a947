// `stemscope-cli evaluate-mix`: focus fidelity on pseudo-mixes (the part of one song under another
// song's accompaniment), per focus and pipeline: acc@1, distractor@1, MRR, segment kNN.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analysis/EmbedderRegistry.h"
#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "dsp/MatrixIO.h"
#include "index/NeighbourSearch.h"
#include "mixfocus/MixPipelines.h"
#include "mixfocus/PseudoMixBenchmark.h"

namespace stemscope::cli {
namespace {
namespace fs = std::filesystem;

std::string fixed(double v, int digits = 2)
{
    std::ostringstream o;
    o << std::fixed << std::setprecision(digits) << v;
    return o.str();
}

// JSON has no infinities: a part with nothing under it (or a silent one) is written as null.
nlohmann::json jsonNumber(double v)
{
    return std::isfinite(v) ? nlohmann::json(std::round(v * 100) / 100) : nlohmann::json(nullptr);
}

// FOCUS.PIPELINE.{query,gallery}_{centroids,segments,segment_track,segment_weights}.npy and
// FOCUS.PIPELINE.distractor.npy.
void writePseudoMixEmbeddings(const std::string& dir, const std::string& focus, const std::string& pipeline,
                              const std::vector<TrackEmbedding>& q, const std::vector<TrackEmbedding>& g,
                              const std::vector<int>& distractor)
{
    fs::create_directories(fs::u8path(dir));
    auto write = [&](const std::string& side, const std::vector<TrackEmbedding>& tracks) {
        int dim = 0;
        for (const auto& t : tracks) dim = std::max(dim, t.segments.cols);
        Matrix centroids(0, dim), segments(0, dim), track(0, 1), weights(0, 1);
        for (size_t i = 0; i < tracks.size(); ++i) {
            const auto& t = tracks[i];
            std::vector<float> c(t.centroid);
            c.resize(size_t(dim), 0.f);  // a track without segments: a zero row
            centroids.data.insert(centroids.data.end(), c.begin(), c.end());
            ++centroids.rows;
            segments.data.insert(segments.data.end(), t.segments.data.begin(), t.segments.data.end());
            segments.rows += t.segments.rows;
            for (int r = 0; r < t.segments.rows; ++r) {
                track.data.push_back(float(i));
                weights.data.push_back(t.weight(r));
            }
            track.rows += t.segments.rows;
            weights.rows += t.segments.rows;
        }
        const auto stem = (fs::u8path(dir) / (focus + "." + pipeline + "." + side)).u8string();
        writeNpy(stem + "_centroids.npy", centroids);
        writeNpy(stem + "_segments.npy", segments);
        writeNpy(stem + "_segment_track.npy", track);
        writeNpy(stem + "_segment_weights.npy", weights);
    };
    write("query", q);
    write("gallery", g);
    Matrix d(1, int(distractor.size()));
    for (size_t i = 0; i < distractor.size(); ++i) d.data[i] = float(distractor[i]);
    writeNpy((fs::u8path(dir) / (focus + "." + pipeline + ".distractor.npy")).u8string(), d);
}

int run(int argc, char** argv)
{
    CliArgs args(argc, argv, {"json"});
    const std::string corpusDir = args.get("corpus");
    if (corpusDir.empty()) throw UsageError("--corpus DIR is required (a test corpus with stems per song)");
    const std::string root = args.get("models", defaultModelsRoot());
    const double seconds = args.getDouble("seconds", 30.0);
    std::vector<Focus> focuses;
    for (const auto& n : splitList(args.get("focus", "drums,bass,piano,guitar"))) {
        const auto f = focusFromName(n);
        if (!f || !focusHasStem(*f)) throw UsageError("--focus takes drums, bass, piano, guitar; not '" + n + "'");
        focuses.push_back(*f);
    }
    auto names = splitList(args.get("pipelines", ""));
    if (names.empty()) names = standardPipelineNames();
    const int k = args.getInt("k", 5);
    const double partDb = args.getDouble("part-db", 0.0);
    const std::string outDir = args.get("out");
    const std::string embeddingsDir = args.get("embeddings");

    std::vector<std::string> skipped;
    const auto corpus = loadPseudoMixCorpus(corpusDir, seconds, args.getInt("songs", 0), &skipped);
    for (const auto& s : skipped) std::cerr << "skipped " << s << "\n";
    const int n = int(corpus.songs.size());
    std::cerr << n << " songs, T = " << seconds << " s" << (partDb != 0 ? ", part " + fixed(partDb, 1) + " dB" : "") << "\n";

    nlohmann::json rows = nlohmann::json::array();
    std::ostringstream md;
    // The benchmark ranks by plain centroid cosine; the engine's neighbour lists rank with
    // hubness correction (TrackRanking), reported beside it as acc@1 / distractor@1 / MRR.
    const int hubnessK = TrackRanking{}.hubnessK;
    md << "| focus | pipeline | input | model | acc@1 | distractor@1 | MRR | segment kNN | engine ranking |\n"
       << "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
    const auto chance = chancePseudoMix(n);
    for (Focus f : focuses) {
        const auto set = makePseudoMixSet(corpus, f, 1, 3, partDb);
        // How buried each query's and gallery item's part is: the same for every pipeline.
        std::vector<nlohmann::json> queryDb, galleryDb;
        for (size_t i = 0; i < set.queries.size(); ++i) {
            queryDb.push_back(jsonNumber(partToAccompanimentDb(set.queries[i])));
            galleryDb.push_back(jsonNumber(partToAccompanimentDb(set.gallery[i])));
        }
        std::vector<std::string> problems;
        const auto pipelines = standardMixPipelines(root, f, names, &problems);
        for (const auto& p : problems) std::cerr << focusName(f) << ": " << p << "\n";
        for (const auto& p : pipelines) {
            const auto t0 = std::chrono::steady_clock::now();
            std::vector<TrackEmbedding> q, g;
            for (const auto& t : set.queries) q.push_back(embedPseudoMix(t, f, p));
            for (const auto& t : set.gallery) g.push_back(embedPseudoMix(t, f, p));
            const auto s = scorePseudoMix(q, g, set.distractor, k);
            const auto e = rankPseudoMix(q, g, set.distractor, hubnessK);  // the segment kNN is the same
            if (!embeddingsDir.empty()) writePseudoMixEmbeddings(embeddingsDir, focusName(f), p.name, q, g, set.distractor);
            const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            // Which songs fail, and how buried their part was (for diagnosis on validation songs).
            nlohmann::json perQuery = nlohmann::json::array();
            for (size_t i = 0; i < set.queries.size(); ++i) {
                const int near = s.nearest[i];
                perQuery.push_back({{"song", corpus.songs[size_t(set.queries[i].partSong)]},
                                    {"rank", s.rank[i]},
                                    {"nearest", near < 0 ? "" : corpus.songs[size_t(set.gallery[size_t(near)].partSong)]},
                                    {"nearest_is_distractor", near >= 0 && near == set.distractor[i]},
                                    {"query_part_db", queryDb[i]},
                                    {"gallery_part_db", galleryDb[i]}});
            }
            md << "| " << focusName(f) << " | " << p.name << " | " << pipelineInputName(p.input) << " | `"
               << pipelineModelIds(p) << "` | " << fixed(s.acc1) << " | " << fixed(s.distractor1) << " | " << fixed(s.mrr)
               << " | " << fixed(s.segmentKnn) << " | " << fixed(e.acc1) << " / " << fixed(e.distractor1) << " / "
               << fixed(e.mrr) << " |\n";
            rows.push_back({{"focus", focusName(f)}, {"pipeline", p.name}, {"input", pipelineInputName(p.input)},
                            {"model", pipelineModelIds(p)}, {"acc1", s.acc1}, {"distractor1", s.distractor1},
                            {"mrr", s.mrr}, {"segment_knn", s.segmentKnn}, {"queries", s.queries},
                            {"query_segments", s.querySegments}, {"seconds", secs}, {"per_query", perQuery},
                            {"engine", {{"hubness_k", hubnessK}, {"acc1", e.acc1}, {"distractor1", e.distractor1},
                                        {"mrr", e.mrr}, {"rank", e.rank}}}});
            std::cerr << focusName(f) << " " << p.name << ": acc@1 " << fixed(s.acc1) << " distractor@1 "
                      << fixed(s.distractor1) << " MRR " << fixed(s.mrr) << " seg kNN " << fixed(s.segmentKnn)
                      << " | engine ranking " << fixed(e.acc1) << " / " << fixed(e.distractor1) << " / " << fixed(e.mrr) << " ("
                      << fixed(secs, 1) << " s)\n";
        }
        md << "| " << focusName(f) << " | chance | | | " << fixed(chance.acc1) << " | " << fixed(chance.distractor1)
           << " | " << fixed(chance.mrr) << " | " << fixed(chance.segmentKnn) << " | " << fixed(chance.acc1) << " / "
           << fixed(chance.distractor1) << " / " << fixed(chance.mrr) << " |\n";
    }
    nlohmann::json report{{"corpus", corpusDir}, {"songs", corpus.songs}, {"seconds", seconds}, {"part_db", partDb}, {"k", k},
                          {"models", root}, {"chance", {{"acc1", chance.acc1}, {"mrr", chance.mrr}}}, {"rows", rows}};
    if (!outDir.empty()) {
        fs::create_directories(outDir);
        std::ofstream(fs::path(outDir) / "focus_on_mixes.json") << report.dump(2) << "\n";
        std::ofstream(fs::path(outDir) / "focus_on_mixes.md") << md.str();
    }
    if (args.has("json")) std::cout << report.dump(2) << "\n";
    else std::cout << md.str();
    return 0;
}

const CommandRegistration reg(
    {"evaluate-mix", "focus fidelity on pseudo-mixes: does each focus hear its part under another accompaniment?",
     "stemscope-cli evaluate-mix --corpus DIR [options]\n"
     "  query i = i's part over [0,T) + the other stems of song i+1; gallery k = k's part over [T,2T) +\n"
     "  the other stems of song k+4 (mod n): one gallery item carries the query's accompaniment with\n"
     "  another part (the distractor). Per focus and pipeline: acc@1, distractor@1, MRR, segment kNN.\n"
     "  --corpus DIR        test corpus (one folder per song with drums/bass/piano/guitar/other stems)\n"
     "  --models DIR        models root (default: the installed models)\n"
     "  --pipelines LIST    clean,separated,oracle-mask,oracle-binary-mask,focus-on-mix,mix-model,mel-stats,\n"
     "                      mixfocus,default (default: all); A+B joins two, separated:NAME runs NAME's mix\n"
     "                      embedder on the separated part\n"
     "  --focus LIST        drums,bass,piano,guitar (default: all four)\n"
     "  --seconds T         30 (songs need 2T seconds);  --songs N  first N songs only;  --k K  (5)\n"
     "  --part-db D         the focus part D dB louder (negative: quieter) than in the songs (default 0)\n"
     "  --out DIR           also write focus_on_mixes.json and focus_on_mixes.md there\n"
     "  --embeddings DIR    also write each focus and pipeline's embeddings there as .npy (centroids,\n"
     "                      segments and their track, distractors), for studies of the scoring\n"
     "  --json              print the JSON report instead of the table",
     run});

}  // namespace
}  // namespace stemscope::cli
