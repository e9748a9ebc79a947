#include "jobs/JobEngine.h"

#include <algorithm>

namespace stemscope {

using Clock = std::chrono::steady_clock;

const char* toString(JobState s)
{
    switch (s) {
    case JobState::Queued: return "queued";
    case JobState::Running: return "running";
    case JobState::Paused: return "paused";
    case JobState::Done: return "done";
    case JobState::Failed: return "failed";
    case JobState::Cancelled: return "cancelled";
    }
    return "?";
}

// ---------------------------------------------------------------- JobContext

void JobContext::setProgress(double fraction, const std::string& status)
{
    JobInfo copy;
    {
        std::lock_guard<std::mutex> l(engine_.mutex_);
        auto* job = engine_.find(id_);
        if (!job) return;
        fraction = std::clamp(fraction, 0.0, 1.0);
        auto& in = job->info;
        in.progress = std::max(in.progress, fraction);
        if (!status.empty()) in.status = status;
        in.elapsedSeconds = std::chrono::duration<double>(Clock::now() - job->started).count();
        in.etaSeconds = in.progress > 0.005 ? in.elapsedSeconds * (1.0 - in.progress) / in.progress : -1.0;
        copy = in;
    }
    engine_.notify(copy);
}

void JobContext::setStatus(const std::string& status) { setProgress(0.0, status); }

bool JobContext::cancelled() const
{
    std::lock_guard<std::mutex> l(engine_.mutex_);
    const auto* job = engine_.find(id_);
    return !job || job->cancelRequested;
}

void JobContext::checkpoint()
{
    std::unique_lock<std::mutex> l(engine_.mutex_);
    auto* job = engine_.find(id_);
    if (!job || job->cancelRequested) throw JobCancelled();
    if (!(job->pauseRequested || engine_.pausedAll_)) return;
    job->info.state = JobState::Paused;
    JobInfo copy = job->info;
    l.unlock();
    engine_.notify(copy);
    l.lock();
    engine_.stateCv_.wait(l, [&] { return job->cancelRequested || !(job->pauseRequested || engine_.pausedAll_); });
    job->info.state = JobState::Running;
    copy = job->info;
    const bool cancelled = job->cancelRequested;
    l.unlock();
    engine_.notify(copy);
    if (cancelled) throw JobCancelled();
}

// ---------------------------------------------------------------- JobEngine

JobEngine::JobEngine(int workers)
{
    if (workers <= 0) workers = int(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { workerLoop(); });
}

JobEngine::~JobEngine()
{
    cancelAll();
    {
        std::lock_guard<std::mutex> l(mutex_);
        stopping_ = true;
    }
    workCv_.notify_all();
    stateCv_.notify_all();
    for (auto& t : threads_) t.join();
}

JobEngine::Job* JobEngine::find(JobId id)
{
    auto it = jobs_.find(id);
    return it == jobs_.end() ? nullptr : it->second.get();
}
const JobEngine::Job* JobEngine::find(JobId id) const
{
    auto it = jobs_.find(id);
    return it == jobs_.end() ? nullptr : it->second.get();
}

JobId JobEngine::submit(std::string name, JobFunction fn, int priority)
{
    JobInfo copy;
    {
        std::lock_guard<std::mutex> l(mutex_);
        auto job = std::make_unique<Job>();
        job->info.id = nextId_++;
        job->info.name = std::move(name);
        job->info.priority = priority;
        job->info.status = "queued";
        job->fn = std::move(fn);
        job->seq = seq_++;
        queue_.insert({{-priority, job->seq}, job->info.id});
        copy = job->info;
        jobs_[copy.id] = std::move(job);
    }
    workCv_.notify_one();
    notify(copy);
    return copy.id;
}

void JobEngine::workerLoop()
{
    for (;;) {
        Job* job = nullptr;
        JobInfo copy;
        {
            std::unique_lock<std::mutex> l(mutex_);
            // The first queued job that is not individually paused, in priority order.
            auto pick = [&]() -> decltype(queue_)::iterator {
                if (pausedAll_) return queue_.end();
                for (auto it = queue_.begin(); it != queue_.end(); ++it)
                    if (!jobs_[it->second]->pauseRequested) return it;
                return queue_.end();
            };
            decltype(queue_)::iterator it;
            workCv_.wait(l, [&] { return stopping_ || (it = pick()) != queue_.end(); });
            if (stopping_) return;
            job = jobs_[it->second].get();
            queue_.erase(it);
            job->info.state = JobState::Running;
            job->info.status = "started";
            job->started = Clock::now();
            copy = job->info;
        }
        notify(copy);
        JobContext ctx(*this, copy.id);
        JobState end = JobState::Done;
        std::string error;
        try {
            ctx.checkpoint();
            job->fn(ctx);
        } catch (const JobCancelled&) {
            end = JobState::Cancelled;
        } catch (const std::exception& e) {
            end = JobState::Failed;
            error = e.what();
        } catch (...) {
            end = JobState::Failed;
            error = "unknown exception";
        }
        {
            std::lock_guard<std::mutex> l(mutex_);
            if (end == JobState::Done && job->cancelRequested) end = JobState::Cancelled;
            job->info.state = end;
            job->info.error = error;
            job->info.elapsedSeconds = std::chrono::duration<double>(Clock::now() - job->started).count();
            if (end == JobState::Done) job->info.progress = 1.0;
            job->info.etaSeconds = 0.0;
            job->info.status = end == JobState::Done ? "done" : end == JobState::Cancelled ? "cancelled" : "failed: " + error;
            job->fn = nullptr; // release captured resources now
            copy = job->info;
        }
        notify(copy);
        markReported(copy.id);
    }
}

void JobEngine::markReported(JobId id)
{
    {
        std::lock_guard<std::mutex> l(mutex_);
        if (auto* job = find(id)) job->reported = true;
    }
    stateCv_.notify_all();
}

void JobEngine::notify(const JobInfo& info)
{
    std::lock_guard<std::mutex> l(listenerMutex_);
    if (listener_) listener_(info);
}

void JobEngine::setListener(JobListener listener)
{
    std::lock_guard<std::mutex> l(listenerMutex_);
    listener_ = std::move(listener);
}

void JobEngine::cancel(JobId id)
{
    JobInfo copy;
    bool dequeued = false;
    {
        std::lock_guard<std::mutex> l(mutex_);
        auto* job = find(id);
        if (!job || isFinished(job->info.state)) return;
        job->cancelRequested = true;
        if (job->info.state == JobState::Queued) {
            for (auto it = queue_.begin(); it != queue_.end(); ++it)
                if (it->second == id) { queue_.erase(it); break; }
            job->info.state = JobState::Cancelled;
            job->info.status = "cancelled";
            job->fn = nullptr;
            dequeued = true;
            copy = job->info;
        }
    }
    stateCv_.notify_all();
    if (dequeued) {
        notify(copy);
        markReported(id);
    }
}

void JobEngine::cancelAll()
{
    std::vector<JobId> ids;
    {
        std::lock_guard<std::mutex> l(mutex_);
        for (auto& [id, job] : jobs_)
            if (!isFinished(job->info.state)) ids.push_back(id);
    }
    for (JobId id : ids) cancel(id);
}

void JobEngine::pause(JobId id)
{
    std::lock_guard<std::mutex> l(mutex_);
    if (auto* job = find(id)) job->pauseRequested = true;
}

void JobEngine::resume(JobId id)
{
    {
        std::lock_guard<std::mutex> l(mutex_);
        if (auto* job = find(id)) job->pauseRequested = false;
    }
    stateCv_.notify_all();
    workCv_.notify_all();
}

void JobEngine::pauseAll()
{
    std::lock_guard<std::mutex> l(mutex_);
    pausedAll_ = true;
}

void JobEngine::resumeAll()
{
    {
        std::lock_guard<std::mutex> l(mutex_);
        pausedAll_ = false;
    }
    stateCv_.notify_all();
    workCv_.notify_all();
}

bool JobEngine::pausedAll() const
{
    std::lock_guard<std::mutex> l(mutex_);
    return pausedAll_;
}

JobInfo JobEngine::info(JobId id) const
{
    std::lock_guard<std::mutex> l(mutex_);
    const auto* job = find(id);
    if (!job) throw std::out_of_range("no job " + std::to_string(id));
    return job->info;
}

std::vector<JobInfo> JobEngine::jobs() const
{
    std::lock_guard<std::mutex> l(mutex_);
    std::vector<JobInfo> out;
    for (const auto& [id, job] : jobs_) out.push_back(job->info);
    return out;
}

JobState JobEngine::wait(JobId id)
{
    std::unique_lock<std::mutex> l(mutex_);
    auto* job = find(id);
    if (!job) throw std::out_of_range("no job " + std::to_string(id));
    stateCv_.wait(l, [&] { return isFinished(job->info.state) && job->reported; });
    return job->info.state;
}

void JobEngine::waitAll()
{
    std::unique_lock<std::mutex> l(mutex_);
    stateCv_.wait(l, [&] {
        for (const auto& [id, job] : jobs_)
            if (!isFinished(job->info.state) || !job->reported) return false;
        return true;
    });
}

void JobEngine::prune()
{
    std::lock_guard<std::mutex> l(mutex_);
    for (auto it = jobs_.begin(); it != jobs_.end();)
        it = isFinished(it->second->info.state) && it->second->reported ? jobs_.erase(it) : std::next(it);
}

}  // namespace stemscope
