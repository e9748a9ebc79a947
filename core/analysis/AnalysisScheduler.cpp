#include "analysis/AnalysisScheduler.h"

#include <algorithm>

#include "library/LibraryStore.h"

namespace stemscope {

namespace {
const std::string kJobPrefix = "analyse ";  // job names are this plus the track's path
}  // namespace

AnalysisScheduler::AnalysisScheduler(std::shared_ptr<const TrackAnalyzer> analyzer) : analyzer_(std::move(analyzer)) {}

std::vector<int64_t> AnalysisScheduler::pendingTracks(LibraryStore& store) const
{
    std::map<Focus, std::string> models;
    for (const auto& [f, e] : analyzer_->embedders()) models[f] = e->modelId();
    const auto statuses = store.analysisStatuses(models);
    static const std::map<Focus, std::string> none;
    std::vector<int64_t> out;
    const auto& only = analyzer_->options().tracks;
    for (const auto& t : store.tracks()) {
        if (!only.empty() && std::find(only.begin(), only.end(), t.id) == only.end()) continue;
        auto it = statuses.find(t.id);
        const auto& done = it == statuses.end() ? none : it->second;
        if (analyzer_->needsWork(t.status, done)) {
            out.push_back(t.id);
        } else if (t.status != track_status::kMissing && t.status != track_status::kError) {
            const auto s = analyzer_->statusFor(done);
            if (s != t.status && s != track_status::kNew) store.setTrackStatus(t.id, s);
        }
    }
    return out;
}

std::vector<JobId> AnalysisScheduler::submit(JobEngine& engine, LibraryStore& store,
                                             std::function<void(const BatchProgress&)> onProgress, int priority)
{
    const auto pending = pendingTracks(store);
    {
        std::lock_guard<std::mutex> l(mutex_);
        onProgress_ = std::move(onProgress);
        start_ = std::chrono::steady_clock::now();
        progress_ = BatchProgress{};
        jobsFailed_ = 0;
        jobFailures_.clear();
        weight_.clear();
        fraction_.clear();
        state_.clear();
        totalWeight_ = doneWeight_ = 0;
        tally_ = std::make_shared<Tally>();
        progress_.tracksTotal = int(pending.size());
    }
    std::vector<JobId> ids;
    auto analyzer = analyzer_;
    {
        std::lock_guard<std::mutex> l(mutex_);
        submitting_ = true;
    }
    for (int64_t trackId : pending) {
        const auto t = store.track(trackId);
        const double w = std::max(1.0, t ? t->duration : 1.0);
        const std::string path = t ? t->path : std::to_string(trackId);
        const std::string name = kJobPrefix + path;
        // Not under mutex_: the engine may call onJobUpdate synchronously from here.
        const JobId id = engine.submit(
            name,
            [analyzer, trackId, path, tally = tally_](JobContext& ctx) {
                const auto r = analyzer->analyze(trackId, &ctx);
                std::lock_guard<std::mutex> l2(tally->mutex);
                tally->audioSeconds += r.audioSeconds;
                tally->segments += r.segments;
                // The job itself succeeds (the reason is stored with the track), but the user asked
                // for an analysis and did not get one: it counts as a failure.
                if (r.trackStatus == track_status::kError || r.trackStatus == track_status::kMissing)
                    tally->unreadable.push_back(path + ": " + r.error);
            },
            priority);
        std::lock_guard<std::mutex> l(mutex_);
        weight_[id] = w;
        totalWeight_ += w;
        fraction_[id] = 0.0;
        state_[id] = JobState::Queued;
        if (auto e = early_.find(id); e != early_.end()) {
            applyLocked(e->second);
            early_.erase(e);
        }
        ids.push_back(id);
    }
    {
        std::lock_guard<std::mutex> l(mutex_);
        submitting_ = false;
        early_.clear();
    }
    return ids;
}

void AnalysisScheduler::onJobUpdate(const JobInfo& info)
{
    std::function<void(const BatchProgress&)> cb;
    BatchProgress copy;
    {
        std::lock_guard<std::mutex> l(mutex_);
        if (!weight_.count(info.id)) {
            if (submitting_) {
                auto& slot = early_[info.id];
                if (!isFinished(slot.state)) slot = info;  // keep a final state once seen
            }
            return;
        }
        applyLocked(info);
        copy = progress_;
        addTallyLocked(copy);
        cb = onProgress_;
    }
    if (cb) cb(copy);
}

void AnalysisScheduler::applyLocked(const JobInfo& info)
{
    const double f = std::max(fraction_[info.id], isFinished(info.state) ? 1.0 : info.progress);
    doneWeight_ += (f - fraction_[info.id]) * weight_[info.id];
    fraction_[info.id] = f;
    const auto prev = state_[info.id];
    state_[info.id] = info.state;
    if (isFinished(info.state) && !isFinished(prev)) {
        ++progress_.tracksFinished;
        if (info.state == JobState::Failed) {
            ++jobsFailed_;
            const std::string what = info.name.rfind(kJobPrefix, 0) == 0 ? info.name.substr(kJobPrefix.size()) : info.name;
            jobFailures_.push_back(what + ": " + info.error);
        }
        if (info.state == JobState::Cancelled) ++progress_.tracksCancelled;
    }
    progress_.fraction = totalWeight_ > 0 ? std::min(1.0, doneWeight_ / totalWeight_) : 1.0;
    progress_.elapsedSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    progress_.etaSeconds =
        progress_.fraction > 0.002 ? progress_.elapsedSeconds * (1 - progress_.fraction) / progress_.fraction : -1.0;
    if (!info.status.empty()) progress_.lastStatus = info.status;
}

BatchProgress AnalysisScheduler::progress() const
{
    std::lock_guard<std::mutex> l(mutex_);
    BatchProgress p = progress_;
    addTallyLocked(p);
    return p;
}

void AnalysisScheduler::addTallyLocked(BatchProgress& p) const
{
    std::lock_guard<std::mutex> t(tally_->mutex);
    p.audioSecondsDone = tally_->audioSeconds;
    p.segments = tally_->segments;
    p.tracksFailed = jobsFailed_ + int(tally_->unreadable.size());
    p.failures = jobFailures_;
    p.failures.insert(p.failures.end(), tally_->unreadable.begin(), tally_->unreadable.end());
}

}  // namespace stemscope
