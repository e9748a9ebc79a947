#include "CoreLibraryBackend.h"

#include <QDir>
#include <QFileInfo>
#include <QMutexLocker>
#include <QtConcurrent>

#include <algorithm>
#include <atomic>
#include <thread>
#include <unordered_map>

#include "library/TrackMetadata.h"
#include "listening/LibraryListening.h"
#include "session/LibrarySession.h"
#include "widgets/FocusSelector.h"

namespace stemscope::ui {

namespace {

std::optional<Focus> toFocus(const QString& id) { return focusFromName(id.toStdString()); }

QString qs(const std::string& s) { return QString::fromStdString(s); }

struct TrackMeta {
    QString title, artist;
    QStringList tags;
};

TrackMeta metaOf(const TrackRecord& t)
{
    const TrackMetadata m = trackMetadata(t);
    TrackMeta out{qs(m.title), qs(m.artist), {}};
    for (const auto& tag : m.tags) out.tags << qs(tag);
    return out;
}

// The window's map point of a stored one: `segment` is the point's index within its track (-1: a
// whole track), title and first tag from `meta`.
MapPoint mapPointOf(const SegmentMapPoint& p, const TrackMeta& meta, int segment)
{
    MapPoint m;
    m.x = p.x;
    m.y = p.y;
    m.trackId = p.trackId;
    m.segment = segment;
    m.track = meta.title;
    m.tag = meta.tags.value(0);
    m.startSeconds = p.startSeconds;
    return m;
}

TrackMeta metaOf(LibraryStore& store, int64_t id)
{
    const auto t = store.track(id);
    return t ? metaOf(*t) : TrackMeta{QString::number(id), {}, {}};
}

}  // namespace

CoreLibraryBackend::CoreLibraryBackend(QObject* parent) : LibraryBackend(parent) {}

CoreLibraryBackend::~CoreLibraryBackend()
{
    resumeStems_.waitForFinished();
    std::unique_ptr<JobEngine> engine;
    {
        QMutexLocker lock(&mutex_);
        engine = std::move(engine_);
    }
    if (engine) {
        engine->cancelAll();
        engine.reset(); // joins the workers; their listener calls find no engine and return
    }
}

bool CoreLibraryBackend::open(const QString& path, QString* error)
{
    std::shared_ptr<LibrarySession> session;
    try {
        session = std::make_shared<LibrarySession>(QDir::cleanPath(path).toStdString());
        // Resolve each focus's model now, not at the first analysis: a library opened again shows
        // its stored results at once.
        session->loadInstalledModels();
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    resumeStems_.waitForFinished();
    std::unique_ptr<JobEngine> old;
    {
        QMutexLocker lock(&mutex_);
        old = std::move(engine_);
    }
    if (old) old->cancelAll();
    old.reset();
    QMutexLocker lock(&mutex_);
    session_ = std::move(session);
    engine_ = std::make_unique<JobEngine>(settings_.analysisThreads);
    engine_->setListener([this](const JobInfo& info) { onEngineUpdate(info); });
    uiJobs_.clear();
    uiOf_.clear();
    listening_.reset();
    lock.unlock();
    // Stems for listening left from the last run (cancelled, quit, a new separator): go on with
    // them in the background, behind any other work. Nothing shows when none are missing.
    resumeStems_ = QtConcurrent::run([this] { prepareListeningStems({}, false, nullptr); });
    return true;
}

std::shared_ptr<LibrarySession> CoreLibraryBackend::session() const
{
    QMutexLocker lock(&mutex_);
    return session_;
}

QString CoreLibraryBackend::path() const
{
    QMutexLocker lock(&mutex_);
    return session_ ? qs(session_->path()) : QString();
}

void CoreLibraryBackend::configure(const BackendSettings& settings)
{
    QMutexLocker lock(&mutex_);
    const bool threadsChanged = settings.analysisThreads != settings_.analysisThreads;
    settings_ = settings;
    // A new thread count needs a new engine; only swap it while nothing runs.
    bool idle = true;
    for (const auto& j : uiJobs_) idle = idle && j.finished;
    if (threadsChanged && engine_ && idle) {
        auto old = std::move(engine_);
        engine_ = std::make_unique<JobEngine>(settings_.analysisThreads);
        engine_->setListener([this](const JobInfo& info) { onEngineUpdate(info); });
        lock.unlock();
        old.reset();
    }
}

QString CoreLibraryBackend::capabilities() const
{
    const auto s = session();
    if (!s) return tr("no library");
    const EmbedderSet loaded = s->embedders();
    if (loaded.empty()) return qs(s->modelsDescription());
    QStringList notInstalled;
    for (Focus f : kAllFocuses) {
        const FocusModel m = s->modelFor(f);
        if (m.hasResults && !m.installed) notInstalled << FocusSelector::displayName(QString::fromLatin1(focusName(f)));
    }
    if (!notInstalled.isEmpty())
        return tr("showing stored results of models no longer installed for %1; Analyse Library to update")
            .arg(notInstalled.join(QStringLiteral(", ")));
    QStringList missing;
    for (Focus f : kAllFocuses)
        if (!loaded.count(f)) missing << FocusSelector::displayName(QString::fromLatin1(focusName(f)));
    return missing.isEmpty() ? tr("analysis ready") : tr("analysis ready; no model installed for %1").arg(missing.join(QStringLiteral(", ")));
}

QStringList CoreLibraryBackend::focuses() const { return FocusSelector::builtinFocuses(); }

QVector<TrackRow> CoreLibraryBackend::tracks()
{
    const auto s = session();
    if (!s) return {};
    QVector<TrackRow> rows;
    try {
        LibraryStore& store = *s->store();
        const auto statuses = store.analysisStatuses(s->modelIds());
        for (const auto& t : store.tracks()) {
            TrackRow r;
            r.id = t.id;
            const TrackMeta m = metaOf(t);
            r.title = m.title;
            r.artist = m.artist;
            r.tags = m.tags;
            r.path = qs(t.path);
            r.durationSeconds = t.duration > 0 ? t.duration : -1;
            r.error = qs(t.error);
            if (auto it = statuses.find(t.id); it != statuses.end())
                for (const auto& [focus, status] : it->second) {
                    AnalysisState st = AnalysisState::None;
                    if (status == analysis_status::kDone || status == analysis_status::kSilent) st = AnalysisState::Done;
                    else if (status == analysis_status::kError) st = AnalysisState::Failed;
                    r.analysis[QString::fromLatin1(focusName(focus))] = st;
                }
            if (t.status == track_status::kError || t.status == track_status::kMissing)
                for (Focus f : kAllFocuses) r.analysis[QString::fromLatin1(focusName(f))] = AnalysisState::Failed;
            rows.push_back(r);
        }
    } catch (const std::exception&) {
    }
    return rows;
}

QString CoreLibraryBackend::playablePath(qint64 trackId, const QString& focus)
{
    const auto s = session();
    if (!s) return {};
    try {
        const auto t = s->store()->track(trackId);
        if (!t) return {};
        if (FocusSelector::hasStem(focus)) {
            const auto stems = s->store()->stems(trackId);
            if (auto it = stems.find(focus.toStdString()); it != stems.end() && QFileInfo::exists(qs(it->second)))
                return qs(it->second);
        }
        return qs(t->path);
    } catch (const std::exception&) {
        return {};
    }
}

quint64 CoreLibraryBackend::newUiJob(const QString& title, bool cancellable)
{
    quint64 id;
    {
        QMutexLocker lock(&mutex_);
        id = nextUiJob_++;
        uiJobs_[id].title = title;
    }
    Q_EMIT jobStarted(id, title, cancellable);
    return id;
}

void CoreLibraryBackend::attach(quint64 uiJob, JobId engineJob)
{
    QMutexLocker lock(&mutex_);
    uiOf_[engineJob] = uiJob;
    uiJobs_[uiJob].engineJobs.insert(engineJob);
}

quint64 CoreLibraryBackend::importPaths(const QStringList& paths, QString* error)
{
    const auto s = session();
    if (!s || !engine_) {
        if (error) *error = tr("No library is open.");
        return 0;
    }
    std::vector<std::string> list;
    for (const QString& p : paths) list.push_back(QDir::cleanPath(p).toStdString());
    const quint64 ui = newUiJob(paths.size() == 1 ? tr("Import %1").arg(QFileInfo(paths.front()).fileName())
                                                  : tr("Import %1 items").arg(paths.size()),
                                true);
    auto reportBox = std::make_shared<ImportReport>();
    {
        QMutexLocker lock(&mutex_);
        uiJobs_[ui].onDone = [this, reportBox, ui] {
            const ImportReport& r = *reportBox;
            QString msg = tr("Imported: %1 new, %2 failed, %3 duplicates, %4 moved, %5 unchanged.")
                              .arg(r.added)
                              .arg(r.failed)
                              .arg(r.duplicates)
                              .arg(r.moved)
                              .arg(r.unchanged);
            if (!r.notFound.empty())
                msg += QLatin1Char('\n') + tr("%1: no such file or folder").arg(QString::fromStdString(r.notFound.front()));
            else if (!r.messages.empty())
                msg += QLatin1Char('\n') + QString::fromStdString(r.messages.front());
            finishUiJob(ui, JobsPanel::Outcome::Done, msg);
            Q_EMIT tracksChanged();
            QString err;
            if (!startAnalysis(false, &err) && !err.isEmpty()) {
                // Say why nothing is being analysed (e.g. no models installed) where jobs are shown.
                const quint64 failed = newUiJob(tr("Analyse new tracks"), false);
                finishUiJob(failed, JobsPanel::Outcome::Failed, err);
            }
        };
    }
    JobEngine* engine;
    {
        QMutexLocker lock(&mutex_);
        engine = engine_.get();
    }
    // Attach before the job can report: submit under no lock, the listener tolerates early calls.
    const JobId id = s->submitImport(*engine, std::move(list), [reportBox](const ImportReport& r) { *reportBox = r; });
    attach(ui, id);
    onEngineUpdate(engine->info(id)); // catch a job that finished before attach()
    return ui;
}

void CoreLibraryBackend::onEngineUpdate(const JobInfo& info)
{
    quint64 ui = 0;
    std::function<void()> onDone;
    std::shared_ptr<void> keep;
    bool finishedAll = false, anyCancelled = false, anyFailed = false;
    QString error;
    {
        QMutexLocker lock(&mutex_);
        auto it = uiOf_.find(info.id);
        if (it == uiOf_.end()) return; // not attached yet: attach() re-reads the state
        ui = it->second;
        auto jit = uiJobs_.find(ui);
        if (jit == uiJobs_.end() || jit->finished) return;
        keep = jit->keepAlive;
        if (!keep && !isFinished(info.state)) {
            lock.unlock();
            Q_EMIT jobProgress(ui, info.progress, info.etaSeconds, QString::fromStdString(info.status));
            return;
        }
        if (isFinished(info.state)) {
            jit->engineJobs.erase(info.id);
            uiOf_.erase(info.id);
            anyCancelled = info.state == JobState::Cancelled;
            anyFailed = info.state == JobState::Failed;
            error = QString::fromStdString(info.error);
            finishedAll = jit->engineJobs.empty() && !keep;
            if (finishedAll) onDone = jit->onDone;
        }
    }
    if (keep) {
        static_cast<AnalysisScheduler*>(keep.get())->onJobUpdate(info);
        return;
    }
    if (!finishedAll) return;
    if (anyCancelled) finishUiJob(ui, JobsPanel::Outcome::Cancelled, tr("Cancelled. Work already saved is kept."));
    else if (anyFailed) finishUiJob(ui, JobsPanel::Outcome::Failed, error);
    else if (onDone) {
        // Never inside the engine's listener: follow-ups submit new jobs, and submit() notifies
        // the listener under the same (non-recursive) lock. Run it on the backend's own thread.
        QMetaObject::invokeMethod(this, onDone, Qt::QueuedConnection);
    } else {
        finishUiJob(ui, JobsPanel::Outcome::Done, {});
    }
}

void CoreLibraryBackend::finishUiJob(quint64 uiJob, JobsPanel::Outcome outcome, const QString& message)
{
    {
        QMutexLocker lock(&mutex_);
        auto it = uiJobs_.find(uiJob);
        if (it == uiJobs_.end() || it->finished) return;
        it->finished = true;
        it->onDone = nullptr;
    }
    Q_EMIT jobFinished(uiJob, outcome, message);
}

quint64 CoreLibraryBackend::analyse(bool force, QString* error) { return startAnalysis(force, error); }

quint64 CoreLibraryBackend::reanalyseTracks(const QVector<qint64>& trackIds, QString* error)
{
    if (trackIds.isEmpty()) {
        if (error) *error = tr("Select the tracks to analyse again first.");
        return 0;
    }
    return startAnalysis(true, error, 0, trackIds);
}

quint64 CoreLibraryBackend::startAnalysis(bool force, QString* error, quint64, const QVector<qint64>& only)
{
    std::shared_ptr<LibrarySession> session;
    JobEngine* engine = nullptr;
    BackendSettings settings;
    {
        QMutexLocker lock(&mutex_);
        session = session_;
        engine = engine_.get();
        settings = settings_;
    }
    if (!session || !engine) {
        if (error) *error = tr("No library is open.");
        return 0;
    }
    if (session->embedders().empty()) {
        if (error)
            *error = tr("No focus model could be loaded, so nothing can be analysed.\n%1").arg(qs(session->modelsDescription()));
        return 0;
    }
    // Tracks without stem files get theirs from the shipped separator; the stems are cached next
    // to the library file so playback and later analyses reuse them.
    AnalysisOptions options = session->defaultAnalysisOptions();
    options.redo = force;
    options.retryErrors = force;
    options.segments.silenceDb = settings.silenceDb;
    options.tracks.assign(only.begin(), only.end());
    const QString title = !only.isEmpty() ? tr("Re-analyse %n track(s)", nullptr, int(only.size()))
                          : force         ? tr("Re-analyse library")
                                          : tr("Analyse new tracks");
    const quint64 ui = newUiJob(title, true);
    AnalysisBatch batch;
    try {
        batch = session->submitAnalysis(*engine, std::move(options), [this, ui](const BatchProgress& p) {
            Q_EMIT jobProgress(ui, p.fraction, p.etaSeconds,
                               tr("%1 of %2 tracks · %3 segments%4")
                                   .arg(p.tracksFinished)
                                   .arg(p.tracksTotal)
                                   .arg(p.segments)
                                   .arg(p.tracksFailed ? tr(" · %1 failed").arg(p.tracksFailed) : QString()));
            if (p.tracksFinished > 0) {
                Q_EMIT tracksChanged();
                {
                    QMutexLocker lock(&mutex_);
                    if (session_) session_->invalidate();
                    listening_.reset(); // its neighbour caches are stale too
                }
                Q_EMIT analysisChanged();
            }
            if (p.tracksTotal > 0 && p.tracksFinished >= p.tracksTotal) {
                bool cancelled = false;
                {
                    QMutexLocker lock(&mutex_);
                    auto it = uiJobs_.find(ui);
                    cancelled = it != uiJobs_.end() && it->title.endsWith(QLatin1String(" (cancelling)"));
                }
                QString msg = tr("Analysed %1 tracks (%2 failed), %3 segments.").arg(p.tracksTotal).arg(p.tracksFailed).arg(p.segments);
                if (!p.failures.empty()) msg += QLatin1Char(' ') + tr("First failure: %1").arg(qs(p.failures.front()));
                finishUiJob(ui, cancelled ? JobsPanel::Outcome::Cancelled : JobsPanel::Outcome::Done, msg);
                // Then the stems for listening, behind any other work (the embeddings needed none).
                if (!cancelled)
                    QMetaObject::invokeMethod(this, [this] { prepareListeningStems({}, false, nullptr); }, Qt::QueuedConnection);
            }
        });
    } catch (const std::exception& e) {
        finishUiJob(ui, JobsPanel::Outcome::Failed, QString::fromStdString(e.what()));
        return ui;
    }
    {
        QMutexLocker lock(&mutex_);
        uiJobs_[ui].keepAlive = batch.scheduler; // from now on engine updates reach the scheduler
    }
    const std::vector<JobId>& ids = batch.jobs;
    if (ids.empty()) {
        finishUiJob(ui, JobsPanel::Outcome::Done, tr("Everything is analysed already."));
        Q_EMIT tracksChanged();
        // Stems for listening left over (a cancelled job, a new separator): go on with them.
        QMetaObject::invokeMethod(this, [this] { prepareListeningStems({}, false, nullptr); }, Qt::QueuedConnection);
        return ui;
    }
    {
        QMutexLocker lock(&mutex_);
        for (JobId id : ids) {
            uiOf_[id] = ui;
            uiJobs_[ui].engineJobs.insert(id);
        }
    }
    // Jobs that finished before being attached: replay their final state into the scheduler.
    for (JobId id : ids) {
        const JobInfo info = engine->info(id);
        if (isFinished(info.state)) batch.scheduler->onJobUpdate(info);
    }
    return ui;
}

quint64 CoreLibraryBackend::createDemoLibrary(const QString& folder, QString* error)
{
    JobEngine* engine = nullptr;
    int threads = 2;
    {
        QMutexLocker lock(&mutex_);
        engine = engine_.get();
        threads = settings_.analysisThreads > 0 ? settings_.analysisThreads : int(std::max(1u, std::thread::hardware_concurrency()));
    }
    const auto s = session();
    if (!engine || !s) {
        if (error) *error = tr("No library is open.");
        return 0;
    }
    if (!QDir().mkpath(folder)) {
        if (error) *error = tr("Cannot create the folder %1.").arg(folder);
        return 0;
    }
    const quint64 ui = newUiJob(tr("Generate demo songs"), true);
    auto report = std::make_shared<corpus::CorpusReport>();
    const std::string out = QDir::cleanPath(folder).toStdString();
    {
        QMutexLocker lock(&mutex_);
        uiJobs_[ui].onDone = [this, ui, report, out] {
            finishUiJob(ui, report->failed > 0 && report->rendered == 0 ? JobsPanel::Outcome::Failed : JobsPanel::Outcome::Done,
                        tr("%1 demo songs rendered (%2 already there, %3 failed).").arg(report->rendered).arg(report->skipped).arg(report->failed));
            QStringList mixes;
            for (const auto& m : LibrarySession::demoMixes(out)) mixes << qs(m);
            QString err;
            importPaths(mixes.isEmpty() ? QStringList{qs(out)} : mixes, &err); // then analysed by the import's follow-up
        };
    }
    JobId id = 0;
    try {
        id = s->submitDemoRender(*engine, out, threads, report);
    } catch (const std::exception& e) {
        finishUiJob(ui, JobsPanel::Outcome::Failed, qs(e.what()));
        return ui;
    }
    attach(ui, id);
    onEngineUpdate(engine->info(id));
    return ui;
}

bool CoreLibraryBackend::canCreateDemo() const { return true; }

void CoreLibraryBackend::cancel(quint64 jobId)
{
    std::vector<JobId> ids;
    JobEngine* engine = nullptr;
    {
        QMutexLocker lock(&mutex_);
        auto it = uiJobs_.find(jobId);
        if (it == uiJobs_.end() || it->finished) return;
        if (!it->title.endsWith(QLatin1String(" (cancelling)"))) it->title += QLatin1String(" (cancelling)");
        ids.assign(it->engineJobs.begin(), it->engineJobs.end());
        it->onDone = nullptr; // a cancelled import does not chain into analysis
        engine = engine_.get();
    }
    if (engine)
        for (JobId id : ids) engine->cancel(id);
    if (ids.empty()) finishUiJob(jobId, JobsPanel::Outcome::Cancelled, tr("Cancelled."));
}

int CoreLibraryBackend::activeJobs() const
{
    QMutexLocker lock(&mutex_);
    int n = 0;
    for (const auto& j : uiJobs_) n += j.finished ? 0 : 1;
    return n;
}

void CoreLibraryBackend::waitForJobs()
{
    JobEngine* engine;
    {
        QMutexLocker lock(&mutex_);
        engine = engine_.get();
    }
    if (engine) engine->waitAll();
}

std::shared_ptr<listening::LibraryListening> CoreLibraryBackend::listening()
{
    const auto s = session();
    if (!s) return nullptr;
    QMutexLocker lock(&mutex_);
    if (!listening_) {
        try {
            listening_ = std::make_shared<listening::LibraryListening>(s->store(), s->modelIds());
        } catch (const std::exception&) {
            return nullptr;
        }
    }
    return listening_;
}

QVector<NeighbourRow> CoreLibraryBackend::neighbours(qint64 trackId, const QString& focusId, int k, QString* message)
{
    const auto focus = toFocus(focusId);
    const auto s = session();
    if (!focus || !s) {
        if (message) *message = focus ? tr("No library is open.") : tr("Unknown focus “%1”.").arg(focusId);
        return {};
    }
    NeighbourExclusions ex;
    {
        QMutexLocker lock(&mutex_);
        ex.sameArtist = filter_.sameArtist;
        ex.sameAlbum = filter_.sameAlbum;
        for (const QString& t : filter_.hiddenTags) ex.hiddenTags.push_back(t.toStdString());
    }
    QVector<NeighbourRow> rows;
    try {
        for (const auto& n : s->neighbours(trackId, *focus, k, ex)) {
            NeighbourRow r;
            r.trackId = n.trackId;
            r.distance = n.distance;
            r.cosineDistance = n.cosineDistance;
            const TrackMeta m = metaOf(*s->store(), n.trackId);
            r.title = m.title;
            r.artist = m.artist;
            r.tags = m.tags;
            rows.push_back(r);
        }
    } catch (const std::exception& e) {
        if (message) *message = qs(e.what());
        return {};
    }
    return rows;
}

DistanceMatrix CoreLibraryBackend::distances(const QString& focusId, int maxTracks)
{
    return distanceMatrix(focusId, {}, maxTracks);
}

DistanceMatrix CoreLibraryBackend::distancesOf(const QString& focusId, const QVector<qint64>& trackIds)
{
    if (trackIds.isEmpty()) {
        DistanceMatrix out;
        out.message = tr("None of these tracks is analysed under this focus yet.");
        return out;
    }
    return distanceMatrix(focusId, std::vector<int64_t>(trackIds.begin(), trackIds.end()), int(trackIds.size()));
}

DistanceMatrix CoreLibraryBackend::distanceMatrix(const QString& focusId, const std::vector<int64_t>& only, int maxTracks)
{
    DistanceMatrix out;
    const auto focus = toFocus(focusId);
    const auto s = session();
    if (!s || !focus) {
        out.message = tr("Nothing analysed under this focus yet.");
        return out;
    }
    try {
        const CentroidDistances d = s->centroidDistances(*focus, only, maxTracks);
        out.values = d.values;
        for (int64_t id : d.trackIds) {
            out.names << metaOf(*s->store(), id).title;
            out.trackIds << id;
        }
        if (d.trackIds.empty()) out.message = tr("None of these tracks is analysed under this focus yet.");
    } catch (const std::exception& e) {
        out = {};
        out.message = qs(e.what());
    }
    return out;
}

SegmentMatch CoreLibraryBackend::matchingSegment(qint64 queryTrack, double queryAtSeconds, qint64 neighbourTrack, const QString& focusId)
{
    SegmentMatch out;
    const auto focus = toFocus(focusId);
    const auto s = session();
    if (!focus || !s) {
        out.message = focus ? tr("No library is open.") : tr("Unknown focus “%1”.").arg(focusId);
        return out;
    }
    try {
        const SegmentMatchResult m = s->matchingSegment(queryTrack, queryAtSeconds, neighbourTrack, *focus);
        out.found = m.found;
        out.startSeconds = m.startSeconds;
        out.queryStartSeconds = m.queryStartSeconds;
        out.distance = m.distance;
        if (!out.found) out.message = tr("No matching segment found.");
    } catch (const std::exception& e) {
        out = {};
        out.message = qs(e.what());
    }
    return out;
}

QVector<MapPoint> CoreLibraryBackend::mapPoints(const QString& focusId, MapLevel level, const std::function<bool()>& cancelled,
                                                QString* message, const std::function<void(double)>& progress)
{
    const auto focus = toFocus(focusId);
    const auto s = session();
    if (!s || !focus) {
        if (message) *message = tr("Nothing analysed under this focus yet.");
        return {};
    }
    QVector<MapPoint> out;
    try {
        constexpr int kMaxMapPoints = 3000;
        const bool tracks = level == MapLevel::Tracks;
        const auto points = tracks ? s->trackMap(*focus, cancelled, progress) : s->segmentMap(*focus, kMaxMapPoints, cancelled, progress);
        // Every track's title and tags in one query (a map can hold the whole library).
        std::unordered_map<int64_t, TrackMeta> meta;
        if (!points.empty())
            for (const auto& t : s->store()->tracks()) meta.emplace(t.id, metaOf(t));
        std::unordered_map<int64_t, int> segIndex;
        out.reserve(int(points.size()));
        for (const auto& p : points) {
            auto it = meta.find(p.trackId);
            if (it == meta.end()) it = meta.emplace(p.trackId, TrackMeta{QString::number(p.trackId), {}, {}}).first;
            out.push_back(mapPointOf(p, it->second, tracks ? -1 : segIndex[p.trackId]++));
        }
    } catch (const std::exception& e) {
        if (message) *message = qs(e.what());
        return {};
    }
    return out;
}

quint64 CoreLibraryBackend::rescanFolders(QString* error)
{
    const auto s = session();
    if (!s) {
        if (error) *error = tr("No library is open.");
        return 0;
    }
    QStringList folders;
    for (const auto& f : s->importFolders()) folders << qs(f);
    if (folders.isEmpty()) {
        if (error) *error = tr("No folder has been added to this library yet: add one with File ▸ Add Folder (Ctrl+Shift+O).");
        return 0;
    }
    return importPaths(folders, error);
}

int CoreLibraryBackend::removeTracks(const QVector<qint64>& trackIds, QString* error)
{
    const auto s = session();
    if (!s) {
        if (error) *error = tr("No library is open.");
        return 0;
    }
    int removed = 0;
    try {
        removed = s->removeTracks(std::vector<int64_t>(trackIds.begin(), trackIds.end()));
    } catch (const std::exception& e) {
        if (error) *error = tr("Could not remove the tracks: %1").arg(qs(e.what()));
        return 0;
    }
    Q_EMIT tracksChanged();
    Q_EMIT analysisChanged();
    return removed;
}

QVector<MapPoint> CoreLibraryBackend::trackSegmentsOnMap(const QString& focusId, qint64 trackId, QString* message)
{
    const auto focus = toFocus(focusId);
    const auto s = session();
    if (!s || !focus) return {};
    QVector<MapPoint> out;
    try {
        const auto points = s->trackSegmentsOnMap(*focus, trackId);
        const TrackMeta meta = metaOf(*s->store(), trackId);
        out.reserve(int(points.size()));
        for (size_t i = 0; i < points.size(); ++i) out.push_back(mapPointOf(points[i], meta, int(i)));
    } catch (const std::exception& e) {
        if (message) *message = qs(e.what());
        return {};
    }
    return out;
}

void CoreLibraryBackend::cancelQueries()
{
    if (const auto s = session()) s->cancelQueries();
}

std::unique_ptr<LibraryBackend> createDefaultBackend() { return std::make_unique<CoreLibraryBackend>(); }

bool CoreLibraryBackend::sessionAndEngine(std::shared_ptr<LibrarySession>* s, JobEngine** engine, QString* error) const
{
    QMutexLocker lock(&mutex_);
    *s = session_;
    *engine = engine_.get();
    if (*s && *engine) return true;
    if (error) *error = tr("No library is open.");
    return false;
}

quint64 CoreLibraryBackend::exportStems(qint64 trackId, const QStringList& stems, const QString& folder, QString* error)
{
    std::shared_ptr<LibrarySession> s;
    JobEngine* engine = nullptr;
    if (!sessionAndEngine(&s, &engine, error)) return 0;
    std::vector<std::string> names;
    for (const QString& n : stems) names.push_back(n.toStdString());
    auto written = std::make_shared<std::vector<std::string>>();
    const quint64 ui = newUiJob(tr("Export stems"), true);
    {
        QMutexLocker lock(&mutex_);
        uiJobs_[ui].onDone = [this, ui, written, folder] {
            finishUiJob(ui, JobsPanel::Outcome::Done, tr("%n stem file(s) written to %1", nullptr, int(written->size())).arg(folder));
        };
    }
    JobId id = 0;
    try {
        id = s->submitStemExport(*engine, trackId, names, QDir::cleanPath(folder).toStdString(),
                                 [written](const std::vector<std::string>& paths) { *written = paths; });
    } catch (const std::exception& e) {
        finishUiJob(ui, JobsPanel::Outcome::Failed, qs(e.what()));
        if (error) *error = qs(e.what());
        return ui;
    }
    attach(ui, id);
    onEngineUpdate(engine->info(id));
    return ui;
}

quint64 CoreLibraryBackend::prepareListeningStems(const QVector<qint64>& tracks, bool urgent, QString* error)
{
    std::shared_ptr<LibrarySession> s;
    JobEngine* engine = nullptr;
    if (!sessionAndEngine(&s, &engine, error)) return 0;
    auto report = std::make_shared<LibrarySession::ListeningStemsReport>();
    // The work hands over to new engine jobs now and then; each joins the same entry of the panel.
    struct Link {
        QMutex mutex;
        quint64 ui = 0;
        std::vector<JobId> early;  // handed over before the entry existed
    };
    auto link = std::make_shared<Link>();
    LibrarySession::ListeningStemsOptions options;
    options.priority = urgent ? 20 : -5;  // urgent: ahead of analyses (0) and exports (5); else after all
    options.continued = [this, link, engine](JobId next) {
        QMutexLocker lock(&link->mutex);
        if (!link->ui) return link->early.push_back(next);
        attach(link->ui, next);
        onEngineUpdate(engine->info(next));
    };
    JobId id = 0;
    try {
        id = s->submitListeningStems(*engine, std::vector<int64_t>(tracks.begin(), tracks.end()),
                                     [report](const LibrarySession::ListeningStemsReport& r) { *report = r; }, options);
    } catch (const std::exception& e) {
        if (error) *error = qs(e.what());  // no separator: nothing to show in the jobs panel
        return 0;
    }
    if (id == 0) {  // nothing to separate
        QMetaObject::invokeMethod(this, [this, tracks] { Q_EMIT stemsReady(tracks); }, Qt::QueuedConnection);
        return 0;
    }
    // The job may already run: onEngineUpdate ignores it until attach(), then replays its state.
    const quint64 ui = newUiJob(tracks.size() == 1 ? tr("Separate stems for listening") : tr("Prepare stems for listening"), true);
    {
        QMutexLocker lock(&mutex_);
        uiJobs_[ui].onDone = [this, ui, report, tracks] {
            QString msg = report->separated == 0 && report->failures.empty()
                              ? tr("Every track already has its stems for listening.")
                              : tr("%n track(s) separated for listening.", nullptr, report->separated);
            if (!report->failures.empty())
                msg += QLatin1Char(' ') + tr("%n failed: %1", nullptr, int(report->failures.size())).arg(qs(report->failures.front()));
            finishUiJob(ui, report->failures.empty() || report->separated > 0 ? JobsPanel::Outcome::Done : JobsPanel::Outcome::Failed,
                        msg);
            Q_EMIT stemsReady(tracks);
        };
    }
    std::vector<JobId> all{id};
    {
        // Every job handed over so far is attached before any state is replayed, so that the first
        // job ending does not look like the end of the work.
        QMutexLocker lock(&link->mutex);
        link->ui = ui;
        all.insert(all.end(), link->early.begin(), link->early.end());
        for (JobId j : all) attach(ui, j);
    }
    for (JobId j : all) onEngineUpdate(engine->info(j));
    return ui;
}

void CoreLibraryBackend::forgetMap(const QString& focusId)
{
    const auto s = session();
    const auto focus = toFocus(focusId);
    if (!s || !focus) return;
    try {
        s->forgetMap(*focus);
    } catch (const std::exception&) {
    }
}

void CoreLibraryBackend::setNeighbourFilter(const NeighbourFilter& filter)
{
    QMutexLocker lock(&mutex_);
    filter_ = filter;
}

bool CoreLibraryBackend::exportPlaylist(const QString& path, const QString& title, const QVector<qint64>& trackIds, QString* error)
{
    const auto s = session();
    if (!s) {
        if (error) *error = tr("No library is open.");
        return false;
    }
    try {
        s->exportPlaylist(path.toStdString(), title.toStdString(), std::vector<int64_t>(trackIds.begin(), trackIds.end()));
        return true;
    } catch (const std::exception& e) {
        if (error) *error = qs(e.what());
        return false;
    }
}

double CoreLibraryBackend::segmentSeconds(const QString& focus) const
{
    const auto s = session();
    const auto f = focusFromName(focus.toStdString());
    return s && f ? s->segmentSeconds(*f) : LibraryBackend::segmentSeconds(focus);
}

void CoreLibraryBackend::reloadModels()
{
    const auto s = session();
    if (s) s->loadInstalledModels();
    QMutexLocker lock(&mutex_);
    listening_.reset();
}

}  // namespace stemscope::ui
