#pragma once
// Thin RAII layer over the sqlite3 C API: a connection, prepared statements, transactions.
// Errors throw SqliteError carrying the SQLite result code and message.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace stemscope::sql {

class SqliteError : public std::runtime_error {
public:
    SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
    int code() const noexcept { return code_; }
    bool readOnly() const noexcept;

private:
    int code_;
};

class Database {
public:
    enum class Mode { ReadWriteCreate, ReadWrite, ReadOnly };
    Database(const std::string& path, Mode mode, int busyTimeoutMs = 10000);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(const std::string& sql);      // one or more statements, no results
    int64_t lastInsertId() const;
    int changes() const;
    int userVersion();
    void setUserVersion(int v);
    sqlite3* handle() const { return db_; }
    [[noreturn]] void fail(int code, const std::string& context) const;

private:
    sqlite3* db_ = nullptr;
};

class Statement {
public:
    Statement(Database& db, const std::string& sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Binders use 1-based parameter indices; chainable.
    Statement& bind(int i, int64_t v);
    Statement& bind(int i, int v) { return bind(i, int64_t(v)); }
    Statement& bind(int i, double v);
    Statement& bind(int i, const std::string& v);
    Statement& bind(int i, const char* v) { return bind(i, std::string(v)); }
    Statement& bindBlob(int i, const void* data, size_t bytes);
    Statement& bindNull(int i);

    bool step();          // true while a row is available
    void run();           // step to completion, ignoring rows
    void reset();         // ready for new bindings

    int64_t int64(int col) const;
    double real(int col) const;
    std::string text(int col) const;
    bool isNull(int col) const;
    std::vector<float> floats(int col) const;  // a float32 blob
    const void* blob(int col, size_t& bytes) const;

private:
    Database& db_;
    sqlite3_stmt* st_ = nullptr;
};

// BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless commit() was called.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace stemscope::sql
