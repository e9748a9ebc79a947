#pragma once
// One open library as both front ends use it: the CLI's `library` commands and the GUI's backend
// adapter call this and nothing else for library logic, so the two cannot drift apart.
// It owns: opening the store, finding and loading the installed models, registering every model
// that writes analyses, resolving which model's results each focus shows, submitting imports and
// analyses to a JobEngine, and the queries (neighbours, matching segments, heatmap distances, maps).
// Thread-safe: queries may run on worker threads while the GUI thread asks for neighbours.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/AnalysisScheduler.h"
#include "analysis/EmbedderRegistry.h"
#include "analysis/ModelsRoot.h"
#include "corpus/CorpusBuilder.h"
#include "index/NeighbourSearch.h"
#include "library/LibraryStore.h"
#include "library/TrackImporter.h"
#include "separation/Separator.h"

namespace stemscope {

// A problem the user should read as it is ("No drums model has analysed this library yet.").
class SessionError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Which model's results a focus shows.
struct FocusModel {
    std::string modelId;     // empty: nothing analysed under this focus and no model installed for it
    bool installed = false;  // the installed model for this focus (else stored results of another model)
    bool hasResults = false; // the library holds finished analyses of modelId
    std::string describe(Focus focus) const;  // one line for status output
};

// What a neighbour list leaves out besides the query itself (which it never lists).
struct NeighbourExclusions {
    bool sameArtist = false;              // tracks by the query's artist (when its artist is known)
    bool sameAlbum = false;               // tracks from the query's album (when known)
    std::vector<std::string> hiddenTags;  // tracks carrying any of these tags (case-insensitive)
    bool any() const { return sameArtist || sameAlbum || !hiddenTags.empty(); }
};

struct CentroidDistances {
    std::vector<int64_t> trackIds;  // rows, in the order asked for
    std::vector<float> values;      // n x n cosine distances of L2-normalised centroids
};

struct SegmentMatchResult {
    bool found = false;
    double queryStartSeconds = 0, startSeconds = 0;
    float distance = 0.f;
};

// A map's points are segments (startSeconds >= 0) or whole tracks (their centroids; startSeconds -1).
enum class MapLevel { Segment, Track };

struct SegmentMapPoint {
    int64_t trackId = 0;
    double startSeconds = 0;
    double x = 0, y = 0;
};

struct AnalysisBatch {
    std::shared_ptr<AnalysisScheduler> scheduler;  // feed it every engine update (onJobUpdate)
    std::vector<JobId> jobs;                       // empty: nothing left to analyse
};

// What LibrarySession::submitListeningStems reports and takes.
struct ListeningStemsReport {
    int separated = 0;
    int alreadyCached = 0;  // filled meanwhile by another job
    double audioSeconds = 0;
    std::vector<std::string> failures;  // "<path>: <why>"
};
struct ListeningStemsOptions {
    int priority = -5;
    // After this many seconds a job hands the rest to a new one, queued behind any
    // higher-priority work: a long library never keeps a worker from the analyses of new imports.
    double sliceSeconds = 30;
    std::shared_ptr<const Separator> separator;  // null: the shipped one
    // Hears each follow-on job, from the job before it (still running) ends.
    std::function<void(JobId)> continued;
};

class LibrarySession {
public:
    enum class OpenMode { CreateOrOpen, ExistingOnly, CreateNew };
    // Throws SessionError naming the problem (no library there, already exists, not a library...).
    explicit LibrarySession(const std::string& path, LibraryStore::Access access = LibraryStore::Access::ReadWrite,
                            OpenMode mode = OpenMode::CreateOrOpen);

    const std::string& path() const { return store_->path(); }
    std::shared_ptr<LibraryStore> store() const { return store_; }

    // ---- models
    // Loads the installed embedders (root "" = findModelsRoot()), replacing any loaded before.
    void loadInstalledModels(const std::string& root = {}, std::vector<Focus> focuses = {});
    // Uses these embedders instead (the CLI's model-free baseline, tests).
    void useEmbedders(EmbedderSet embedders);
    EmbedderSet embedders() const;
    std::vector<std::string> modelProblems() const;  // per focus: why no model was loaded
    // Seconds of audio per stored segment of `focus` (what playing "a segment" plays): the loaded
    // model's grid (the style model's 11.9 s patches), else the analysis's 3 s.
    double segmentSeconds(Focus focus) const;
    // "models from DIR" / "no models found (looked in A, B)"; plus problems, one per line.
    std::string modelsDescription() const;
    // The loaded model when the library holds its results or none at all for the focus; else the
    // model with the most stored results (installed == false): stored results stay visible.
    FocusModel modelFor(Focus focus) const;
    std::map<Focus, std::string> modelIds() const;  // modelFor(f).modelId for every focus
    // Shows `modelId`'s stored results for `focus` whatever is installed (the CLI's --model).
    void pinModel(Focus focus, const std::string& modelId);

    // ---- jobs (progress and cancellation through the engine)
    JobId submitImport(JobEngine& engine, std::vector<std::string> paths, std::function<void(const ImportReport&)> done = {},
                       ImportOptions options = {}, int priority = 10);
    // The folders imported so far (each import records its folders): what a rescan imports again to
    // pick up new, changed, moved and vanished files. Empty when only single files were added.
    std::vector<std::string> importFolders() const { return store_->importRoots(); }
    // Renders the first-start demo songs into `folder` (resumable: finished songs are kept), as a
    // job; `report` is filled when it ends. Then import demoMixes(folder).
    JobId submitDemoRender(JobEngine& engine, const std::string& folder, int threads,
                           std::shared_ptr<corpus::CorpusReport> report, int priority = 20);
    // The songs' mix files under a rendered demo folder (stems next to them are attached by the
    // importer; other render outputs are not songs of their own).
    static std::vector<std::string> demoMixes(const std::string& folder);
    // Writes a track's stems as FLAC files "<title> - <stem>.flac" into `folder`, as a job with
    // progress and cancellation (a cancelled export leaves no partial file). Stem files the library
    // knows (the multitrack's own, or the separator cache made by `separator`) are copied through
    // the decoder; otherwise the track is separated window by window. `stems` empty: every stem.
    // `separator` null: the shipped one. `done` receives the written paths (on the worker thread).
    JobId submitStemExport(JobEngine& engine, int64_t trackId, std::vector<std::string> stems, std::string folder,
                           std::function<void(const std::vector<std::string>&)> done = {},
                           std::shared_ptr<const Separator> separator = nullptr);
    // The separator for tracks without stems, with its stem cache next to the library file
    // (LIB.stems/): what playback, listening tests and later analyses reuse. `why` says why none.
    AnalysisOptions defaultAnalysisOptions(std::string* why = nullptr) const;
    // The shipped separator, loaded once per session (the model is tens of MB): null, with `why`,
    // while none is installed or it cannot be loaded.
    std::shared_ptr<const Separator> defaultSeparator(std::string* why = nullptr) const;
    // Stems for listening (playback, the neighbour list's stems, the A/B/X panel): separates plain
    // tracks into the stem cache (LIB.stems/, StemCache) with progress and cancellation, after the
    // embeddings, which need no separation. `tracks` empty: every playable track; tracks already
    // cached by this separator, and multitracks, are skipped. A track that fails is reported and the
    // rest go on. Returns the first job, or 0, submitting nothing, when no track needs stems.
    // Throws SessionError when there is no separator. `done` hears the outcome once, from the last
    // job (on its worker thread; not called when cancelled).
    using ListeningStemsReport = stemscope::ListeningStemsReport;
    using ListeningStemsOptions = stemscope::ListeningStemsOptions;
    JobId submitListeningStems(JobEngine& engine, std::vector<int64_t> tracks,
                               std::function<void(const ListeningStemsReport&)> done = {}, ListeningStemsOptions options = {});
    // How far the stems for listening are: playable tracks with stem files of their own
    // (multitracks), with this separator's stems cached, and still without. SessionError when there
    // is no separator.
    struct ListeningStemsStatus {
        int multitracks = 0, cached = 0, missing = 0;
        std::string separatorId;
    };
    ListeningStemsStatus listeningStemsStatus() const;
    // Registers every loaded model in the library, then submits one job per pending track.
    // Throws SessionError when no model is loaded (with where models were looked for).
    AnalysisBatch submitAnalysis(JobEngine& engine, AnalysisOptions options,
                                 std::function<void(const BatchProgress&)> onProgress = {}, int priority = 0);

    // ---- queries; searches are cached per focus until invalidate() (call it when analyses change)
    void invalidate();
    void setIndexOptions(const IndexOptions& options);
    // How track neighbour lists are ranked (default: hubness-corrected; hubnessK 0 = plain cosine).
    void setTrackRanking(TrackRanking ranking);
    // Abandons index builds in progress (they throw IndexBuildCancelled) and every later one: for
    // closing the library without waiting for them.
    void cancelQueries() { cancelQueries_ = true; }
    // Throws SessionError when the focus has nothing analysed.
    std::shared_ptr<const NeighbourSearch> search(Focus focus);
    // The k nearest tracks that pass `exclusions`. Throws SessionError when the track has no
    // analysis under this focus.
    std::vector<TrackNeighbour> neighbours(int64_t trackId, Focus focus, int k, const NeighbourExclusions& exclusions = {});
    std::vector<SegmentNeighbour> segmentNeighbours(int64_t trackId, Focus focus, double atSeconds, int k);
    // The neighbour's segment closest to the query's segment at `queryAtSeconds` (< 0: any query segment).
    SegmentMatchResult matchingSegment(int64_t queryTrack, double queryAtSeconds, int64_t neighbourTrack, Focus focus);
    // `only` non-empty: those tracks in that order (unanalysed ones left out); else the first maxTracks.
    CentroidDistances centroidDistances(Focus focus, const std::vector<int64_t>& only, int maxTracks);
    // t-SNE of the focus's segments (at most maxPoints, evenly spread), stored in the library as
    // derived data (model id, parameters, seed): the stored map is returned at once while the
    // analysed tracks are the same; tracks added since are placed into it without moving the others
    // (projection::placeNewPoints) while they are at most a quarter of the library; otherwise, or
    // after forgetMap(), it is computed again. Empty if `cancelled` said so.
    // `progress` (optional) hears the share done, 0..1, while a map is computed or grown.
    using MapProgress = std::function<void(double)>;
    std::vector<SegmentMapPoint> segmentMap(Focus focus, int maxPoints, const std::function<bool()>& cancelled = {},
                                            const MapProgress& progress = {});
    // The same for every analysed track's centroid (no budget: the overview of the whole library).
    std::vector<SegmentMapPoint> trackMap(Focus focus, const std::function<bool()>& cancelled = {},
                                          const MapProgress& progress = {});
    // One track's segments over the focus's stored track map, without moving it: each segment at the
    // distance-weighted mean position of its `neighbours` nearest mapped tracks (centroids, cosine), in
    // time order. Throws SessionError when there is no track map yet or the track has no segments.
    std::vector<SegmentMapPoint> trackSegmentsOnMap(Focus focus, int64_t trackId, int neighbours = 5);
    // How the focus's stored map of that level was made (its params JSON), "" if there is none.
    std::string mapProvenance(Focus focus, MapLevel level = MapLevel::Segment);
    // Drops the focus's stored maps: the next segmentMap() computes afresh.
    void forgetMap(Focus focus);
    // Playlist of these tracks, in this order (M3U or XSPF by the file's extension; unknown ids
    // are left out). Throws SessionError naming the problem.
    void exportPlaylist(const std::string& path, const std::string& title, const std::vector<int64_t>& trackIds);
    // Removes tracks from the library (the files stay on disk) with everything derived from them;
    // stems the separator cached for them under the library's stem cache are deleted too (never a
    // user's own stem files). Returns how many were removed.
    int removeTracks(const std::vector<int64_t>& trackIds);
    // A track given by id or path (as stored, or canonical). Throws SessionError.
    int64_t resolveTrack(const std::string& ref);

private:
    std::string whyNotSearchable(int64_t trackId, Focus focus);  // the stored reason a track has no neighbours
    std::vector<SegmentMapPoint> storedMap(Focus focus, MapLevel level, int maxPoints, const std::function<bool()>& cancelled,
                                           const MapProgress& progress);

    std::shared_ptr<LibraryStore> store_;
    std::atomic<bool> cancelQueries_{false};
    mutable std::mutex mutex_;
    mutable std::mutex separatorMutex_;  // guards separator_
    mutable std::shared_ptr<const Separator> separator_;
    EmbedderSet embedders_;
    std::vector<std::string> problems_;
    ModelsRootSearch modelsRoot_;
    bool modelsLoaded_ = false;
    IndexOptions indexOptions_;
    TrackRanking trackRanking_;
    mutable std::map<Focus, FocusModel> resolved_;  // cache of modelFor
    std::map<Focus, std::string> pinned_;
    std::map<Focus, std::shared_ptr<const NeighbourSearch>> searches_;
    // The last track map's references for trackSegmentsOnMap (unit centroids and map positions),
    // kept while that stored map is unchanged: a 100k-track library reads them once, not per click.
    struct MapReferences {
        Focus focus = Focus::Mix;
        std::string modelId, stamp;
        Matrix refs, xy;
    };
    std::shared_ptr<const MapReferences> mapRefs_;
};

}  // namespace stemscope
