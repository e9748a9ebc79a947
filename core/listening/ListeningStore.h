#pragma once
// Listening-test persistence in the library file (schema v3: listening_sessions,
// listening_trials, listening_answers). Opens its own SQLite connection to the library (WAL:
// it coexists with the LibraryStore connection of the same process). Each call is one
// transaction: an answer is durable as soon as saveAnswer returns, so a crash loses nothing.
// Thread-safe (one connection behind a mutex).
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "listening/ListeningStats.h"
#include "listening/ListeningTypes.h"

namespace stemscope {
namespace sql { class Database; }
}

namespace stemscope::listening {

struct SessionSpec {
    std::string listener;
    Mode mode = Mode::Similarity;
    Focus focus = Focus::Mix;
    std::string modelId;        // of the focus space (informational)
    uint64_t seed = 1;
    double excerptSeconds = 10;
    std::string paramsJson = "{}";
};

struct SessionInfo {
    int64_t id = 0;
    std::string listener, mode, focus, modelId, startedAt, finishedAt;
    uint64_t seed = 0;
    double excerptSeconds = 10;
    int trials = 0;        // planned, training included
    int trainingTrials = 0;
    int answered = 0;      // answers stored, training included
    bool finished() const { return !finishedAt.empty(); }
};

class ListeningStore {
public:
    // `libraryPath`: an existing or new library file; brings it to the latest schema.
    explicit ListeningStore(const std::string& libraryPath);
    ~ListeningStore();
    ListeningStore(const ListeningStore&) = delete;
    ListeningStore& operator=(const ListeningStore&) = delete;

    // Session row + its whole trial plan, in one transaction. Returns the session id.
    int64_t createSession(const SessionSpec& spec, const std::vector<Trial>& trials);
    // One transaction; answering a trial again replaces the earlier answer.
    void saveAnswer(int64_t sessionId, const Trial& trial, const Answer& answer);
    void finishSession(int64_t sessionId);
    void deleteSession(int64_t sessionId);

    std::vector<SessionInfo> sessions();                 // newest first
    std::optional<SessionInfo> session(int64_t sessionId);
    std::vector<Trial> trials(int64_t sessionId);        // by index
    std::vector<Answer> answers(int64_t sessionId);      // by trial index

    // Every counted (non-training) answer of every session, optionally one mode only.
    std::vector<ScoredAnswer> scoredAnswers(const std::string& mode = {});

    // All trial details of all sessions (unanswered trials included, answer empty).
    std::string exportCsv();
    std::string exportJson();

private:
    std::unique_ptr<sql::Database> db_;
    std::mutex mutex_;
};

}  // namespace stemscope::listening
