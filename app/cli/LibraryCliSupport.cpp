#include "cli/LibraryCliSupport.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>

#include "audio/AudioDecoder.h"
#include "embedding/BaselineEmbedder.h"
#include "cli/CliArgs.h"
#include "jobs/JobEngine.h"
#include "library/LibraryStore.h"
#include "session/LibrarySession.h"

namespace stemscope::cli {
namespace {
std::atomic<bool> gInterrupted{false};
void onLibrarySigint(int) { gInterrupted = true; }
}  // namespace

std::vector<Focus> parseFocuses(const std::string& list)
{
    std::vector<Focus> out;
    if (list.empty() || list == "all") return {kAllFocuses.begin(), kAllFocuses.end()};
    std::stringstream in(list);
    for (std::string w; std::getline(in, w, ',');) {
        const auto f = focusFromName(w);
        if (!f) throw UsageError("unknown focus '" + w + "' (mix, drums, bass, piano, guitar, style)");
        out.push_back(*f);
    }
    return out;
}

void chooseModels(LibrarySession& session, const CliArgs& args, bool required)
{
    const auto focuses = parseFocuses(args.get("focus", "all"));
    const auto kind = args.get("embedder", "models");
    if (kind == "baseline") {
        EmbedderSet set;
        for (Focus f : focuses) set[f] = std::make_shared<BaselineEmbedder>(f);
        session.useEmbedders(std::move(set));
        return;
    }
    if (kind != "models") throw UsageError("--embedder must be 'models' or 'baseline'");
    session.loadInstalledModels(args.get("models"), focuses);
    if (!required) return;
    for (const auto& p : session.modelProblems()) std::cerr << "note: " << p << "\n";
    if (session.embedders().empty())
        throw std::runtime_error(session.modelsDescription() +
                                 "\nno embedder available; use --embedder baseline to run the model-free baseline");
}

std::string formatDuration(double s)
{
    if (s < 0) return "--:--";
    const long t = long(s + 0.5);
    char buf[32];
    if (t >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
    else std::snprintf(buf, sizeof buf, "%02ld:%02ld", t / 60, t % 60);
    return buf;
}

AnalysisRun runAnalysis(LibrarySession& session, int workers, bool quiet, const AnalysisOptions& options)
{
    AnalysisRun run;
    JobEngine engine(workers);
    std::shared_ptr<AnalysisScheduler> scheduler;
    std::mutex schedulerMutex;  // updates may arrive before submitAnalysis returns the scheduler
    engine.setListener([&](const JobInfo& i) {
        std::lock_guard<std::mutex> l(schedulerMutex);
        if (scheduler) scheduler->onJobUpdate(i);
    });
    auto batch = session.submitAnalysis(engine, options);
    gInterrupted = false;
    auto previous = std::signal(SIGINT, onLibrarySigint);
    {
        std::lock_guard<std::mutex> l(schedulerMutex);
        scheduler = batch.scheduler;
    }
    // Jobs that finished before the scheduler was listening: replay their final state.
    for (JobId id : batch.jobs)
        if (const JobInfo info = engine.info(id); isFinished(info.state)) scheduler->onJobUpdate(info);
    const bool tty = ::isatty(STDOUT_FILENO);
    auto lastPrint = std::chrono::steady_clock::now() - std::chrono::hours(1);
    for (;;) {
        const auto p = scheduler->progress();
        const bool finished = p.tracksFinished >= p.tracksTotal;
        if (gInterrupted && !run.interrupted) {
            run.interrupted = true;
            if (!quiet) std::cout << (tty ? "\n" : "") << "interrupted: cancelling (committed results are kept)\n";
            engine.cancelAll();
        }
        const auto now = std::chrono::steady_clock::now();
        if (!quiet && (finished || now - lastPrint > std::chrono::milliseconds(tty ? 250 : 2000))) {
            lastPrint = now;
            std::ostringstream line;
            line << "[" << std::fixed << std::setprecision(1) << std::setw(5) << 100.0 * p.fraction << "%] "
                 << p.tracksFinished << "/" << p.tracksTotal << " tracks";
            if (p.elapsedSeconds > 0 && p.audioSecondsDone > 0)
                line << ", " << std::setprecision(1) << p.audioSecondsDone / p.elapsedSeconds << "x real time";
            line << ", ETA " << formatDuration(p.etaSeconds);
            if (!p.lastStatus.empty() && !finished) line << "  " << p.lastStatus.substr(0, 40);
            std::string s = line.str();
            if (tty) std::cout << "\r" << s << std::string(s.size() < 100 ? 100 - s.size() : 0, ' ') << std::flush;
            else std::cout << s << "\n";
        }
        if (finished) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    engine.waitAll();
    engine.setListener({});
    std::signal(SIGINT, previous);
    if (!quiet && tty) std::cout << "\n";
    run.progress = scheduler->progress();
    return run;
}

ListeningStemsRun runListeningStems(LibrarySession& session, std::shared_ptr<const Separator> separator, bool quiet)
{
    ListeningStemsRun run;
    JobEngine engine(1);  // one job at a time; the separator uses the cores itself
    const auto t0 = std::chrono::steady_clock::now();
    std::atomic<JobId> current{0};
    std::atomic<bool> finished{false};
    LibrarySession::ListeningStemsOptions options;
    options.priority = 0;
    options.separator = std::move(separator);
    options.continued = [&current](JobId next) { current = next; };  // the work goes on in a new job
    current = session.submitListeningStems(
        engine, {},
        [&](const LibrarySession::ListeningStemsReport& r) {
            run.report = r;
            finished = true;
        },
        options);
    if (current == 0) return run;  // every track has its stems already
    gInterrupted = false;
    auto previous = std::signal(SIGINT, onLibrarySigint);
    const bool tty = ::isatty(STDOUT_FILENO);
    auto lastPrint = std::chrono::steady_clock::now() - std::chrono::hours(1);
    for (;;) {
        const JobInfo info = engine.info(current);
        if (gInterrupted && !run.interrupted) {
            run.interrupted = true;
            if (!quiet) std::cout << (tty ? "\n" : "") << "interrupted: cancelling (stems already written are kept)\n";
            engine.cancelAll();
        }
        const bool over = finished || info.state == JobState::Failed || info.state == JobState::Cancelled;
        const auto now = std::chrono::steady_clock::now();
        if (!quiet && (over || now - lastPrint > std::chrono::milliseconds(tty ? 250 : 2000))) {
            lastPrint = now;
            const double elapsed = std::chrono::duration<double>(now - t0).count();
            std::ostringstream line;
            line << "[" << std::fixed << std::setprecision(1) << std::setw(5) << 100.0 * info.progress << "%] stems for listening, ETA "
                 << formatDuration(info.progress > 0.01 ? elapsed * (1 - info.progress) / info.progress : -1) << "  "
                 << info.status.substr(0, 50);
            const std::string text = line.str();
            if (tty) std::cout << "\r" << text << std::string(text.size() < 100 ? 100 - text.size() : 0, ' ') << std::flush;
            else std::cout << text << "\n";
        }
        if (info.state == JobState::Failed) {
            std::signal(SIGINT, previous);
            throw std::runtime_error("stems for listening: " + info.error);
        }
        if (over) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    engine.waitAll();
    std::signal(SIGINT, previous);
    if (!quiet && tty) std::cout << "\n";
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return run;
}

long peakRssKiB()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

}  // namespace stemscope::cli
