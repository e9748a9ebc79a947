#pragma once
// One Stemscope library = one SQLite file. LibraryStore is the only code that speaks SQL to it:
// tracks, per-focus analyses with their segment embeddings, stem locations, the models registry,
// listening-test sessions and training runs. WAL mode, foreign keys on, busy timeout; every
// write is a single transaction, so a crash (even kill -9) never leaves half a result behind.
// Thread-safe: one connection guarded by a mutex (the heavy work happens outside it).
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "dsp/Matrix.h"
#include "embedding/Focus.h"

namespace stemscope {
namespace sql { class Database; }

namespace track_status {
inline constexpr const char* kNew = "new";            // imported, not analysed yet
inline constexpr const char* kAnalysed = "analysed";  // every requested focus done
inline constexpr const char* kPartial = "partial";    // mix done, stem focuses unavailable
inline constexpr const char* kError = "error";        // unreadable/undecodable: see error
inline constexpr const char* kMissing = "missing";    // the file vanished from disk
// Error text of a track whose file was overwritten by something unreadable: its stored hash and
// analyses are still those of the earlier content (kept in case the file comes back).
inline constexpr const char* kContentChangedPrefix = "content changed and cannot be read: ";
inline bool contentChangedUnreadable(const std::string& error) { return error.rfind(kContentChangedPrefix, 0) == 0; }
}  // namespace track_status

namespace analysis_status {
inline constexpr const char* kDone = "done";        // segment embeddings stored
inline constexpr const char* kSilent = "silent";    // no non-silent segment: nothing to embed
inline constexpr const char* kSkipped = "skipped";  // source unavailable (e.g. no stems, no separator)
inline constexpr const char* kError = "error";
}  // namespace analysis_status

struct TrackRecord {
    int64_t id = 0;
    std::string path;          // UTF-8
    std::string contentHash;   // hex
    int64_t sizeBytes = 0;
    double duration = 0;
    std::string format;
    double sampleRate = 0;
    int channels = 0;
    std::string tags = "{}";   // JSON object
    std::string status = track_status::kNew;
    std::string error;
};

// A track whose file was overwritten by something unreadable (its hash and analyses are the earlier content's).
inline bool contentChangedUnreadable(const TrackRecord& t)
{
    return t.status == track_status::kError && track_status::contentChangedUnreadable(t.error);
}

struct AnalysisRecord {
    int64_t id = 0;
    int64_t trackId = 0;
    Focus focus = Focus::Mix;
    std::string modelId, status, error, source;
    int segmentCount = 0;
    int dimension = 0;
    std::vector<float> centroid;
};

struct SegmentEmbeddings {
    Matrix vectors;                    // one row per segment
    std::vector<double> startSeconds;  // per row
};

// Everything stored for one focus and model, flattened for the neighbour indexes.
struct FocusEmbeddings {
    std::vector<int64_t> trackIds;     // per track row
    Matrix centroids;                  // rows parallel to trackIds
    Matrix segments;                   // all segment vectors
    std::vector<int64_t> segmentTrack; // track id per segment row
    std::vector<double> segmentStart;  // start seconds per segment row
};

struct LibrarySummary {
    std::map<std::string, int64_t> tracksByStatus;
    // focus name -> analysis status -> count
    std::map<std::string, std::map<std::string, int64_t>> analyses;
    int64_t segments = 0;
    int schemaVersion = 0;
};

// A 2-D map of a focus's embeddings, stored as derived data with what produced it.
struct StoredMap {
    int64_t id = 0;
    Focus focus = Focus::Mix;
    std::string modelId;
    std::string level = "segment";  // segment | track
    std::string params = "{}";      // JSON: method, seed, perplexity, budget, placements...
    std::string createdAt;
    std::vector<int64_t> trackIds;  // per point
    std::vector<double> starts;     // per point (-1 on a track-level map)
    std::vector<float> x, y;
    size_t size() const { return trackIds.size(); }
};

class LibraryStore {
public:
    enum class Access { ReadWrite, ReadOnly };
    // ReadWrite creates the file if needed and migrates it to the latest schema. ReadOnly opens
    // with SQLITE_OPEN_READONLY: every write throws sql::SqliteError (readOnly() == true).
    explicit LibraryStore(const std::string& path, Access access = Access::ReadWrite);
    ~LibraryStore();
    LibraryStore(const LibraryStore&) = delete;
    LibraryStore& operator=(const LibraryStore&) = delete;

    const std::string& path() const { return path_; }
    bool readOnly() const { return access_ == Access::ReadOnly; }
    int schemaVersion();

    // --- tracks
    int64_t insertTrack(const TrackRecord& t);   // returns the new id
    std::optional<TrackRecord> track(int64_t id);
    std::optional<TrackRecord> trackByPath(const std::string& path);
    std::vector<TrackRecord> tracksByHash(const std::string& hash);
    std::vector<TrackRecord> tracks();
    void updateTrackPath(int64_t id, const std::string& path);
    void updateTrackContent(int64_t id, const std::string& contentHash, int64_t sizeBytes);
    void setTrackStatus(int64_t id, const std::string& status, const std::string& error = {});
    void setTrackInfo(int64_t id, double duration, const std::string& format, double sampleRate, int channels);
    void setTrackTags(int64_t id, const std::string& tagsJson);
    // Removes these tracks and everything derived from them (analyses, segments, stem records, map
    // points) in one transaction; listening-test answers are kept with the track left empty. The
    // audio files are not touched. Returns how many tracks were removed (unknown ids are ignored).
    int removeTracks(const std::vector<int64_t>& ids);

    // --- stems (cache locations, or corpus stem files)
    void setStem(int64_t trackId, const std::string& stem, const std::string& path, const std::string& source,
                 const std::string& modelId = {});
    std::map<std::string, std::string> stems(int64_t trackId); // stem name -> path
    struct StemFile {
        std::string path;
        std::string source;  // "corpus" (a stem file of the user's multitrack) or "separator" (cached output)
        std::string modelId; // the separator's, for cached outputs
    };
    std::map<std::string, StemFile> stemFiles(int64_t trackId);

    // --- analyses: one call = one transaction (replaces any earlier result for the same key)
    // The stored centroid is the `weights`-weighted mean of the rows (empty: equal; Embedder::embedWeighted).
    void saveAnalysis(int64_t trackId, Focus focus, const std::string& modelId, const std::string& source,
                      const Matrix& vectors, const std::vector<double>& startSeconds,
                      const std::vector<float>& weights = {});
    void saveAnalysisOutcome(int64_t trackId, Focus focus, const std::string& modelId, const std::string& status,
                             const std::string& error, const std::string& source = {});
    std::vector<AnalysisRecord> analyses(int64_t trackId);
    std::optional<AnalysisRecord> analysis(int64_t trackId, Focus focus, const std::string& modelId);
    SegmentEmbeddings segments(int64_t trackId, Focus focus, const std::string& modelId);
    FocusEmbeddings loadFocus(Focus focus, const std::string& modelId, bool withSegments = true);
    void deleteAnalyses(int64_t trackId);
    // trackId -> focus -> analysis status, for the given model id per focus (resume bookkeeping).
    std::map<int64_t, std::map<Focus, std::string>> analysisStatuses(const std::map<Focus, std::string>& modelIds);

    // Model ids with stored results for a focus, most tracks first.
    std::vector<std::string> analysedModels(Focus focus);

    // --- maps (derived data)
    // Replaces the map of (focus, model, level) in one transaction; returns its id.
    int64_t saveMap(const StoredMap& map);
    // withPoints false: id, params and creation time only (enough to tell whether a map changed).
    std::optional<StoredMap> map(Focus focus, const std::string& modelId, const std::string& level, bool withPoints = true);
    void deleteMaps(Focus focus);

    // --- models registry
    void registerModel(const std::string& id, Focus focus, const std::string& path, int dimension,
                       const std::string& notes = {});
    std::vector<std::string> models(Focus focus);

    // --- listening tests
    int64_t startListeningSession(const std::string& kind, const std::string& focus, const std::string& modelId,
                                  const std::string& listener);
    int64_t addListeningAnswer(int64_t sessionId, int64_t referenceTrack, int64_t aTrack, int64_t bTrack,
                               const std::string& answer, const std::string& expected, int64_t responseMs);
    void finishListeningSession(int64_t sessionId);
    int64_t listeningAnswerCount(int64_t sessionId);

    // --- training runs
    int64_t startTrainingRun(Focus focus, const std::string& baseModelId, const std::string& paramsJson);
    void finishTrainingRun(int64_t runId, const std::string& status, const std::string& outputModelId,
                           const std::string& metricsJson);

    // --- import roots (folders whose vanished files get marked missing)
    void addImportRoot(const std::string& path);
    std::vector<std::string> importRoots();

    LibrarySummary summary();
    // PRAGMA integrity_check + foreign_key_check + segment counts matching analyses rows.
    std::vector<std::string> checkConsistency();

private:
    std::string path_;
    Access access_;
    std::unique_ptr<sql::Database> db_;
    std::mutex mutex_;
};

}  // namespace stemscope
