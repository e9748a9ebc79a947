#include "library/Schema.h"

#include <stdexcept>

#include "library/Sqlite.h"

namespace stemscope {

const std::vector<std::string>& libraryMigrations()
{
    static const std::vector<std::string> m = {
        // v1: the core tables.
        R"SQL(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE tracks(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,            -- UTF-8, absolute
  content_hash TEXT NOT NULL,           -- 16 hex digits (ContentHash)
  size_bytes INTEGER NOT NULL DEFAULT 0,
  duration REAL,                        -- seconds
  format TEXT, sample_rate REAL, channels INTEGER,
  tags TEXT NOT NULL DEFAULT '{}',      -- JSON object
  status TEXT NOT NULL DEFAULT 'new',   -- new | analysed | partial | error | missing
  error TEXT,
  added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));
CREATE INDEX tracks_by_hash ON tracks(content_hash);
CREATE INDEX tracks_by_status ON tracks(status);
CREATE TABLE models(
  id TEXT PRIMARY KEY, focus TEXT NOT NULL, path TEXT, dimension INTEGER,
  registered_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')), notes TEXT);
CREATE TABLE analyses(
  id INTEGER PRIMARY KEY,
  track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  focus TEXT NOT NULL, model_id TEXT NOT NULL,
  status TEXT NOT NULL,                 -- done | silent | skipped | error
  error TEXT, source TEXT,              -- mix | corpus-stem | separator
  segment_count INTEGER NOT NULL DEFAULT 0, dimension INTEGER NOT NULL DEFAULT 0,
  centroid BLOB,                        -- float32, L2-normalised (weighted) mean of the segment vectors
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  UNIQUE(track_id, focus, model_id));
CREATE INDEX analyses_by_focus ON analyses(focus, model_id, status);
CREATE TABLE segment_embeddings(
  analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
  seg_index INTEGER NOT NULL, start_seconds REAL NOT NULL,
  vector BLOB NOT NULL,                 -- float32 x dimension
  PRIMARY KEY(analysis_id, seg_index)) WITHOUT ROWID;
CREATE TABLE stems(
  track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  stem TEXT NOT NULL, path TEXT NOT NULL,
  source TEXT NOT NULL,                 -- corpus | separator
  model_id TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  PRIMARY KEY(track_id, stem));
CREATE TABLE listening_sessions(
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL,           -- e.g. abx
  focus TEXT, model_id TEXT, listener TEXT,
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  finished_at TEXT, notes TEXT);
CREATE TABLE listening_answers(
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES listening_sessions(id) ON DELETE CASCADE,
  reference_track_id INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
  a_track_id INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
  b_track_id INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
  answer TEXT NOT NULL, expected TEXT, response_ms INTEGER,
  answered_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));
CREATE TABLE training_runs(
  id INTEGER PRIMARY KEY, focus TEXT NOT NULL, base_model_id TEXT, output_model_id TEXT,
  status TEXT NOT NULL DEFAULT 'running', params TEXT NOT NULL DEFAULT '{}', metrics TEXT NOT NULL DEFAULT '{}',
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')), finished_at TEXT);
)SQL",
        // v2: per-segment track lookup for neighbour queries; import roots for vanished-file scans.
        R"SQL(
CREATE INDEX stems_by_path ON stems(path);
CREATE TABLE import_roots(path TEXT PRIMARY KEY,
  last_scan TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));
)SQL",
        // v3: the A/B/X listening test (core/listening, docs/listening-test.md): the trial plan of
        // each session, and per answer its trial, confidence, training flag and excerpt starts.
        R"SQL(
ALTER TABLE listening_sessions ADD COLUMN mode TEXT NOT NULL DEFAULT 'similarity'; -- similarity | abx
ALTER TABLE listening_sessions ADD COLUMN seed INTEGER;
ALTER TABLE listening_sessions ADD COLUMN excerpt_seconds REAL;
ALTER TABLE listening_sessions ADD COLUMN params TEXT NOT NULL DEFAULT '{}';          -- JSON
CREATE TABLE listening_trials(
  session_id INTEGER NOT NULL REFERENCES listening_sessions(id) ON DELETE CASCADE,
  trial_index INTEGER NOT NULL,
  is_training INTEGER NOT NULL DEFAULT 0,
  mode TEXT NOT NULL, focus TEXT NOT NULL,
  negative_space TEXT,                                -- mix, or the instrument space for focus mix
  anchor_track_id INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
  positive_track_id INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
  negative_track_id INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
  a_track_id INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
  b_track_id INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
  x_track_id INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
  expected TEXT NOT NULL,                             -- A | B
  x_start REAL NOT NULL DEFAULT 0, a_start REAL NOT NULL DEFAULT 0, b_start REAL NOT NULL DEFAULT 0,
  PRIMARY KEY(session_id, trial_index));
ALTER TABLE listening_answers ADD COLUMN trial_index INTEGER;
ALTER TABLE listening_answers ADD COLUMN confident INTEGER NOT NULL DEFAULT 0;
ALTER TABLE listening_answers ADD COLUMN is_training INTEGER NOT NULL DEFAULT 0;
ALTER TABLE listening_answers ADD COLUMN mode TEXT;
ALTER TABLE listening_answers ADD COLUMN focus TEXT;
ALTER TABLE listening_answers ADD COLUMN positive_track_id INTEGER;
ALTER TABLE listening_answers ADD COLUMN negative_track_id INTEGER;
ALTER TABLE listening_answers ADD COLUMN x_track_id INTEGER;
ALTER TABLE listening_answers ADD COLUMN x_start REAL;
ALTER TABLE listening_answers ADD COLUMN a_start REAL;
ALTER TABLE listening_answers ADD COLUMN b_start REAL;
CREATE UNIQUE INDEX listening_answers_by_trial ON listening_answers(session_id, trial_index);
)SQL",
        // v4: maps as derived data: which focus/model/level, how they were made (params JSON:
        // method, seed, perplexity, point budget, incremental placements), and the points.
        R"SQL(
CREATE TABLE maps(
  id INTEGER PRIMARY KEY,
  focus TEXT NOT NULL, model_id TEXT NOT NULL,
  level TEXT NOT NULL,                                 -- segment | track
  params TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  UNIQUE(focus, model_id, level));
CREATE TABLE map_points(
  map_id INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
  track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  start_seconds REAL NOT NULL DEFAULT -1,              -- -1 on a track-level map
  x REAL NOT NULL, y REAL NOT NULL);
CREATE INDEX map_points_by_map ON map_points(map_id);
)SQL",
    };
    return m;
}

void refuseForeignDatabase(sql::Database& db)
{
    if (db.userVersion() != 0) return;
    sql::Statement s(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 4");
    std::string names;
    while (s.step()) names += (names.empty() ? "" : ", ") + s.text(0);
    if (!names.empty())
        throw std::runtime_error("not a Stemscope library: an SQLite database with tables of its own (" + names +
                                 "), left as it was");
}

void migrateLibrary(sql::Database& db)
{
    const auto& steps = libraryMigrations();
    refuseForeignDatabase(db);
    int version = db.userVersion();
    if (version > int(steps.size()))
        throw std::runtime_error("library schema version " + std::to_string(version) +
                                 " is newer than this Stemscope understands (" + std::to_string(steps.size()) + ")");
    while (version < int(steps.size())) {
        sql::Transaction tx(db);
        // Re-read inside the write lock: another process may have migrated meanwhile.
        version = db.userVersion();
        if (version >= int(steps.size())) break;
        db.exec(steps[size_t(version)]);
        db.setUserVersion(version + 1);
        tx.commit();
        ++version;
    }
}

}  // namespace stemscope
