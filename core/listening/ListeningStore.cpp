#include "listening/ListeningStore.h"

#include "util/CsvField.h"

#include <sstream>

#include "library/Schema.h"
#include "library/Sqlite.h"
#include "util/JsonFile.h"

namespace stemscope::listening {

using sql::Statement;
using Lock = std::lock_guard<std::mutex>;

ListeningStore::ListeningStore(const std::string& libraryPath)
{
    db_ = std::make_unique<sql::Database>(libraryPath, sql::Database::Mode::ReadWriteCreate);
    db_->exec("PRAGMA foreign_keys = ON");
    db_->exec("PRAGMA journal_mode = WAL");
    db_->exec("PRAGMA synchronous = NORMAL");
    migrateLibrary(*db_);
}

ListeningStore::~ListeningStore() = default;

namespace {

Statement& bindTrack(Statement& s, int i, int64_t id)
{
    return id > 0 ? s.bind(i, id) : s.bindNull(i);
}

}  // namespace

int64_t ListeningStore::createSession(const SessionSpec& spec, const std::vector<Trial>& trials)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement(*db_,
              "INSERT INTO listening_sessions(kind, focus, model_id, listener, mode, seed, excerpt_seconds, params) "
              "VALUES('abx-panel',?,?,?,?,?,?,?)")
        .bind(1, focusName(spec.focus)).bind(2, spec.modelId).bind(3, spec.listener).bind(4, modeName(spec.mode))
        .bind(5, int64_t(spec.seed)).bind(6, spec.excerptSeconds).bind(7, spec.paramsJson.empty() ? "{}" : spec.paramsJson)
        .run();
    const int64_t id = db_->lastInsertId();
    Statement s(*db_,
                "INSERT INTO listening_trials(session_id, trial_index, is_training, mode, focus, negative_space, "
                "anchor_track_id, positive_track_id, negative_track_id, a_track_id, b_track_id, x_track_id, expected, "
                "x_start, a_start, b_start) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    for (const Trial& t : trials) {
        s.reset();
        s.bind(1, id).bind(2, t.index).bind(3, int(t.training)).bind(4, modeName(t.mode)).bind(5, focusName(t.focus));
        s.bind(6, focusName(t.negativeSpace));
        bindTrack(s, 7, t.anchor);
        bindTrack(s, 8, t.positive);
        bindTrack(s, 9, t.negative);
        bindTrack(s, 10, t.a);
        bindTrack(s, 11, t.b);
        bindTrack(s, 12, t.x);
        s.bind(13, t.expected).bind(14, t.xStart).bind(15, t.aStart).bind(16, t.bStart);
        s.run();
    }
    tx.commit();
    return id;
}

void ListeningStore::saveAnswer(int64_t sessionId, const Trial& t, const Answer& a)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement s(*db_,
                "INSERT OR REPLACE INTO listening_answers(session_id, reference_track_id, a_track_id, b_track_id, answer, "
                "expected, response_ms, trial_index, confident, is_training, mode, focus, positive_track_id, "
                "negative_track_id, x_track_id, x_start, a_start, b_start) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    s.bind(1, sessionId);
    bindTrack(s, 2, t.anchor);
    bindTrack(s, 3, t.a);
    bindTrack(s, 4, t.b);
    s.bind(5, a.answer).bind(6, t.expected).bind(7, a.responseMs).bind(8, t.index).bind(9, int(a.confident));
    s.bind(10, int(t.training)).bind(11, modeName(t.mode)).bind(12, focusName(t.focus));
    bindTrack(s, 13, t.positive);
    bindTrack(s, 14, t.negative);
    bindTrack(s, 15, t.x);
    s.bind(16, t.xStart).bind(17, t.aStart).bind(18, t.bStart);
    s.run();
    tx.commit();
}

void ListeningStore::finishSession(int64_t sessionId)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement(*db_, "UPDATE listening_sessions SET finished_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?")
        .bind(1, sessionId).run();
    tx.commit();
}

void ListeningStore::deleteSession(int64_t sessionId)
{
    Lock l(mutex_);
    sql::Transaction tx(*db_);
    Statement(*db_, "DELETE FROM listening_sessions WHERE id = ?").bind(1, sessionId).run();
    tx.commit();
}

namespace {

const char* kSessionSelect =
    "SELECT s.id, coalesce(s.listener,''), s.mode, coalesce(s.focus,''), coalesce(s.model_id,''), s.started_at, "
    "coalesce(s.finished_at,''), coalesce(s.seed,0), coalesce(s.excerpt_seconds,10), "
    "(SELECT count(*) FROM listening_trials t WHERE t.session_id = s.id), "
    "(SELECT count(*) FROM listening_trials t WHERE t.session_id = s.id AND t.is_training), "
    "(SELECT count(*) FROM listening_answers a WHERE a.session_id = s.id) FROM listening_sessions s ";

SessionInfo readSession(const Statement& s)
{
    SessionInfo i;
    i.id = s.int64(0);
    i.listener = s.text(1);
    i.mode = s.text(2);
    i.focus = s.text(3);
    i.modelId = s.text(4);
    i.startedAt = s.text(5);
    i.finishedAt = s.text(6);
    i.seed = uint64_t(s.int64(7));
    i.excerptSeconds = s.real(8);
    i.trials = int(s.int64(9));
    i.trainingTrials = int(s.int64(10));
    i.answered = int(s.int64(11));
    return i;
}

}  // namespace

std::vector<SessionInfo> ListeningStore::sessions()
{
    Lock l(mutex_);
    Statement s(*db_, std::string(kSessionSelect) + "WHERE s.kind = 'abx-panel' ORDER BY s.id DESC");
    std::vector<SessionInfo> out;
    while (s.step()) out.push_back(readSession(s));
    return out;
}

std::optional<SessionInfo> ListeningStore::session(int64_t sessionId)
{
    Lock l(mutex_);
    Statement s(*db_, std::string(kSessionSelect) + "WHERE s.id = ?");
    s.bind(1, sessionId);
    if (!s.step()) return std::nullopt;
    return readSession(s);
}

std::vector<Trial> ListeningStore::trials(int64_t sessionId)
{
    Lock l(mutex_);
    Statement s(*db_,
                "SELECT trial_index, is_training, mode, focus, coalesce(negative_space,'mix'), coalesce(anchor_track_id,0), "
                "coalesce(positive_track_id,0), coalesce(negative_track_id,0), coalesce(a_track_id,0), "
                "coalesce(b_track_id,0), coalesce(x_track_id,0), expected, x_start, a_start, b_start "
                "FROM listening_trials WHERE session_id = ? ORDER BY trial_index");
    s.bind(1, sessionId);
    std::vector<Trial> out;
    while (s.step()) {
        Trial t;
        t.index = int(s.int64(0));
        t.training = s.int64(1) != 0;
        t.mode = modeFromName(s.text(2));
        t.focus = focusFromName(s.text(3)).value_or(Focus::Mix);
        t.negativeSpace = focusFromName(s.text(4)).value_or(Focus::Mix);
        t.anchor = s.int64(5);
        t.positive = s.int64(6);
        t.negative = s.int64(7);
        t.a = s.int64(8);
        t.b = s.int64(9);
        t.x = s.int64(10);
        t.expected = s.text(11);
        t.xStart = s.real(12);
        t.aStart = s.real(13);
        t.bStart = s.real(14);
        out.push_back(t);
    }
    return out;
}

std::vector<Answer> ListeningStore::answers(int64_t sessionId)
{
    Lock l(mutex_);
    Statement s(*db_,
                "SELECT trial_index, answer, confident, coalesce(response_ms,0) FROM listening_answers "
                "WHERE session_id = ? AND trial_index IS NOT NULL ORDER BY trial_index");
    s.bind(1, sessionId);
    std::vector<Answer> out;
    while (s.step()) {
        Answer a;
        a.trialIndex = int(s.int64(0));
        a.answer = s.text(1);
        a.confident = s.int64(2) != 0;
        a.responseMs = s.int64(3);
        out.push_back(a);
    }
    return out;
}

std::vector<ScoredAnswer> ListeningStore::scoredAnswers(const std::string& mode)
{
    Lock l(mutex_);
    Statement s(*db_,
                "SELECT coalesce(a.focus, s.focus, ''), coalesce(a.mode, s.mode), coalesce(s.listener,''), "
                "a.answer = a.expected, a.confident FROM listening_answers a JOIN listening_sessions s ON s.id = a.session_id "
                "WHERE s.kind = 'abx-panel' AND a.trial_index IS NOT NULL AND NOT a.is_training "
                "AND (? = '' OR coalesce(a.mode, s.mode) = ?) ORDER BY a.id");
    s.bind(1, mode).bind(2, mode);
    std::vector<ScoredAnswer> out;
    while (s.step()) {
        ScoredAnswer a;
        a.focus = s.text(0);
        a.mode = s.text(1);
        a.listener = s.text(2);
        a.agrees = s.int64(3) != 0;
        a.confident = s.int64(4) != 0;
        out.push_back(a);
    }
    return out;
}

namespace {

// Columns of the export, one row per planned trial.
const char* kExportSql =
    "SELECT s.id, coalesce(s.listener,''), t.mode, t.focus, coalesce(s.model_id,''), s.started_at, coalesce(s.seed,0), "
    "coalesce(s.excerpt_seconds,10), t.trial_index, t.is_training, t.negative_space, "
    "coalesce(t.anchor_track_id,0), coalesce(ta.path,''), coalesce(t.positive_track_id,0), coalesce(tp.path,''), "
    "coalesce(t.negative_track_id,0), coalesce(tn.path,''), coalesce(t.a_track_id,0), coalesce(t.b_track_id,0), "
    "coalesce(t.x_track_id,0), t.expected, coalesce(a.answer,''), "
    "CASE WHEN a.answer IS NULL THEN '' WHEN a.answer = t.expected THEN '1' ELSE '0' END, "
    "coalesce(a.confident,''), coalesce(a.response_ms,''), t.x_start, t.a_start, t.b_start, coalesce(a.answered_at,'') "
    "FROM listening_trials t JOIN listening_sessions s ON s.id = t.session_id "
    "LEFT JOIN listening_answers a ON a.session_id = t.session_id AND a.trial_index = t.trial_index "
    "LEFT JOIN tracks ta ON ta.id = t.anchor_track_id LEFT JOIN tracks tp ON tp.id = t.positive_track_id "
    "LEFT JOIN tracks tn ON tn.id = t.negative_track_id ORDER BY s.id, t.trial_index";

const std::vector<std::string> kExportColumns{
    "session_id", "listener", "mode", "focus", "model_id", "session_started", "seed", "excerpt_seconds",
    "trial_index", "is_training", "negative_space", "anchor_track_id", "anchor_path", "positive_track_id",
    "positive_path", "negative_track_id", "negative_path", "a_track_id", "b_track_id", "x_track_id", "expected",
    "answer", "agrees_with_model", "confident", "response_ms", "x_start", "a_start", "b_start", "answered_at"};

// Which export columns are numbers (JSON) - the rest are strings.
bool numericColumn(size_t i)
{
    static const std::vector<bool> numeric{true,  false, false, false, false, false, true,  true,  true,  true,
                                           false, true,  false, true,  false, true,  false, true,  true,  true,
                                           false, false, true,  true,  true,  true,  true,  true,  false};
    return i < numeric.size() && numeric[i];
}

// A numeric column's text as a JSON number: null when empty (not answered yet), the text itself
// should SQLite ever hand back something that is not a number.
nlohmann::ordered_json numberValue(const std::string& v)
{
    if (v.empty()) return nullptr;
    auto j = nlohmann::ordered_json::parse(v, nullptr, false);
    return j.is_number() ? j : nlohmann::ordered_json(v);
}

}  // namespace

std::string ListeningStore::exportCsv()
{
    Lock l(mutex_);
    std::ostringstream out;
    for (size_t i = 0; i < kExportColumns.size(); ++i) out << (i ? "," : "") << kExportColumns[i];
    out << "\n";
    Statement s(*db_, kExportSql);
    while (s.step()) {
        for (size_t i = 0; i < kExportColumns.size(); ++i) out << (i ? "," : "") << csvField(s.text(int(i)));
        out << "\n";
    }
    return out.str();
}

std::string ListeningStore::exportJson()
{
    Lock l(mutex_);
    auto trials = nlohmann::ordered_json::array();
    Statement s(*db_, kExportSql);
    while (s.step()) {
        nlohmann::ordered_json row = nlohmann::ordered_json::object();
        for (size_t i = 0; i < kExportColumns.size(); ++i) {
            const std::string v = s.text(int(i));
            row[kExportColumns[i]] = numericColumn(i) ? numberValue(v) : nlohmann::ordered_json(v);
        }
        trials.push_back(std::move(row));
    }
    const nlohmann::ordered_json doc = {{"format", "stemscope-listening-test"}, {"version", 1}, {"trials", trials}};
    return dumpJson(doc, 2) + "\n";
}

}  // namespace stemscope::listening
