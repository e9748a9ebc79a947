#include "ranking/RankedLists.h"

#include <algorithm>
#include <stdexcept>

namespace stemscope {

RankedList rankCandidates(const Matrix& s, int query, const std::vector<int>& candidates)
{
    RankedList out;
    out.reserve(candidates.size());
    for (int c : candidates)
        if (c != query) out.push_back(c);
    std::stable_sort(out.begin(), out.end(), [&](int a, int b) {
        const float sa = s(query, a), sb = s(query, b);
        return sa != sb ? sa > sb : a < b;
    });
    return out;
}

std::vector<RankedList> rankedLists(const Matrix& s)
{
    if (s.rows != s.cols) throw std::invalid_argument("rankedLists: similarity must be square");
    std::vector<int> all(size_t(s.rows));
    for (int i = 0; i < s.rows; ++i) all[size_t(i)] = i;
    std::vector<RankedList> lists;
    lists.reserve(size_t(s.rows));
    for (int t = 0; t < s.rows; ++t) lists.push_back(rankCandidates(s, t, all));
    return lists;
}

}  // namespace stemscope
