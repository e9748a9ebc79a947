// `stemscope-cli evaluate`: the paper's evaluation (Sec. 4.2.1) of trained focus models on a test corpus.
#include <filesystem>
#include <iostream>
#include <sstream>

#include "analysis/EmbedderRegistry.h"
#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "embedding/TorchEmbedder.h"
#include "instrsim/Evaluation.h"

namespace stemscope::cli {
namespace {
namespace fs = std::filesystem;

int run(int argc, char** argv)
{
    CliArgs args(argc, argv);
    const std::string corpus = args.get("corpus");
    if (corpus.empty()) throw UsageError("--corpus is required");
    const auto modelDirs = splitList(args.get("models"));
    if (modelDirs.empty()) throw UsageError("--models is required");
    std::vector<Focus> focuses;
    for (const auto& n : splitList(args.get("focus", "mix,drums,bass,piano,guitar"))) {
        const auto f = focusFromName(n);
        if (!f) throw UsageError("unknown focus '" + n + "'");
        focuses.push_back(*f);
    }
    const std::string outDir = args.get("out", "evaluation");
    const std::string cacheDir = args.get("cache", defaultFeatureCacheDir());
    const int maxSegments = args.getInt("max-segments", 40);
    const int k = args.getInt("k", 5);

    std::map<std::pair<Focus, int>, FeatureSet> featureCache; // (focus, bands)
    std::vector<EvaluationRun> runs;
    for (const auto& dir : modelDirs) {
        std::map<Focus, std::shared_ptr<const Embedder>> embedders;
        std::map<Focus, FeatureSet> features;
        for (Focus f : focuses) {
            // The folder the engine would use for the focus (models/pipelines.json), its block when
            // that is the multi-focus mix model.
            const std::string file = (fs::path(dir) / modelFolderFor(dir, f) / "model.pt").string();
            if (!fs::exists(file)) {
                std::cerr << dir << ": no " << focusName(f) << " model, skipped\n";
                continue;
            }
            auto e = std::make_shared<TorchEmbedder>(file, "", f);
            embedders[f] = e;
            const auto key = std::make_pair(f, e->featureBands());
            if (!featureCache.count(key)) {
                SegmentFeatureOptions o;
                o.bands = e->featureBands();
                o.frames = e->segmentFrames();
                o.maxSegments = maxSegments;
                featureCache[key] = cachedCorpusFeatures(corpus, f, o, cacheDir, 2);
            }
            features[f] = featureCache[key];
        }
        EvaluationRun r = evaluateRun(features, embedders, k, 3);
        r.label = dir;
        std::cerr << dir << ":";
        for (const auto& [f, res] : r.results) std::cerr << " " << focusName(f) << " kNN " << res.knnAccuracy;
        std::cerr << "\n";
        runs.push_back(std::move(r));
    }
    const auto summary = summarize(runs);
    writeEvaluationFiles(runs, summary, outDir);
    std::cout << summaryMarkdown(summary) << "\nfiles in " << outDir << "\n";
    return 0;
}

const CommandRegistration reg(
    {"evaluate", "evaluate focus models on a test corpus (kNN accuracy, inter-focus correlations, MRR)",
     "stemscope-cli evaluate --corpus DIR --models DIR[,DIR...] [--out DIR] [options]\n"
     "  --models DIRS     comma-separated; each holds <focus>/model.pt (one run per folder, e.g. one per seed),\n"
     "                    or the folder its pipelines.json names for the focus (e.g. the mix model mixfocus/)\n"
     "  --focus LIST      focuses to evaluate (default mix,drums,bass,piano,guitar)\n"
     "  --out DIR         tables and CSVs (summary.md, knn.csv, correlations.csv, mrr.csv, distances_*.csv,\n"
     "                    embeddings_*.csv); default ./evaluation\n"
     "  --max-segments N  first N non-silent segments per test song (default 40)\n"
     "  --k N             neighbours for the kNN vote (default 5)\n"
     "  --cache DIR       feature cache folder",
     run});

}  // namespace
}  // namespace stemscope::cli
