#pragma once
// The CLI face of core's LibrarySession, shared by the `library` subcommands and `bench library`:
// choosing models from the command line, running an analysis with a live progress line, and
// turning Ctrl-C into a clean cancel. Library logic itself lives in the session.
#include <memory>
#include <string>
#include <vector>

#include "analysis/AnalysisScheduler.h"
#include "util/CsvField.h"
#include "analysis/EmbedderRegistry.h"
#include "session/LibrarySession.h"

namespace stemscope::cli {

class CliArgs;

// --focus a,b (default: all) ; --embedder models|baseline (default models) ; --models DIR.
// Loads them into the session; problems (missing models...) are printed to stderr. Throws when
// `required` and no model could be loaded.
std::vector<Focus> parseFocuses(const std::string& list);
void chooseModels(LibrarySession& session, const CliArgs& args, bool required = true);

struct AnalysisRun {
    BatchProgress progress;
    bool interrupted = false;
};

// Analyses everything pending with `workers` threads, printing progress unless quiet.
// Ctrl-C cancels: jobs stop at their next checkpoint, committed results stay.
AnalysisRun runAnalysis(LibrarySession& session, int workers, bool quiet, const AnalysisOptions& options = {});

// Makes the stems for listening (LibrarySession::submitListeningStems) with a progress line unless
// quiet; Ctrl-C cancels (stems already written stay).
struct ListeningStemsRun {
    LibrarySession::ListeningStemsReport report;
    bool interrupted = false;
    double seconds = 0;
};
ListeningStemsRun runListeningStems(LibrarySession& session, std::shared_ptr<const Separator> separator, bool quiet);

std::string formatDuration(double seconds);
long peakRssKiB();

}  // namespace stemscope::cli
