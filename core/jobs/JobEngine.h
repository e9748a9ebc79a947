#pragma once
// Background work: a fixed pool of worker threads (default: one per core) draining a priority
// queue of jobs. Each job reports progress (0..1) and a status line through its JobContext; the
// engine derives an ETA and forwards every change to the listener. Jobs can be cancelled and
// paused/resumed (individually or all at once); a running job honours both at its checkpoints.
// Qt-free: the GUI marshals listener calls onto its own thread.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace stemscope {

using JobId = int64_t;

enum class JobState { Queued, Running, Paused, Done, Failed, Cancelled };
const char* toString(JobState s);
inline bool isFinished(JobState s) { return s == JobState::Done || s == JobState::Failed || s == JobState::Cancelled; }

struct JobInfo {
    JobId id = 0;
    std::string name;
    int priority = 0;           // higher runs first; FIFO among equals
    JobState state = JobState::Queued;
    double progress = 0.0;      // 0..1
    double etaSeconds = -1.0;   // < 0: unknown
    double elapsedSeconds = 0.0;
    std::string status;         // human-readable "what it is doing now"
    std::string error;          // for Failed
};

// Thrown by JobContext::checkpoint() when the job was cancelled; the engine catches it.
struct JobCancelled : std::runtime_error {
    JobCancelled() : std::runtime_error("cancelled") {}
};

class JobEngine;

class JobContext {
public:
    // Thread-safe; progress is clamped to 0..1 and never moves backwards.
    void setProgress(double fraction, const std::string& status = {});
    void setStatus(const std::string& status);
    bool cancelled() const;
    // Blocks while the job (or the engine) is paused; throws JobCancelled if cancelled.
    void checkpoint();
    JobId id() const { return id_; }

private:
    friend class JobEngine;
    JobContext(JobEngine& e, JobId id) : engine_(e), id_(id) {}
    JobEngine& engine_;
    JobId id_;
};

using JobFunction = std::function<void(JobContext&)>;
using JobListener = std::function<void(const JobInfo&)>;

class JobEngine {
public:
    explicit JobEngine(int workers = 0);  // 0: std::thread::hardware_concurrency()
    ~JobEngine();                        // cancels what is left and joins the workers
    JobEngine(const JobEngine&) = delete;
    JobEngine& operator=(const JobEngine&) = delete;

    int workerCount() const { return int(threads_.size()); }
    JobId submit(std::string name, JobFunction fn, int priority = 0);

    void cancel(JobId id);
    void cancelAll();
    void pause(JobId id);
    void resume(JobId id);
    void pauseAll();   // workers take no new job; running ones block at their next checkpoint
    void resumeAll();
    bool pausedAll() const;

    JobInfo info(JobId id) const;
    std::vector<JobInfo> jobs() const;
    // Called from worker threads on every state/progress change (keep it cheap, don't call back
    // into wait*() from it).
    void setListener(JobListener listener);

    JobState wait(JobId id);
    void waitAll();
    // Forget finished jobs (keeps memory flat in long sessions).
    void prune();

private:
    friend class JobContext;
    struct Job {
        JobInfo info;
        JobFunction fn;
        bool cancelRequested = false;
        bool pauseRequested = false;
        bool reported = false;  // the listener has seen the final state (wait() waits for it)
        uint64_t seq = 0;
        std::chrono::steady_clock::time_point started;
    };
    using QueueKey = std::pair<int, uint64_t>; // (-priority, seq)

    void workerLoop();
    void notify(const JobInfo& info);
    void markReported(JobId id);
    Job* find(JobId id);
    const Job* find(JobId id) const;

    mutable std::mutex mutex_;
    std::condition_variable workCv_;   // workers: new job / resume / stop
    std::condition_variable stateCv_;  // waiters and paused jobs
    std::map<JobId, std::unique_ptr<Job>> jobs_;
    std::set<std::pair<QueueKey, JobId>> queue_;
    JobListener listener_;
    std::mutex listenerMutex_;
    JobId nextId_ = 1;
    uint64_t seq_ = 0;
    bool pausedAll_ = false;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace stemscope
