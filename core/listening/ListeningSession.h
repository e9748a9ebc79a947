#pragma once
// The state of one listener's session: the planned trials, the answers given so far (also after
// a restart: built from the stored answers = resume), the current trial and progress. Training
// trials come first and are never counted in the results.
#include <map>
#include <optional>
#include <vector>

#include "listening/ListeningTypes.h"

namespace stemscope::listening {

class ListeningSession {
public:
    ListeningSession() = default;
    ListeningSession(std::vector<Trial> trials, const std::vector<Answer>& stored = {});

    int total() const { return int(trials_.size()); }
    int trainingCount() const;
    int answeredCount() const { return int(answers_.size()); }
    int countedAnswered() const;          // answered non-training trials
    double fraction() const { return total() ? double(answeredCount()) / total() : 1.0; }
    bool done() const { return answeredCount() >= total(); }

    // First unanswered trial (in order), -1 when done.
    int current() const;
    const Trial& trial(int index) const { return trials_.at(size_t(index)); }
    const std::vector<Trial>& trials() const { return trials_; }
    std::optional<Answer> answer(int index) const;

    // Records (or replaces) an answer; `answer.answer` must be "A" or "B".
    void record(const Answer& answer);

private:
    std::vector<Trial> trials_;
    std::map<int, Answer> answers_;
};

}  // namespace stemscope::listening
