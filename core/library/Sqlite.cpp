#include "library/Sqlite.h"

#include <sqlite3.h>

#include <cstring>

namespace stemscope::sql {

bool SqliteError::readOnly() const noexcept { return (code_ & 0xff) == SQLITE_READONLY; }

Database::Database(const std::string& path, Mode mode, int busyTimeoutMs)
{
    int flags = SQLITE_OPEN_FULLMUTEX;
    switch (mode) {
    case Mode::ReadWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    case Mode::ReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::ReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    }
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw SqliteError(rc, "cannot open library '" + path + "': " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busyTimeoutMs);
}

Database::~Database() { sqlite3_close_v2(db_); }

void Database::fail(int code, const std::string& context) const
{
    throw SqliteError(code, context + ": " + sqlite3_errmsg(db_));
}

void Database::exec(const std::string& sql)
{
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw SqliteError(rc, "sqlite: " + msg);
    }
}

int64_t Database::lastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

int Database::userVersion()
{
    Statement s(*this, "PRAGMA user_version");
    return s.step() ? int(s.int64(0)) : 0;
}

void Database::setUserVersion(int v) { exec("PRAGMA user_version = " + std::to_string(v)); }

Statement::Statement(Database& db, const std::string& sql) : db_(db)
{
    const int rc = sqlite3_prepare_v2(db.handle(), sql.c_str(), int(sql.size()), &st_, nullptr);
    if (rc != SQLITE_OK) db.fail(rc, "prepare '" + sql.substr(0, 60) + "'");
}

Statement::~Statement() { sqlite3_finalize(st_); }

Statement& Statement::bind(int i, int64_t v)
{
    if (int rc = sqlite3_bind_int64(st_, i, v); rc != SQLITE_OK) db_.fail(rc, "bind");
    return *this;
}
Statement& Statement::bind(int i, double v)
{
    if (int rc = sqlite3_bind_double(st_, i, v); rc != SQLITE_OK) db_.fail(rc, "bind");
    return *this;
}
Statement& Statement::bind(int i, const std::string& v)
{
    if (int rc = sqlite3_bind_text(st_, i, v.data(), int(v.size()), SQLITE_TRANSIENT); rc != SQLITE_OK) db_.fail(rc, "bind");
    return *this;
}
Statement& Statement::bindBlob(int i, const void* data, size_t bytes)
{
    if (int rc = sqlite3_bind_blob64(st_, i, data, sqlite3_uint64(bytes), SQLITE_TRANSIENT); rc != SQLITE_OK) db_.fail(rc, "bind");
    return *this;
}
Statement& Statement::bindNull(int i)
{
    if (int rc = sqlite3_bind_null(st_, i); rc != SQLITE_OK) db_.fail(rc, "bind");
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    const std::string sqlText = sqlite3_sql(st_) ? sqlite3_sql(st_) : "";
    sqlite3_reset(st_);
    db_.fail(rc, "step '" + sqlText.substr(0, 60) + "'");
}

void Statement::run()
{
    while (step()) {
    }
}

void Statement::reset()
{
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
}

int64_t Statement::int64(int col) const { return sqlite3_column_int64(st_, col); }
double Statement::real(int col) const { return sqlite3_column_double(st_, col); }
bool Statement::isNull(int col) const { return sqlite3_column_type(st_, col) == SQLITE_NULL; }
std::string Statement::text(int col) const
{
    const auto* p = sqlite3_column_text(st_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), size_t(sqlite3_column_bytes(st_, col))) : std::string();
}
const void* Statement::blob(int col, size_t& bytes) const
{
    const void* p = sqlite3_column_blob(st_, col);
    bytes = size_t(sqlite3_column_bytes(st_, col));
    return p;
}
std::vector<float> Statement::floats(int col) const
{
    size_t bytes = 0;
    const void* p = blob(col, bytes);
    std::vector<float> v(bytes / sizeof(float));
    if (!v.empty()) std::memcpy(v.data(), p, v.size() * sizeof(float));
    return v;
}

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
Transaction::~Transaction()
{
    if (!done_) {
        try {
            db_.exec("ROLLBACK");
        } catch (...) {
        }
    }
}
void Transaction::commit()
{
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace stemscope::sql
