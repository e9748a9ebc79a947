#include "library/LibraryStore.h"

#include <stdexcept>

#include "embedding/Embedder.h"
#include "library/Schema.h"
#include "library/Sqlite.h"

namespace stemscope {

using sql::Statement;
using Lock = std::lock_guard<std::mutex>;

namespace {

const char* kTrackColumns =
    "id, path, content_hash, size_bytes, duration, format, sample_rate, channels, tags, status, error";

TrackRecord readTrack(const Statement& s)
{
    TrackRecord t;
    t.id = s.int64(0);
    t.path = s.text(1);
    t.contentHash = s.text(2);
    t.sizeBytes = s.int64(3);
    t.duration = s.real(4);
    t.format = s.text(5);
    t.sampleRate = s.real(6);
    t.channels = int(s.int64(7));
    t.tags = s.text(8);
    t.status = s.text(9);
    t.error = s.text(10);
    return t;
}

const char* kAnalysisColumns = "id, track_id, focus, model_id, status, error, source, segment_count, dimension, centroid";

AnalysisRecord readAnalysis(const Statement& s)
{
    AnalysisRecord a;
    a.id = s.int64(0);
    a.trackId = s.int64(1);
    a.focus = focusFromName(s.text(2)).value_or(Focus::Mix);
    a.modelId = s.text(3);
    a.status = s.text(4);
    a.error = s.text(5);
    a.source = s.text(6);
    a.segmentCount = int(s.int64(7));
    a.dimension = int(s.int64(8));
    a.centroid = s.floats(9);
    return a;
}

}  // namespace

LibraryStore::LibraryStore(const std::string& path, Access access) : path_(path), access_(access)
{
    db_ = std::make_unique<sql::Database>(
        path, access == Access::ReadOnly ? sql::Database::Mode::ReadOnly : sql::Database::Mode::ReadWriteCreate);
    db_->exec("PRAGMA foreign_keys = ON");
    try {
        refuseForeignDatabase(*db_);
    } catch (const std::exception& e) {
        throw std::runtime_error("'" + path + "' is " + e.what());
    }
    if (access == Access::ReadWrite) {
        db_->exec("PRAGMA journal_mode = WAL");
        // WAL + NORMAL: a committed transaction survives any process crash (kill -9 included);
        // only an OS crash/power loss may lose the last few commits, never corrupt the file.
        db_->exec("PRAGMA synchronous = NORMAL");
        migrateLibrary(*db_);
    } else {
        const int v = db_->userVersion();
        if (v == 0)
            throw std::runtime_error("'" + path + "' is not a Stemscope library yet (an empty database; `library create` makes one)");
        if (v != latestSchemaVersion())
            throw std::runtime_error("library '" + path + "' has schema version " + std::to_string(v) + ", expected " +
                                     std::to_string(latestSchemaVersion()) + " (open it read-write once to migrate)");
    }
}

LibraryStore::~LibraryStore() = default;

int LibraryStore::schemaVersion()
{
    Lock l(mutex_);
    return db_->userVersion();
}

// ---------------------------------------------------------------- tracks

int64_t LibraryStore::insertTrack(const TrackRecord& t)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement s(*db_,
                "INSERT INTO tracks(path, content_hash, size_bytes, duration, format, sample_rate, channels, tags, "
                "status, error) VALUES(?,?,?,?,?,?,?,?,?,?)");
    s.bind(1, t.path).bind(2, t.contentHash).bind(3, t.sizeBytes).bind(4, t.duration).bind(5, t.format);
    s.bind(6, t.sampleRate).bind(7, t.channels).bind(8, t.tags.empty() ? std::string("{}") : t.tags).bind(9, t.status);
    if (t.error.empty()) s.bindNull(10); else s.bind(10, t.error);
    s.run();
    const int64_t id = db_->lastInsertId();
    tx.commit();
    return id;
}

std::optional<TrackRecord> LibraryStore::track(int64_t id)
{
    Lock l(mutex_);
    Statement s(*db_, std::string("SELECT ") + kTrackColumns + " FROM tracks WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return readTrack(s);
}

std::optional<TrackRecord> LibraryStore::trackByPath(const std::string& path)
{
    Lock l(mutex_);
    Statement s(*db_, std::string("SELECT ") + kTrackColumns + " FROM tracks WHERE path = ?");
    s.bind(1, path);
    if (!s.step()) return std::nullopt;
    return readTrack(s);
}

std::vector<TrackRecord> LibraryStore::tracksByHash(const std::string& hash)
{
    Lock l(mutex_);
    Statement s(*db_, std::string("SELECT ") + kTrackColumns + " FROM tracks WHERE content_hash = ? ORDER BY id");
    s.bind(1, hash);
    std::vector<TrackRecord> out;
    while (s.step()) out.push_back(readTrack(s));
    return out;
}

std::vector<TrackRecord> LibraryStore::tracks()
{
    Lock l(mutex_);
    Statement s(*db_, std::string("SELECT ") + kTrackColumns + " FROM tracks ORDER BY id");
    std::vector<TrackRecord> out;
    while (s.step()) out.push_back(readTrack(s));
    return out;
}

void LibraryStore::updateTrackPath(int64_t id, const std::string& path)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement s(*db_, "UPDATE tracks SET path = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?");
    s.bind(1, path).bind(2, id).run();
    tx.commit();
}

void LibraryStore::updateTrackContent(int64_t id, const std::string& contentHash, int64_t sizeBytes)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement(*db_, "UPDATE tracks SET content_hash = ?, size_bytes = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') "
                    "WHERE id = ?")
        .bind(1, contentHash).bind(2, sizeBytes).bind(3, id).run();
    tx.commit();
}

void LibraryStore::setTrackStatus(int64_t id, const std::string& status, const std::string& error)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement s(*db_,
                "UPDATE tracks SET status = ?, error = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?");
    s.bind(1, status);
    if (error.empty()) s.bindNull(2); else s.bind(2, error);
    s.bind(3, id).run();
    tx.commit();
}

void LibraryStore::setTrackInfo(int64_t id, double duration, const std::string& format, double sampleRate, int channels)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement s(*db_, "UPDATE tracks SET duration = ?, format = ?, sample_rate = ?, channels = ? WHERE id = ?");
    s.bind(1, duration).bind(2, format).bind(3, sampleRate).bind(4, channels).bind(5, id).run();
    tx.commit();
}

void LibraryStore::setTrackTags(int64_t id, const std::string& tagsJson)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement s(*db_, "UPDATE tracks SET tags = json(?) WHERE id = ?");
    s.bind(1, tagsJson).bind(2, id).run();
    tx.commit();
}

// ---------------------------------------------------------------- stems

void LibraryStore::setStem(int64_t trackId, const std::string& stem, const std::string& path, const std::string& source,
                           const std::string& modelId)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement s(*db_, "INSERT OR REPLACE INTO stems(track_id, stem, path, source, model_id) VALUES(?,?,?,?,?)");
    s.bind(1, trackId).bind(2, stem).bind(3, path).bind(4, source);
    if (modelId.empty()) s.bindNull(5); else s.bind(5, modelId);
    s.run();
    tx.commit();
}

std::map<std::string, std::string> LibraryStore::stems(int64_t trackId)
{
    Lock l(mutex_);
    Statement s(*db_, "SELECT stem, path FROM stems WHERE track_id = ?");
    s.bind(1, trackId);
    std::map<std::string, std::string> out;
    while (s.step()) out[s.text(0)] = s.text(1);
    return out;
}

int LibraryStore::removeTracks(const std::vector<int64_t>& ids)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    int removed = 0;
    Statement d(*db_, "DELETE FROM tracks WHERE id = ?");
    for (int64_t id : ids) {
        d.bind(1, id).run();
        removed += db_->changes();
        d.reset();
    }
    tx.commit();
    return removed;
}

std::map<std::string, LibraryStore::StemFile> LibraryStore::stemFiles(int64_t trackId)
{
    Lock l(mutex_);
    Statement s(*db_, "SELECT stem, path, COALESCE(source, ''), COALESCE(model_id, '') FROM stems WHERE track_id = ?");
    s.bind(1, trackId);
    std::map<std::string, StemFile> out;
    while (s.step())
        out[s.text(0)] = {s.text(1), s.text(2), s.text(3)};
    return out;
}

// ---------------------------------------------------------------- analyses

void LibraryStore::saveAnalysis(int64_t trackId, Focus focus, const std::string& modelId, const std::string& source,
                                const Matrix& vectors, const std::vector<double>& startSeconds,
                                const std::vector<float>& weights)
{
    if (size_t(vectors.rows) != startSeconds.size())
        throw std::invalid_argument("saveAnalysis: one start time per segment row required");
    const auto c = centroid(vectors, weights);
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    {
        Statement del(*db_, "DELETE FROM analyses WHERE track_id = ? AND focus = ? AND model_id = ?");
        del.bind(1, trackId).bind(2, focusName(focus)).bind(3, modelId).run();
    }
    Statement ins(*db_,
                  "INSERT INTO analyses(track_id, focus, model_id, status, source, segment_count, dimension, centroid) "
                  "VALUES(?,?,?,?,?,?,?,?)");
    ins.bind(1, trackId).bind(2, focusName(focus)).bind(3, modelId).bind(4, analysis_status::kDone).bind(5, source);
    ins.bind(6, vectors.rows).bind(7, vectors.cols).bindBlob(8, c.data(), c.size() * sizeof(float)).run();
    const int64_t analysisId = db_->lastInsertId();
    Statement seg(*db_, "INSERT INTO segment_embeddings(analysis_id, seg_index, start_seconds, vector) VALUES(?,?,?,?)");
    for (int r = 0; r < vectors.rows; ++r) {
        seg.bind(1, analysisId).bind(2, r).bind(3, startSeconds[size_t(r)]);
        seg.bindBlob(4, vectors.row(r), size_t(vectors.cols) * sizeof(float)).run();
        seg.reset();
    }
    tx.commit();
}

void LibraryStore::saveAnalysisOutcome(int64_t trackId, Focus focus, const std::string& modelId, const std::string& status,
                                       const std::string& error, const std::string& source)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    {
        Statement del(*db_, "DELETE FROM analyses WHERE track_id = ? AND focus = ? AND model_id = ?");
        del.bind(1, trackId).bind(2, focusName(focus)).bind(3, modelId).run();
    }
    Statement ins(*db_, "INSERT INTO analyses(track_id, focus, model_id, status, error, source) VALUES(?,?,?,?,?,?)");
    ins.bind(1, trackId).bind(2, focusName(focus)).bind(3, modelId).bind(4, status);
    if (error.empty()) ins.bindNull(5); else ins.bind(5, error);
    if (source.empty()) ins.bindNull(6); else ins.bind(6, source);
    ins.run();
    tx.commit();
}

std::vector<AnalysisRecord> LibraryStore::analyses(int64_t trackId)
{
    Lock l(mutex_);
    Statement s(*db_, std::string("SELECT ") + kAnalysisColumns + " FROM analyses WHERE track_id = ? ORDER BY id");
    s.bind(1, trackId);
    std::vector<AnalysisRecord> out;
    while (s.step()) out.push_back(readAnalysis(s));
    return out;
}

std::optional<AnalysisRecord> LibraryStore::analysis(int64_t trackId, Focus focus, const std::string& modelId)
{
    Lock l(mutex_);
    Statement s(*db_, std::string("SELECT ") + kAnalysisColumns +
                          " FROM analyses WHERE track_id = ? AND focus = ? AND model_id = ?");
    s.bind(1, trackId).bind(2, focusName(focus)).bind(3, modelId);
    if (!s.step()) return std::nullopt;
    return readAnalysis(s);
}

SegmentEmbeddings LibraryStore::segments(int64_t trackId, Focus focus, const std::string& modelId)
{
    Lock l(mutex_);
    Statement s(*db_,
                "SELECT a.dimension, e.start_seconds, e.vector FROM analyses a JOIN segment_embeddings e ON "
                "e.analysis_id = a.id WHERE a.track_id = ? AND a.focus = ? AND a.model_id = ? ORDER BY e.seg_index");
    s.bind(1, trackId).bind(2, focusName(focus)).bind(3, modelId);
    SegmentEmbeddings out;
    while (s.step()) {
        const int dim = int(s.int64(0));
        if (out.vectors.cols == 0) out.vectors.cols = dim;
        const auto v = s.floats(2);
        if (int(v.size()) != dim) throw std::runtime_error("corrupt segment embedding (wrong length)");
        out.vectors.data.insert(out.vectors.data.end(), v.begin(), v.end());
        ++out.vectors.rows;
        out.startSeconds.push_back(s.real(1));
    }
    return out;
}

FocusEmbeddings LibraryStore::loadFocus(Focus focus, const std::string& modelId, bool withSegments)
{
    FocusEmbeddings out;
    {
        Lock l(mutex_);
        Statement s(*db_,
                    "SELECT a.track_id, a.centroid, a.dimension FROM analyses a JOIN tracks t ON t.id = a.track_id "
                    "WHERE a.focus = ? AND a.model_id = ? AND a.status = 'done' AND t.status != 'missing' "
                    "ORDER BY a.track_id");
        s.bind(1, focusName(focus)).bind(2, modelId);
        while (s.step()) {
            const auto c = s.floats(1);
            if (out.centroids.cols == 0) out.centroids.cols = int(c.size());
            if (int(c.size()) != out.centroids.cols) continue; // mixed dimensions: keep the first
            out.trackIds.push_back(s.int64(0));
            out.centroids.data.insert(out.centroids.data.end(), c.begin(), c.end());
            ++out.centroids.rows;
        }
    }
    if (!withSegments) return out;
    // Segments in slices of tracks, the lock taken per slice: a 100k-track library holds millions of
    // segment rows (tens of seconds to read), and the window's other queries (a map, one track's
    // segments) would otherwise wait for all of them.
    constexpr size_t kTracksPerSlice = 2000;
    out.segments.cols = out.centroids.cols;
    for (size_t first = 0; first < out.trackIds.size(); first += kTracksPerSlice) {
        const size_t last = std::min(out.trackIds.size(), first + kTracksPerSlice) - 1;
        Lock l(mutex_);
        Statement s(*db_,
                    "SELECT a.track_id, e.start_seconds, e.vector FROM analyses a JOIN tracks t ON t.id = a.track_id "
                    "JOIN segment_embeddings e ON e.analysis_id = a.id "
                    // Unary + keeps the planner on the (track_id, ...) index: a range of it per slice.
                    "WHERE a.track_id BETWEEN ? AND ? AND +a.focus = ? AND +a.model_id = ? AND a.status = 'done' "
                    "AND t.status != 'missing' ORDER BY a.track_id, e.seg_index");
        s.bind(1, out.trackIds[first]).bind(2, out.trackIds[last]).bind(3, focusName(focus)).bind(4, modelId);
        while (s.step()) {
            const auto v = s.floats(2);
            if (int(v.size()) != out.segments.cols) continue;
            out.segmentTrack.push_back(s.int64(0));
            out.segmentStart.push_back(s.real(1));
            out.segments.data.insert(out.segments.data.end(), v.begin(), v.end());
            ++out.segments.rows;
        }
    }
    return out;
}

void LibraryStore::deleteAnalyses(int64_t trackId)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement(*db_, "DELETE FROM analyses WHERE track_id = ?").bind(1, trackId).run();
    tx.commit();
}

std::map<int64_t, std::map<Focus, std::string>> LibraryStore::analysisStatuses(const std::map<Focus, std::string>& modelIds)
{
    Lock l(mutex_);
    std::map<int64_t, std::map<Focus, std::string>> out;
    Statement s(*db_, "SELECT track_id, status FROM analyses WHERE focus = ? AND model_id = ?");
    for (const auto& [focus, model] : modelIds) {
        s.bind(1, focusName(focus)).bind(2, model);
        while (s.step()) out[s.int64(0)][focus] = s.text(1);
        s.reset();
    }
    return out;
}

std::vector<std::string> LibraryStore::analysedModels(Focus focus)
{
    Lock l(mutex_);
    Statement s(*db_, "SELECT model_id FROM analyses WHERE focus = ? AND status = 'done' GROUP BY model_id "
                      "ORDER BY count(*) DESC, model_id");
    s.bind(1, focusName(focus));
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

// ---------------------------------------------------------------- maps

int64_t LibraryStore::saveMap(const StoredMap& m)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    {
        Statement d(*db_, "DELETE FROM maps WHERE focus = ? AND model_id = ? AND level = ?");
        d.bind(1, focusName(m.focus)).bind(2, m.modelId).bind(3, m.level).run();
    }
    Statement ins(*db_, "INSERT INTO maps(focus, model_id, level, params) VALUES(?, ?, ?, ?)");
    ins.bind(1, focusName(m.focus)).bind(2, m.modelId).bind(3, m.level).bind(4, m.params).run();
    const int64_t id = db_->lastInsertId();
    Statement p(*db_, "INSERT INTO map_points(map_id, track_id, start_seconds, x, y) VALUES(?, ?, ?, ?, ?)");
    for (size_t i = 0; i < m.size(); ++i) {
        p.reset();
        p.bind(1, id).bind(2, m.trackIds[i]).bind(3, m.starts[i]).bind(4, double(m.x[i])).bind(5, double(m.y[i])).run();
    }
    tx.commit();
    return id;
}

std::optional<StoredMap> LibraryStore::map(Focus focus, const std::string& modelId, const std::string& level, bool withPoints)
{
    Lock l(mutex_);
    Statement s(*db_, "SELECT id, params, created_at FROM maps WHERE focus = ? AND model_id = ? AND level = ?");
    s.bind(1, focusName(focus)).bind(2, modelId).bind(3, level);
    if (!s.step()) return std::nullopt;
    StoredMap m;
    m.id = s.int64(0);
    m.focus = focus;
    m.modelId = modelId;
    m.level = level;
    m.params = s.text(1);
    m.createdAt = s.text(2);
    if (!withPoints) return m;
    Statement p(*db_, "SELECT track_id, start_seconds, x, y FROM map_points WHERE map_id = ? ORDER BY rowid");
    p.bind(1, m.id);
    while (p.step()) {
        m.trackIds.push_back(p.int64(0));
        m.starts.push_back(p.real(1));
        m.x.push_back(float(p.real(2)));
        m.y.push_back(float(p.real(3)));
    }
    return m;
}

void LibraryStore::deleteMaps(Focus focus)
{
    Lock l(mutex_);
    Statement d(*db_, "DELETE FROM maps WHERE focus = ?");
    d.bind(1, focusName(focus)).run();
}

// ---------------------------------------------------------------- models

void LibraryStore::registerModel(const std::string& id, Focus focus, const std::string& path, int dimension,
                                 const std::string& notes)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement s(*db_,
                "INSERT INTO models(id, focus, path, dimension, notes) VALUES(?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
                "focus = excluded.focus, path = excluded.path, dimension = excluded.dimension, notes = excluded.notes");
    s.bind(1, id).bind(2, focusName(focus)).bind(3, path).bind(4, dimension).bind(5, notes).run();
    tx.commit();
}

std::vector<std::string> LibraryStore::models(Focus focus)
{
    Lock l(mutex_);
    Statement s(*db_, "SELECT id FROM models WHERE focus = ? ORDER BY registered_at, id");
    s.bind(1, focusName(focus));
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

// ---------------------------------------------------------------- listening tests

int64_t LibraryStore::startListeningSession(const std::string& kind, const std::string& focus, const std::string& modelId,
                                            const std::string& listener)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement(*db_, "INSERT INTO listening_sessions(kind, focus, model_id, listener) VALUES(?,?,?,?)")
        .bind(1, kind).bind(2, focus).bind(3, modelId).bind(4, listener).run();
    const int64_t id = db_->lastInsertId();
    tx.commit();
    return id;
}

int64_t LibraryStore::addListeningAnswer(int64_t sessionId, int64_t referenceTrack, int64_t aTrack, int64_t bTrack,
                                         const std::string& answer, const std::string& expected, int64_t responseMs)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement s(*db_,
                "INSERT INTO listening_answers(session_id, reference_track_id, a_track_id, b_track_id, answer, expected, "
                "response_ms) VALUES(?,?,?,?,?,?,?)");
    s.bind(1, sessionId).bind(2, referenceTrack).bind(3, aTrack).bind(4, bTrack).bind(5, answer).bind(6, expected);
    s.bind(7, responseMs).run();
    const int64_t id = db_->lastInsertId();
    tx.commit();
    return id;
}

void LibraryStore::finishListeningSession(int64_t sessionId)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement(*db_, "UPDATE listening_sessions SET finished_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?")
        .bind(1, sessionId).run();
    tx.commit();
}

int64_t LibraryStore::listeningAnswerCount(int64_t sessionId)
{
    Lock l(mutex_);
    Statement s(*db_, "SELECT count(*) FROM listening_answers WHERE session_id = ?");
    s.bind(1, sessionId);
    return s.step() ? s.int64(0) : 0;
}

// ---------------------------------------------------------------- training runs

int64_t LibraryStore::startTrainingRun(Focus focus, const std::string& baseModelId, const std::string& paramsJson)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement(*db_, "INSERT INTO training_runs(focus, base_model_id, params) VALUES(?,?,json(?))")
        .bind(1, focusName(focus)).bind(2, baseModelId).bind(3, paramsJson.empty() ? "{}" : paramsJson).run();
    const int64_t id = db_->lastInsertId();
    tx.commit();
    return id;
}

void LibraryStore::finishTrainingRun(int64_t runId, const std::string& status, const std::string& outputModelId,
                                     const std::string& metricsJson)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement(*db_,
              "UPDATE training_runs SET status = ?, output_model_id = ?, metrics = json(?), "
              "finished_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?")
        .bind(1, status).bind(2, outputModelId).bind(3, metricsJson.empty() ? "{}" : metricsJson).bind(4, runId).run();
    tx.commit();
}

// ---------------------------------------------------------------- import roots

void LibraryStore::addImportRoot(const std::string& path)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement(*db_,
              "INSERT INTO import_roots(path) VALUES(?) ON CONFLICT(path) DO UPDATE SET "
              "last_scan = strftime('%Y-%m-%dT%H:%M:%SZ','now')")
        .bind(1, path).run();
    tx.commit();
}

std::vector<std::string> LibraryStore::importRoots()
{
    Lock l(mutex_);
    Statement s(*db_, "SELECT path FROM import_roots ORDER BY path");
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

// ---------------------------------------------------------------- summary

LibrarySummary LibraryStore::summary()
{
    Lock l(mutex_);
    LibrarySummary out;
    out.schemaVersion = db_->userVersion();
    {
        Statement s(*db_, "SELECT status, count(*) FROM tracks GROUP BY status");
        while (s.step()) out.tracksByStatus[s.text(0)] = s.int64(1);
    }
    {
        Statement s(*db_, "SELECT focus, status, count(*) FROM analyses GROUP BY focus, status");
        while (s.step()) out.analyses[s.text(0)][s.text(1)] = s.int64(2);
    }
    Statement s(*db_, "SELECT count(*) FROM segment_embeddings");
    if (s.step()) out.segments = s.int64(0);
    return out;
}

std::vector<std::string> LibraryStore::checkConsistency()
{
    Lock l(mutex_);
    std::vector<std::string> problems;
    {
        Statement s(*db_, "PRAGMA integrity_check");
        while (s.step())
            if (s.text(0) != "ok") problems.push_back("integrity: " + s.text(0));
    }
    {
        Statement s(*db_, "PRAGMA foreign_key_check");
        while (s.step()) problems.push_back("foreign key violation in " + s.text(0));
    }
    {
        Statement s(*db_,
                    "SELECT a.id, a.segment_count, (SELECT count(*) FROM segment_embeddings e WHERE e.analysis_id = a.id) "
                    "FROM analyses a");
        while (s.step())
            if (s.int64(1) != s.int64(2))
                problems.push_back("analysis " + std::to_string(s.int64(0)) + " claims " + std::to_string(s.int64(1)) +
                                   " segments, has " + std::to_string(s.int64(2)));
    }
    {
        Statement s(*db_,
                    "SELECT count(*) FROM segment_embeddings e JOIN analyses a ON a.id = e.analysis_id "
                    "WHERE length(e.vector) != 4 * a.dimension");
        if (s.step() && s.int64(0) > 0) problems.push_back(std::to_string(s.int64(0)) + " segment vectors of wrong length");
    }
    return problems;
}

}  // namespace stemscope
