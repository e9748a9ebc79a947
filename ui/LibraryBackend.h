#pragma once
// What the main window needs from a library, as one Qt-side interface. The real implementation
// (CoreLibraryBackend) adapts core's library store, job engine, neighbour search, t-SNE and demo
// corpus; tests plug in a synthetic one. All query functions are thread-safe and may be slow:
// the window only calls them from QtConcurrent workers, never on the GUI thread. Job signals may
// be emitted from any thread (connect with Qt::AutoConnection from a QObject on the GUI thread).
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <atomic>
#include <functional>
#include <limits>
#include <memory>
#include <vector>

#include "widgets/JobsPanel.h"
#include "widgets/MapView.h"
#include "widgets/NeighbourList.h"
#include "widgets/TrackTableModel.h"

namespace stemscope::listening {
class LibraryListening;
}

namespace stemscope::ui {

struct DistanceMatrix {
    QStringList names;
    QVector<qint64> trackIds;
    std::vector<float> values; // names.size()^2, row-major
    QString message;           // why it is empty, if it is
};

// The 3 s segment of a neighbour that best matches (a segment of) the query track.
struct SegmentMatch {
    bool found = false;
    double startSeconds = -1;      // in the neighbour track
    double queryStartSeconds = -1; // the query's segment it matches
    double distance = 0;           // cosine distance between the two segments
    QString message;               // why nothing was found
};

// What the neighbour lists leave out besides the query (which they never list).
struct NeighbourFilter {
    bool sameArtist = false;
    bool sameAlbum = false;
    QStringList hiddenTags;  // case-insensitive
    bool operator==(const NeighbourFilter& o) const
    {
        return sameArtist == o.sameArtist && sameAlbum == o.sameAlbum && hiddenTags == o.hiddenTags;
    }
};

struct BackendSettings {
    int analysisThreads = 0;   // 0 = one per core
    double silenceDb = -60.0;  // segments quieter than this are not analysed
};

class LibraryBackend : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~LibraryBackend() override = default;

    // Opens (creating if needed) the library at `path`. On failure returns false with a message
    // and keeps the previously open library (if any) untouched.
    virtual bool open(const QString& path, QString* error) = 0;
    virtual QString path() const = 0;
    virtual void configure(const BackendSettings& settings) = 0;
    // Short description of what the engine can do ("5 focus models"), for the status bar.
    virtual QString capabilities() const = 0;

    virtual QStringList focuses() const = 0; // built-in focuses first, then extra model names
    virtual QVector<TrackRow> tracks() = 0;  // fast (one SQL query), GUI thread allowed
    // Path to play for a track under a focus: the stem file when one exists, else the mix.
    virtual QString playablePath(qint64 trackId, const QString& focus) = 0;

    // Background jobs; return the job id (0 when nothing was started, with *error set).
    virtual quint64 importPaths(const QStringList& paths, QString* error) = 0;
    virtual quint64 analyse(bool force, QString* error) = 0;
    // Generates the demo songs into `folder`, imports and analyses them (a chain of jobs).
    virtual quint64 createDemoLibrary(const QString& folder, QString* error) = 0;
    virtual bool canCreateDemo() const = 0;
    virtual void cancel(quint64 jobId) = 0;
    virtual int activeJobs() const = 0;

    // Queries (thread-safe, possibly slow). `cancelled` is polled by long computations.
    virtual QVector<NeighbourRow> neighbours(qint64 trackId, const QString& focus, int k, QString* message) = 0;
    virtual DistanceMatrix distances(const QString& focus, int maxTracks) = 0;
    // Tracks: one point per analysed track (every track); Segments: up to a few thousand segments.
    enum class MapLevel { Tracks, Segments };
    // `progress` (optional, any thread) hears the share done, 0..1, while the map is computed.
    virtual QVector<MapPoint> mapPoints(const QString& focus, MapLevel level, const std::function<bool()>& cancelled,
                                        QString* message, const std::function<void(double)>& progress = {}) = 0;

    // Distance matrix of just `trackIds` (in that order; tracks without analysis are left out).
    // The default cuts the rows out of the whole-library matrix.
    virtual DistanceMatrix distancesOf(const QString& focus, const QVector<qint64>& trackIds)
    {
        const DistanceMatrix all = distances(focus, std::numeric_limits<int>::max());
        DistanceMatrix out;
        out.message = all.message;
        const int n = int(all.trackIds.size());
        QVector<int> rows;
        for (qint64 id : trackIds) {
            const int r = int(all.trackIds.indexOf(id));
            if (r >= 0 && !rows.contains(r)) rows << r;
        }
        for (int r : rows) out.names << all.names.value(r), out.trackIds << all.trackIds[r];
        out.values.assign(size_t(rows.size()) * size_t(rows.size()), 0.f);
        for (int i = 0; i < rows.size(); ++i)
            for (int j = 0; j < rows.size(); ++j)
                out.values[size_t(i) * size_t(rows.size()) + size_t(j)] = all.values[size_t(rows[i]) * size_t(n) + size_t(rows[j])];
        return out;
    }

    // The neighbour's 3 s segment that matches the query best under `focus`, from the
    // segment-level neighbours: with queryAtSeconds >= 0 the match of the query's segment at that
    // time, else the closest pair over all the query's segments. Thread-safe, possibly slow.
    virtual SegmentMatch matchingSegment(qint64 queryTrack, double queryAtSeconds, qint64 neighbourTrack, const QString& focus)
    {
        Q_UNUSED(queryTrack);
        Q_UNUSED(queryAtSeconds);
        Q_UNUSED(neighbourTrack);
        Q_UNUSED(focus);
        SegmentMatch m;
        m.message = QStringLiteral("segment matching is not available");
        return m;
    }

    // The listening-test engine of the open library (core/listening, docs/listening-test.md):
    // set generation, excerpts, sessions and answers. Null when no library is open (or the
    // backend has none); the listening panel then says so. Thread-safe; its calls may be slow.
    virtual std::shared_ptr<stemscope::listening::LibraryListening> listening() { return nullptr; }

    // Writes the track's stems (empty: all) as FLAC files into `folder`, as a job with progress and
    // cancel; 0 with *error when it cannot start.
    virtual quint64 exportStems(qint64 trackId, const QStringList& stems, const QString& folder, QString* error)
    {
        Q_UNUSED(trackId);
        Q_UNUSED(stems);
        Q_UNUSED(folder);
        if (error) *error = QStringLiteral("stem export is not available");
        return 0;
    }

    // Separates plain tracks for listening into the library's stem cache (empty: every track that
    // lacks them), as a job with progress and cancel; `urgent` puts it before other work (a stem
    // about to be played). stemsReady(tracks) follows success. 0 with *error when it cannot start
    // (no separator installed, no library).
    virtual quint64 prepareListeningStems(const QVector<qint64>& tracks, bool urgent, QString* error)
    {
        Q_UNUSED(tracks);
        Q_UNUSED(urgent);
        if (error) *error = QStringLiteral("stem separation is not available");
        return 0;
    }

    // One track's segments placed over the stored track map (which does not move), in time order;
    // empty with `message` set when there is no track map or no analysis. Empty by default.
    virtual QVector<MapPoint> trackSegmentsOnMap(const QString& focus, qint64 trackId, QString* message)
    {
        Q_UNUSED(focus);
        Q_UNUSED(trackId);
        Q_UNUSED(message);
        return {};
    }

    // Drops the stored map of a focus so the next mapPoints() computes it afresh. No-op by default.
    virtual void forgetMap(const QString& focus) { Q_UNUSED(focus); }

    // The window is closing: queries still running may give up (index builds). No-op by default.
    virtual void cancelQueries() {}

    // Exclusions applied by neighbours() from now on. No-op by default.
    virtual void setNeighbourFilter(const NeighbourFilter& filter) { Q_UNUSED(filter); }

    // Writes these tracks, in order, as a playlist (M3U8 or XSPF by the extension of `path`).
    virtual bool exportPlaylist(const QString& path, const QString& title, const QVector<qint64>& trackIds, QString* error)
    {
        Q_UNUSED(path);
        Q_UNUSED(title);
        Q_UNUSED(trackIds);
        if (error) *error = QStringLiteral("playlist export is not available");
        return false;
    }

    // Analyses these tracks again under every focus (e.g. after a file was edited), as a job.
    virtual quint64 reanalyseTracks(const QVector<qint64>& trackIds, QString* error)
    {
        Q_UNUSED(trackIds);
        if (error) *error = QStringLiteral("re-analysis of single tracks is not available");
        return 0;
    }

    // Imports every folder imported before again (new, changed, moved and vanished files), as an
    // import job; 0 with *error set when there is none.
    virtual quint64 rescanFolders(QString* error)
    {
        if (error) *error = QStringLiteral("rescanning is not available");
        return 0;
    }

    // Removes tracks from the library (files stay on disk; what was derived from them goes). Returns
    // how many were removed, 0 with *error set when it failed. Emits tracksChanged/analysisChanged.
    virtual int removeTracks(const QVector<qint64>& trackIds, QString* error)
    {
        Q_UNUSED(trackIds);
        if (error) *error = QStringLiteral("removing tracks is not available");
        return 0;
    }

    // Forget the loaded focus models, so the next analysis loads the files again (e.g. after the
    // training wizard installed a new model for a focus). No-op by default.
    virtual void reloadModels() {}

    // Seconds per stored segment of `focus` (what playing one of its segments plays).
    virtual double segmentSeconds(const QString& focus) const
    {
        Q_UNUSED(focus);
        return 3.0;
    }

Q_SIGNALS:
    void jobStarted(quint64 id, const QString& title, bool cancellable);
    void jobProgress(quint64 id, double fraction, double etaSeconds, const QString& status);
    void jobFinished(quint64 id, stemscope::ui::JobsPanel::Outcome outcome, const QString& message);
    // prepareListeningStems() finished: these tracks' stems are cached (as far as they could be).
    void stemsReady(const QVector<qint64>& tracks);
    void tracksChanged();    // import/analysis changed what tracks() returns
    void analysisChanged();  // embeddings changed: neighbours/map/heatmap are stale
};

// The backend the application uses (core library + jobs when built in).
std::unique_ptr<LibraryBackend> createDefaultBackend();

}  // namespace stemscope::ui

Q_DECLARE_METATYPE(stemscope::ui::JobsPanel::Outcome)
