#include "CoreLibraryBackend.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutexLocker>

#include <algorithm>
#include <cmath>
#include <atomic>
#include <thread>

#include "audio/AudioDecoder.h"
#include "index/NeighbourSearch.h"
#include "library/LibraryStore.h"
#include "library/TrackImporter.h"
#include "listening/LibraryListening.h"
#include "widgets/FocusSelector.h"
#include "analysis/AnalysisScheduler.h"
#include "analysis/EmbedderRegistry.h"
#include "analysis/TrackAnalyzer.h"
#include "corpus/CorpusBuilder.h"
#include "embedding/TorchEmbedder.h"
#include "projection/Tsne.h"
#include "separation/TorchSeparator.h"

namespace stemscope::ui {

namespace {

std::optional<Focus> toFocus(const QString& id) { return focusFromName(id.toStdString()); }

struct TrackMeta {
    QString title, artist;
    QStringList tags;
};

// Multitrack corpus songs (mix.* next to meta.json) carry their style in meta.json's "tags".
QStringList corpusTags(const QString& mixPath)
{
    static QMutex mutex;
    static QHash<QString, QStringList> cache;
    const QFileInfo fi(mixPath);
    if (fi.completeBaseName().compare(QLatin1String("mix"), Qt::CaseInsensitive) != 0) return {};
    QMutexLocker lock(&mutex);
    if (auto it = cache.constFind(mixPath); it != cache.constEnd()) return *it;
    QStringList tags;
    QFile f(fi.dir().filePath(QStringLiteral("meta.json")));
    if (f.size() < (1 << 20) && f.open(QIODevice::ReadOnly)) {
        const QJsonObject t = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("tags")).toObject();
        for (const char* key : {"family", "key"}) {
            const QJsonValue v = t.value(QLatin1String(key));
            if (v.isString() && !v.toString().isEmpty()) tags << v.toString();
        }
        if (t.value(QStringLiteral("tempo")).isDouble()) tags << QStringLiteral("%1 bpm").arg(t.value(QStringLiteral("tempo")).toDouble(), 0, 'f', 0);
    }
    cache.insert(mixPath, tags);
    return tags;
}

// Tags are a JSON object: {"title": ..., "artist": ..., "genre": ..., "tags": [...]} (all optional).
TrackMeta metaOf(const TrackRecord& t)
{
    TrackMeta m;
    const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(t.tags));
    const QJsonObject o = doc.object();
    m.title = o.value(QStringLiteral("title")).toString();
    m.artist = o.value(QStringLiteral("artist")).toString();
    for (const char* key : {"genre", "style"}) {
        const QString v = o.value(QLatin1String(key)).toString();
        if (!v.isEmpty()) m.tags << v;
    }
    const QJsonValue tags = o.value(QStringLiteral("tags"));
    if (tags.isArray())
        for (const auto& v : tags.toArray()) m.tags << v.toString();
    else if (tags.isString())
        m.tags << tags.toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (QString& s : m.tags) s = s.trimmed();
    m.tags.removeAll(QString());
    m.tags.removeDuplicates();
    if (m.tags.isEmpty()) m.tags = corpusTags(QString::fromStdString(t.path));
    if (m.title.isEmpty()) {
        const QFileInfo fi(QString::fromStdString(t.path));
        // Multitrack folders hold mix.wav: the folder names the song.
        m.title = fi.completeBaseName().compare(QLatin1String("mix"), Qt::CaseInsensitive) == 0 ? fi.dir().dirName()
                                                                                                 : fi.completeBaseName();
    }
    return m;
}

}  // namespace

CoreLibraryBackend::CoreLibraryBackend(QObject* parent) : LibraryBackend(parent) {}

CoreLibraryBackend::~CoreLibraryBackend()
{
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
    std::shared_ptr<LibraryStore> store;
    try {
        store = std::make_shared<LibraryStore>(QDir::cleanPath(path).toStdString());
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    std::unique_ptr<JobEngine> old;
    {
        QMutexLocker lock(&mutex_);
        old = std::move(engine_);
    }
    if (old) old->cancelAll();
    old.reset();
    QMutexLocker lock(&mutex_);
    store_ = std::move(store);
    engine_ = std::make_unique<JobEngine>(settings_.analysisThreads);
    engine_->setListener([this](const JobInfo& info) { onEngineUpdate(info); });
    uiJobs_.clear();
    uiOf_.clear();
    searches_.clear();
    listening_.reset();
    return true;
}

QString CoreLibraryBackend::path() const
{
    QMutexLocker lock(&mutex_);
    return store_ ? QString::fromStdString(store_->path()) : QString();
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
    return embedderProblems_.isEmpty() ? tr("analysis ready") : tr("some focus models unavailable");
}

QStringList CoreLibraryBackend::focuses() const { return FocusSelector::builtinFocuses(); }

std::string CoreLibraryBackend::modelIdFor(Focus focus) const
{
    if (auto it = modelIds_.find(focus); it != modelIds_.end()) return it->second;
    if (!store_) return {};
    const auto models = store_->models(focus);
    return models.empty() ? std::string() : models.front();
}

QVector<TrackRow> CoreLibraryBackend::tracks()
{
    std::shared_ptr<LibraryStore> store;
    std::map<Focus, std::string> models;
    {
        QMutexLocker lock(&mutex_);
        store = store_;
        if (!store) return {};
        for (Focus f : kAllFocuses) models[f] = modelIdFor(f);
    }
    QVector<TrackRow> rows;
    try {
        const auto statuses = store->analysisStatuses(models);
        for (const auto& t : store->tracks()) {
            TrackRow r;
            r.id = t.id;
            const TrackMeta m = metaOf(t);
            r.title = m.title;
            r.artist = m.artist;
            r.tags = m.tags;
            r.path = QString::fromStdString(t.path);
            r.durationSeconds = t.duration > 0 ? t.duration : -1;
            r.error = QString::fromStdString(t.error);
            if (auto it = statuses.find(t.id); it != statuses.end())
                for (const auto& [focus, status] : it->second) {
                    AnalysisState s = AnalysisState::None;
                    if (status == analysis_status::kDone || status == analysis_status::kSilent) s = AnalysisState::Done;
                    else if (status == analysis_status::kError) s = AnalysisState::Failed;
                    r.analysis[QString::fromLatin1(focusName(focus))] = s;
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
    std::shared_ptr<LibraryStore> store;
    {
        QMutexLocker lock(&mutex_);
        store = store_;
    }
    if (!store) return {};
    try {
        const auto t = store->track(trackId);
        if (!t) return {};
        if (focus != QLatin1String("mix")) {
            const auto stems = store->stems(trackId);
            if (auto it = stems.find(focus.toStdString()); it != stems.end() && QFileInfo::exists(QString::fromStdString(it->second)))
                return QString::fromStdString(it->second);
        }
        return QString::fromStdString(t->path);
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
    std::shared_ptr<LibraryStore> store;
    {
        QMutexLocker lock(&mutex_);
        store = store_;
    }
    if (!store || !engine_) {
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
            if (!r.messages.empty()) msg += QLatin1Char('\n') + QString::fromStdString(r.messages.front());
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
    const JobId id = submitImport(*engine, store, std::move(list), [reportBox](const ImportReport& r) { *reportBox = r; }, {}, 10);
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

quint64 CoreLibraryBackend::startAnalysis(bool force, QString* error, quint64)
{
    std::shared_ptr<LibraryStore> store;
    JobEngine* engine = nullptr;
    BackendSettings settings;
    std::shared_ptr<void> embeddersBox;
    {
        QMutexLocker lock(&mutex_);
        store = store_;
        engine = engine_.get();
        settings = settings_;
        embeddersBox = embedders_;
    }
    if (!store || !engine) {
        if (error) *error = tr("No library is open.");
        return 0;
    }
    if (!embeddersBox) {
        std::vector<Focus> all(kAllFocuses.begin(), kAllFocuses.end());
        std::vector<std::string> problems;
        auto set = std::make_shared<EmbedderSet>(loadEmbedders(defaultModelsRoot(), all, &problems));
        QStringList p;
        for (const auto& s : problems) p << QString::fromStdString(s);
        QMutexLocker lock(&mutex_);
        embedders_ = embeddersBox = set;
        embedderProblems_ = p.join(QLatin1Char('\n'));
        for (const auto& [f, e] : *set) modelIds_[f] = e->modelId();
    }
    const auto& embedders = *std::static_pointer_cast<EmbedderSet>(embeddersBox);
    if (embedders.empty()) {
        if (error)
            *error = tr("No focus model could be loaded, so nothing can be analysed.\n%1").arg(embedderProblems_);
        return 0;
    }
    AnalysisOptions options;
    options.redo = force;
    options.retryErrors = force;
    options.segments.silenceDb = settings.silenceDb;
    // Tracks without stem files get theirs from the shipped separator; the stems are cached next
    // to the library file so playback and later analyses reuse them.
    options.separator = loadDefaultSeparator();
    options.stemCacheDir = store->path() + ".stems";
    auto analyzer = std::make_shared<TrackAnalyzer>(store, embedders, defaultAudioDecoder(), options);
    auto scheduler = std::make_shared<AnalysisScheduler>(analyzer);
    const quint64 ui = newUiJob(force ? tr("Re-analyse library") : tr("Analyse new tracks"), true);
    {
        QMutexLocker lock(&mutex_);
        uiJobs_[ui].keepAlive = scheduler;
    }
    std::weak_ptr<AnalysisScheduler> weak = scheduler;
    std::vector<JobId> ids;
    try {
        ids = scheduler->submit(*engine, *store, [this, ui, weak](const BatchProgress& p) {
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
                    searches_.clear();
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
                finishUiJob(ui, cancelled ? JobsPanel::Outcome::Cancelled : JobsPanel::Outcome::Done,
                            tr("Analysed %1 tracks (%2 failed), %3 segments.").arg(p.tracksTotal).arg(p.tracksFailed).arg(p.segments));
            }
        });
    } catch (const std::exception& e) {
        finishUiJob(ui, JobsPanel::Outcome::Failed, QString::fromStdString(e.what()));
        return ui;
    }
    if (ids.empty()) {
        finishUiJob(ui, JobsPanel::Outcome::Done, tr("Everything is analysed already."));
        Q_EMIT tracksChanged();
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
        if (isFinished(info.state)) scheduler->onJobUpdate(info);
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
    if (!engine) {
        if (error) *error = tr("No library is open.");
        return 0;
    }
    if (!QDir().mkpath(folder)) {
        if (error) *error = tr("Cannot create the folder %1.").arg(folder);
        return 0;
    }
    const quint64 ui = newUiJob(tr("Generate demo songs"), true);
    auto report = std::make_shared<corpus::CorpusReport>();
    {
        QMutexLocker lock(&mutex_);
        uiJobs_[ui].onDone = [this, ui, report, folder] {
            finishUiJob(ui, report->failed > 0 && report->rendered == 0 ? JobsPanel::Outcome::Failed : JobsPanel::Outcome::Done,
                        tr("%1 demo songs rendered (%2 already there, %3 failed).").arg(report->rendered).arg(report->skipped).arg(report->failed));
            // Import the songs' mix files only: the stems next to them are attached by the
            // importer, and extra render outputs (e.g. other.flac) are not songs of their own.
            QStringList mixes;
            for (const QFileInfo& song : QDir(folder).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
                for (const QFileInfo& f : QDir(song.filePath()).entryInfoList({QStringLiteral("mix.*")}, QDir::Files))
                    mixes << f.filePath();
            QString err;
            importPaths(mixes.isEmpty() ? QStringList{folder} : mixes, &err); // then analysed by the import's follow-up
        };
    }
    const std::string out = QDir::cleanPath(folder).toStdString();
    const JobId id = engine->submit(
        "demo library",
        [out, report, threads](JobContext& ctx) {
            std::atomic<bool> cancel{false};
            *report = corpus::renderDemoLibrary(
                out,
                [&ctx, &cancel](const corpus::CorpusProgress& p) {
                    if (ctx.cancelled()) cancel = true;
                    const double f = p.total > 0 ? double(p.done + p.skipped + p.failed) / p.total : -1.0;
                    ctx.setProgress(std::max(0.0, f), p.stage + (p.lastSong.empty() ? std::string() : ": " + p.lastSong));
                },
                &cancel, std::max(1, threads));
            ctx.checkpoint();
            if (report->rendered + report->skipped == 0 && !report->errors.empty()) throw std::runtime_error(report->errors.front());
        },
        20);
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
    QMutexLocker lock(&mutex_);
    if (!store_) return nullptr;
    if (!listening_) {
        std::map<Focus, std::string> models;
        for (Focus f : kAllFocuses) models[f] = modelIdFor(f);
        try {
            listening_ = std::make_shared<listening::LibraryListening>(store_, models);
        } catch (const std::exception&) {
            return nullptr;
        }
    }
    return listening_;
}

std::shared_ptr<NeighbourSearch> CoreLibraryBackend::searchFor(Focus focus, QString* message)
{
    std::shared_ptr<LibraryStore> store;
    std::string model;
    {
        QMutexLocker lock(&mutex_);
        if (auto it = searches_.find(focus); it != searches_.end()) return it->second;
        store = store_;
        model = modelIdFor(focus);
    }
    if (!store) return nullptr;
    if (model.empty()) {
        if (message) *message = tr("No %1 model has analysed this library yet.").arg(FocusSelector::displayName(QString::fromLatin1(focusName(focus))));
        return nullptr;
    }
    auto search = std::make_shared<NeighbourSearch>(NeighbourSearch::load(*store, focus, model));
    QMutexLocker lock(&mutex_);
    searches_[focus] = search;
    return search;
}

QVector<NeighbourRow> CoreLibraryBackend::neighbours(qint64 trackId, const QString& focusId, int k, QString* message)
{
    const auto focus = toFocus(focusId);
    if (!focus) {
        if (message) *message = tr("Unknown focus “%1”.").arg(focusId);
        return {};
    }
    QVector<NeighbourRow> rows;
    try {
        auto search = searchFor(*focus, message);
        if (!search) return {};
        if (!search->contains(trackId)) {
            if (message)
                *message = tr("This track has no %1 analysis yet (still queued, silent, or no %2 stem).")
                               .arg(FocusSelector::displayName(focusId), focusId);
            return {};
        }
        std::shared_ptr<LibraryStore> store;
        {
            QMutexLocker lock(&mutex_);
            store = store_;
        }
        for (const auto& n : search->similarTracks(trackId, k)) {
            NeighbourRow r;
            r.trackId = n.trackId;
            r.distance = n.distance;
            if (auto t = store->track(n.trackId)) {
                const TrackMeta m = metaOf(*t);
                r.title = m.title;
                r.artist = m.artist;
                r.tags = m.tags;
            }
            rows.push_back(r);
        }
    } catch (const std::exception& e) {
        if (message) *message = QString::fromStdString(e.what());
    }
    return rows;
}

DistanceMatrix CoreLibraryBackend::distances(const QString& focusId, int maxTracks)
{
    return distanceMatrix(focusId, nullptr, maxTracks);
}

DistanceMatrix CoreLibraryBackend::distancesOf(const QString& focusId, const QVector<qint64>& trackIds)
{
    return distanceMatrix(focusId, &trackIds, int(trackIds.size()));
}

DistanceMatrix CoreLibraryBackend::distanceMatrix(const QString& focusId, const QVector<qint64>* only, int maxTracks)
{
    DistanceMatrix out;
    const auto focus = toFocus(focusId);
    std::shared_ptr<LibraryStore> store;
    std::string model;
    {
        QMutexLocker lock(&mutex_);
        store = store_;
        if (focus) model = modelIdFor(*focus);
    }
    if (!store || !focus || model.empty()) {
        out.message = tr("Nothing analysed under this focus yet.");
        return out;
    }
    try {
        FocusEmbeddings e = store->loadFocus(*focus, model, false);
        // Rows of the centroid matrix to show: the first maxTracks, or the requested tracks in order.
        std::vector<int> rows;
        if (only) {
            for (qint64 id : *only) {
                const auto it = std::find(e.trackIds.begin(), e.trackIds.end(), int64_t(id));
                const int r = int(it - e.trackIds.begin());
                if (it != e.trackIds.end() && std::find(rows.begin(), rows.end(), r) == rows.end()) rows.push_back(r);
            }
        } else {
            const int n = std::min<int>(int(e.trackIds.size()), std::max(1, maxTracks));
            for (int r = 0; r < n; ++r) rows.push_back(r);
        }
        const int n = int(rows.size());
        Matrix c(n, e.centroids.cols);
        for (int i = 0; i < n; ++i) {
            double norm = 0;
            for (int j = 0; j < c.cols; ++j) norm += double(e.centroids(rows[size_t(i)], j)) * e.centroids(rows[size_t(i)], j);
            norm = std::sqrt(std::max(norm, 1e-24));
            for (int j = 0; j < c.cols; ++j) c(i, j) = float(e.centroids(rows[size_t(i)], j) / norm);
        }
        out.values.assign(size_t(n) * size_t(n), 0.f);
        for (int i = 0; i < n; ++i)
            for (int j = i + 1; j < n; ++j) {
                double dot = 0;
                for (int q = 0; q < c.cols; ++q) dot += double(c(i, q)) * c(j, q);
                out.values[size_t(i) * size_t(n) + size_t(j)] = out.values[size_t(j) * size_t(n) + size_t(i)] = float(1.0 - dot);
            }
        for (int i = 0; i < n; ++i) {
            const int64_t id = e.trackIds[size_t(rows[size_t(i)])];
            const auto t = store->track(id);
            out.names << (t ? metaOf(*t).title : QString::number(id));
            out.trackIds << id;
        }
        if (n == 0) out.message = tr("None of these tracks is analysed under this focus yet.");
    } catch (const std::exception& ex) {
        out = {};
        out.message = QString::fromStdString(ex.what());
    }
    return out;
}

SegmentMatch CoreLibraryBackend::matchingSegment(qint64 queryTrack, double queryAtSeconds, qint64 neighbourTrack, const QString& focusId)
{
    SegmentMatch out;
    const auto focus = toFocus(focusId);
    if (!focus) {
        out.message = tr("Unknown focus “%1”.").arg(focusId);
        return out;
    }
    try {
        QString message;
        auto search = searchFor(*focus, &message);
        if (!search) {
            out.message = message;
            return out;
        }
        if (!search->contains(queryTrack) || !search->contains(neighbourTrack)) {
            out.message = tr("No %1 segments for this pair of tracks yet.").arg(FocusSelector::displayName(focusId));
            return out;
        }
        std::shared_ptr<LibraryStore> store;
        std::string model;
        {
            QMutexLocker lock(&mutex_);
            store = store_;
            model = modelIdFor(*focus);
        }
        if (!store) return out;
        const SegmentEmbeddings query = store->segments(queryTrack, *focus, model);
        if (query.startSeconds.empty()) {
            out.message = tr("The query track has no analysed segments.");
            return out;
        }
        // The query's segments to match: the one at queryAtSeconds, or all of them.
        std::vector<double> starts;
        if (queryAtSeconds >= 0) {
            double best = query.startSeconds.front();
            for (double s : query.startSeconds)
                if (std::abs(s - queryAtSeconds) < std::abs(best - queryAtSeconds)) best = s;
            starts.push_back(best);
        } else {
            starts = query.startSeconds;
        }
        // Segment-level neighbours of each query segment, closest first: the first hit on the
        // neighbour track is that segment's best match. Big libraries (approximate index) may not
        // reach the neighbour within k; then the two tracks' segments are compared directly.
        const int k = std::min(search->segmentCount(), 5000);
        for (double at : starts)
            for (const auto& n : search->similarSegments(queryTrack, at, k))
                if (n.trackId == neighbourTrack) {
                    if (!out.found || n.distance < out.distance) {
                        out.found = true;
                        out.startSeconds = n.startSeconds;
                        out.queryStartSeconds = at;
                        out.distance = n.distance;
                    }
                    break;
                }
        if (!out.found) {
            const SegmentEmbeddings other = store->segments(neighbourTrack, *focus, model);
            auto norm = [](const Matrix& m, int r) {
                double n2 = 0;
                for (int j = 0; j < m.cols; ++j) n2 += double(m(r, j)) * m(r, j);
                return std::sqrt(std::max(n2, 1e-24));
            };
            for (int i = 0; i < query.vectors.rows; ++i) {
                const double at = query.startSeconds[size_t(i)];
                if (std::find(starts.begin(), starts.end(), at) == starts.end()) continue;
                const double ni = norm(query.vectors, i);
                for (int j = 0; j < other.vectors.rows && other.vectors.cols == query.vectors.cols; ++j) {
                    double dot = 0;
                    for (int q = 0; q < other.vectors.cols; ++q) dot += double(query.vectors(i, q)) * other.vectors(j, q);
                    const double d = 1.0 - dot / (ni * norm(other.vectors, j));
                    if (!out.found || d < out.distance) {
                        out.found = true;
                        out.startSeconds = other.startSeconds[size_t(j)];
                        out.queryStartSeconds = at;
                        out.distance = d;
                    }
                }
            }
        }
        if (!out.found) out.message = tr("No matching segment found.");
    } catch (const std::exception& e) {
        out = {};
        out.message = QString::fromStdString(e.what());
    }
    return out;
}

QVector<MapPoint> CoreLibraryBackend::mapPoints(const QString& focusId, const std::function<bool()>& cancelled, QString* message)
{
    const auto focus = toFocus(focusId);
    std::shared_ptr<LibraryStore> store;
    std::string model;
    {
        QMutexLocker lock(&mutex_);
        store = store_;
        if (focus) model = modelIdFor(*focus);
    }
    if (!store || !focus || model.empty()) {
        if (message) *message = tr("Nothing analysed under this focus yet.");
        return {};
    }
    QVector<MapPoint> out;
    try {
        FocusEmbeddings e = store->loadFocus(*focus, model, true);
        if (e.segments.rows < 5) {
            if (message) *message = tr("Too few analysed segments for a map yet.");
            return {};
        }
        if (cancelled && cancelled()) return {};
        // Keep the map responsive on big libraries: at most kMaxMapPoints segments, evenly spread.
        constexpr int kMaxMapPoints = 3000;
        if (e.segments.rows > kMaxMapPoints) {
            const double step = double(e.segments.rows) / kMaxMapPoints;
            Matrix sub(kMaxMapPoints, e.segments.cols);
            std::vector<int64_t> track(kMaxMapPoints);
            std::vector<double> start(kMaxMapPoints);
            for (int i = 0; i < kMaxMapPoints; ++i) {
                const int r = int(i * step);
                std::copy(e.segments.row(r), e.segments.row(r) + e.segments.cols, sub.row(i));
                track[size_t(i)] = e.segmentTrack[size_t(r)];
                start[size_t(i)] = e.segmentStart[size_t(r)];
            }
            e.segments = std::move(sub);
            e.segmentTrack = std::move(track);
            e.segmentStart = std::move(start);
        }
        std::vector<std::pair<double, double>> xy;
        projection::TsneOptions options;
        std::atomic<bool> stop{false};
        options.cancel = &stop;
        options.threads = 2;
        options.progressEvery = 10;
        options.progress = [&](int, double) {
            if (cancelled && cancelled()) stop = true;
        };
        const auto result = projection::runTsne(e.segments, options);
        if (result.cancelled) return {};
        xy.resize(size_t(result.embedding.rows));
        for (int r = 0; r < result.embedding.rows; ++r) xy[size_t(r)] = {result.embedding(r, 0), result.embedding(r, 1)};
        std::map<int64_t, TrackMeta> meta;
        std::map<int64_t, int> segIndex;
        for (int r = 0; r < e.segments.rows; ++r) {
            const int64_t id = e.segmentTrack[size_t(r)];
            if (!meta.count(id)) {
                const auto t = store->track(id);
                meta[id] = t ? metaOf(*t) : TrackMeta{QString::number(id), {}, {}};
            }
            MapPoint p;
            p.x = xy[size_t(r)].first;
            p.y = xy[size_t(r)].second;
            p.trackId = id;
            p.segment = segIndex[id]++;
            p.track = meta[id].title;
            p.tag = meta[id].tags.value(0);
            p.startSeconds = e.segmentStart[size_t(r)];
            out.push_back(p);
        }
    } catch (const std::exception& ex) {
        if (message) *message = QString::fromStdString(ex.what());
        return {};
    }
    return out;
}

std::unique_ptr<LibraryBackend> createDefaultBackend() { return std::make_unique<CoreLibraryBackend>(); }

void CoreLibraryBackend::reloadModels()
{
    QMutexLocker lock(&mutex_);
    embedders_.reset();
    modelIds_.clear();
    embedderProblems_.clear();
    searches_.clear();
    listening_.reset();
}

}  // namespace stemscope::ui
