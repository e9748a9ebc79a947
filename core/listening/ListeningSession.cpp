#include "listening/ListeningSession.h"

#include <stdexcept>

namespace stemscope::listening {

ListeningSession::ListeningSession(std::vector<Trial> trials, const std::vector<Answer>& stored) : trials_(std::move(trials))
{
    for (const auto& a : stored)
        if (a.trialIndex >= 0 && a.trialIndex < total()) answers_[a.trialIndex] = a;
}

int ListeningSession::trainingCount() const
{
    int n = 0;
    for (const auto& t : trials_) n += t.training;
    return n;
}

int ListeningSession::countedAnswered() const
{
    int n = 0;
    for (const auto& [i, a] : answers_) n += !trials_[size_t(i)].training;
    return n;
}

int ListeningSession::current() const
{
    for (int i = 0; i < total(); ++i)
        if (!answers_.count(i)) return i;
    return -1;
}

std::optional<Answer> ListeningSession::answer(int index) const
{
    auto it = answers_.find(index);
    if (it == answers_.end()) return std::nullopt;
    return it->second;
}

void ListeningSession::record(const Answer& a)
{
    if (a.trialIndex < 0 || a.trialIndex >= total()) throw std::out_of_range("ListeningSession: no such trial");
    if (a.answer != "A" && a.answer != "B") throw std::invalid_argument("ListeningSession: answer must be A or B");
    answers_[a.trialIndex] = a;
}

}  // namespace stemscope::listening
