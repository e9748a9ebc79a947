#pragma once
// The library's versioned schema. Each migration is one SQL script; PRAGMA user_version holds the
// number of migrations applied. Migrations only ever append: never edit a shipped one.
#include <string>
#include <vector>

namespace stemscope {
namespace sql { class Database; }

const std::vector<std::string>& libraryMigrations();
inline int latestSchemaVersion() { return int(libraryMigrations().size()); }

// Brings `db` to the latest version, each step in its own transaction. Throws SqliteError, or
// std::runtime_error if the file was written by a newer Stemscope (user_version > latest).
// Refuses (std::runtime_error) a database at version 0 that already has tables: some other
// program's file, which a migration would otherwise fill with ours.
void migrateLibrary(sql::Database& db);
void refuseForeignDatabase(sql::Database& db);

}  // namespace stemscope
