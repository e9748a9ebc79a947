#pragma once
// LibraryBackend as a thin Qt adapter over core's LibrarySession (the same facade the CLI's
// library commands use): it turns the session's results into Qt types, its errors into messages,
// and its engine jobs into UI jobs with signals. One UI job may stand for many engine jobs
// (analysis runs one engine job per track); cancel() cancels them all.
#include <QFuture>
#include <QHash>
#include <QMutex>

#include <map>
#include <memory>
#include <set>

#include "LibraryBackend.h"
#include "embedding/Focus.h"
#include "jobs/JobEngine.h"

namespace stemscope {
class LibrarySession;
}  // namespace stemscope

namespace stemscope::ui {

class CoreLibraryBackend : public LibraryBackend {
    Q_OBJECT
public:
    explicit CoreLibraryBackend(QObject* parent = nullptr);
    ~CoreLibraryBackend() override;

    bool open(const QString& path, QString* error) override;
    QString path() const override;
    void configure(const BackendSettings& settings) override;
    QString capabilities() const override;
    QStringList focuses() const override;
    QVector<TrackRow> tracks() override;
    QString playablePath(qint64 trackId, const QString& focus) override;
    quint64 importPaths(const QStringList& paths, QString* error) override;
    quint64 analyse(bool force, QString* error) override;
    quint64 createDemoLibrary(const QString& folder, QString* error) override;
    bool canCreateDemo() const override;
    void cancel(quint64 jobId) override;
    int activeJobs() const override;
    QVector<NeighbourRow> neighbours(qint64 trackId, const QString& focus, int k, QString* message) override;
    DistanceMatrix distances(const QString& focus, int maxTracks) override;
    DistanceMatrix distancesOf(const QString& focus, const QVector<qint64>& trackIds) override;
    SegmentMatch matchingSegment(qint64 queryTrack, double queryAtSeconds, qint64 neighbourTrack, const QString& focus) override;
    void cancelQueries() override;
    QVector<MapPoint> mapPoints(const QString& focus, MapLevel level, const std::function<bool()>& cancelled,
                                QString* message, const std::function<void(double)>& progress = {}) override;
    quint64 reanalyseTracks(const QVector<qint64>& trackIds, QString* error) override;
    quint64 rescanFolders(QString* error) override;
    int removeTracks(const QVector<qint64>& trackIds, QString* error) override;
    QVector<MapPoint> trackSegmentsOnMap(const QString& focus, qint64 trackId, QString* message) override;
    std::shared_ptr<listening::LibraryListening> listening() override;
    void reloadModels() override;
    double segmentSeconds(const QString& focus) const override;
    void setNeighbourFilter(const NeighbourFilter& filter) override;
    void forgetMap(const QString& focus) override;
    quint64 exportStems(qint64 trackId, const QStringList& stems, const QString& folder, QString* error) override;
    quint64 prepareListeningStems(const QVector<qint64>& tracks, bool urgent, QString* error) override;
    bool exportPlaylist(const QString& path, const QString& title, const QVector<qint64>& trackIds, QString* error) override;

    // Blocks until every job finished (tests, shutdown).
    void waitForJobs();

private:
    struct UiJob {
        QString title;
        std::set<JobId> engineJobs;
        bool finished = false;
        std::function<void()> onDone; // runs on a worker thread after success
        std::shared_ptr<void> keepAlive; // e.g. the analysis scheduler
    };
    quint64 newUiJob(const QString& title, bool cancellable);
    void attach(quint64 uiJob, JobId engineJob);
    void onEngineUpdate(const JobInfo& info);
    void finishUiJob(quint64 uiJob, JobsPanel::Outcome outcome, const QString& message);
    quint64 startAnalysis(bool force, QString* error, quint64 reuseUiJob = 0, const QVector<qint64>& only = {});
    std::shared_ptr<LibrarySession> session() const;
    // The open library and its job engine; false, with *error, when none is open.
    bool sessionAndEngine(std::shared_ptr<LibrarySession>* s, JobEngine** engine, QString* error) const;
    DistanceMatrix distanceMatrix(const QString& focus, const std::vector<int64_t>& only, int maxTracks);

    mutable QMutex mutex_;
    // Resuming the stems for listening after open() (scanning the library is not for the GUI thread).
    QFuture<void> resumeStems_;
    std::shared_ptr<LibrarySession> session_;
    std::unique_ptr<JobEngine> engine_;
    BackendSettings settings_;
    NeighbourFilter filter_;
    quint64 nextUiJob_ = 1;
    QHash<quint64, UiJob> uiJobs_;
    std::map<JobId, quint64> uiOf_;
    std::shared_ptr<listening::LibraryListening> listening_; // lazily, reset when analyses change
};

}  // namespace stemscope::ui
