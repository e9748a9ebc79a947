// `stemscope-cli evaluate`: the paper's evaluation (Sec. 4.2.1) of trained focus models on a test corpus.
#include <filesystem>
#include <iostream>
#include <sstream>

#include "analysis/EmbedderRegistry.h"
#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "embedding/TorchEmbedder.h"
#include "instrsim/CorpusEmbedding.h"
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
    const int maxSegments = args.getInt("max-segments", 40);
    const int k = args.getInt("k", 5);
    if (args.has("cache"))
        std::cerr << "--cache is no longer used: each stem is embedded through the engine's own front end\n";

    std::vector<EvaluationRun> runs;
    for (const auto& dir : modelDirs) {
        // The engine's embedder for each focus (models/pipelines.json: a focus model, the mix model's
        // block, or several joined), fed by the engine's own front end: log-mel or constant-Q,
        // whichever each model reads.
        std::vector<std::string> problems;
        const EmbedderSet embedders = loadEmbedders(dir, focuses, &problems);
        for (const auto& p : problems) std::cerr << dir << ": " << p << ", skipped\n";
        std::map<Focus, EmbeddedCorpus> sets;
        for (Focus f : focuses)
            if (embedders.count(f)) sets[f] = embedCorpusStems(corpus, f, *embedders.at(f), maxSegments);
        EvaluationRun r = evaluateEmbedded(sets, k, 3);
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
     "  --models DIRS     comma-separated models roots (one run per root, e.g. one per seed); each focus is\n"
     "                    embedded as the engine would: <focus>/ or what the root's pipelines.json names for it\n"
     "                    (e.g. the mix model's block, or models joined with '+'), on the clean stems\n"
     "  --focus LIST      focuses to evaluate (default mix,drums,bass,piano,guitar)\n"
     "  --out DIR         tables and CSVs (summary.md, knn.csv, correlations.csv, mrr.csv, distances_*.csv,\n"
     "                    embeddings_*.csv); default ./evaluation\n"
     "  --max-segments N  first N non-silent segments per test song (default 40)\n"
     "  --k N             neighbours for the kNN vote (default 5)",
     run});

}  // namespace
}  // namespace stemscope::cli
