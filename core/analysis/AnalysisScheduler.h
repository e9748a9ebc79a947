#pragma once
// Turns "analyse the library" into jobs: finds the tracks that still need work (which is what
// makes a restart after a crash resume where it stopped), submits one job per track to the
// JobEngine and aggregates their progress into one figure with an ETA.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "analysis/TrackAnalyzer.h"
#include "jobs/JobEngine.h"

namespace stemscope {

struct BatchProgress {
    int tracksTotal = 0;
    int tracksFinished = 0;   // done, failed or cancelled
    int tracksFailed = 0;     // the job failed, or the track could not be read (now in error or missing)
    int tracksCancelled = 0;
    double fraction = 0;      // 0..1, weighted by track duration
    double etaSeconds = -1;
    double elapsedSeconds = 0;
    double audioSecondsDone = 0;
    int segments = 0;
    std::string lastStatus;
    std::vector<std::string> failures;  // "path: why", one per failed track
};

class AnalysisScheduler {
public:
    explicit AnalysisScheduler(std::shared_ptr<const TrackAnalyzer> analyzer);
    // Tracks still needing work; tracks that need none get their final status fixed on the way.
    std::vector<int64_t> pendingTracks(LibraryStore& store) const;
    // Submits one job per pending track. `onProgress` runs on worker threads. The jobs do not
    // reference the scheduler, so it may be destroyed while they still run.
    std::vector<JobId> submit(JobEngine& engine, LibraryStore& store,
                              std::function<void(const BatchProgress&)> onProgress = {}, int priority = 0);
    BatchProgress progress() const;
    // Feed every engine update here (from the JobEngine listener); other jobs' updates are ignored.
    void onJobUpdate(const JobInfo& info);

private:
    void applyLocked(const JobInfo& info);
    void addTallyLocked(BatchProgress& p) const;  // what the jobs counted themselves; takes tally_->mutex
    std::shared_ptr<const TrackAnalyzer> analyzer_;
    mutable std::mutex mutex_;
    std::map<JobId, double> weight_;     // track duration (>= 1 s)
    std::map<JobId, double> fraction_;
    std::map<JobId, JobState> state_;
    std::map<JobId, JobInfo> early_;     // updates that arrived before submit() registered the job
    bool submitting_ = false;
    double totalWeight_ = 0;
    double doneWeight_ = 0;
    BatchProgress progress_;
    int jobsFailed_ = 0;
    std::vector<std::string> jobFailures_;
    std::chrono::steady_clock::time_point start_;
    std::function<void(const BatchProgress&)> onProgress_;
    // Filled by the jobs themselves; shared so a job never touches a destroyed scheduler.
    struct Tally {
        std::mutex mutex;
        double audioSeconds = 0;
        int segments = 0;
        std::vector<std::string> unreadable;  // "path: why" of tracks whose analysis ended in error or missing
    };
    std::shared_ptr<Tally> tally_ = std::make_shared<Tally>();
};

}  // namespace stemscope
