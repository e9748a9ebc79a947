#pragma once
// Shared by the `library` subcommands and `bench library`: choosing embedders, running an
// analysis with a live progress line, and turning Ctrl-C into a clean cancel.
#include <memory>
#include <string>
#include <vector>

#include "analysis/AnalysisScheduler.h"
#include "util/CsvField.h"
#include "analysis/EmbedderRegistry.h"

namespace stemscope {
class LibraryStore;
}

namespace stemscope::cli {

class CliArgs;

// --focus a,b (default: all) ; --embedder models|baseline (default models, falling back to
// nothing) ; --models DIR. Problems (missing models...) are printed to stderr.
std::vector<Focus> parseFocuses(const std::string& list);
EmbedderSet chooseEmbedders(const CliArgs& args);

struct AnalysisRun {
    BatchProgress progress;
    bool interrupted = false;
};

// Analyses everything pending with `workers` threads, printing progress unless quiet.
// Ctrl-C cancels: jobs stop at their next checkpoint, committed results stay.
AnalysisRun runAnalysis(const std::shared_ptr<LibraryStore>& store, const EmbedderSet& embedders, int workers,
                        bool quiet, const AnalysisOptions& options = {});

std::string formatDuration(double seconds);
long peakRssKiB();

}  // namespace stemscope::cli
