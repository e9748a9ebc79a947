#pragma once
// Paired comparisons of ranking methods (issue #20): per-query metric values from one or more
// `rank evaluate --json` files (folds add queries, seeds repeat them: a query's values are averaged),
// then for every pair of methods the paired bootstrap of the mean difference on the queries both
// have, with a verdict per pair. Torch-free.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace stemscope {

struct RankMethodValues {
    std::string name;
    std::map<std::string, std::vector<double>> byQuery;  // query -> one value per file that scored it
};

// metric: ap (MAP), recall, rr, ndcg. Throws std::runtime_error naming a bad file or metric.
std::vector<RankMethodValues> loadRankValues(const std::vector<std::string>& jsonFiles, const std::string& metric);

// Markdown table: method A, method B, queries, mean A - B, 95 % interval, verdict on "A beats B".
std::string formatPairedComparisons(const std::vector<RankMethodValues>& methods, const std::string& metric,
                                    int resamples = 10000, uint64_t seed = 1);

// Markdown table, one row per method: queries, runs (query evaluations pooled: folds x seeds), and
// MAP/Recall/RR/nDCG as the mean over queries (each query's runs averaged first) with the 95 %
// bootstrap interval of that mean. The pooled counterpart of one fold's `rank evaluate` table.
std::string formatPooledTable(const std::vector<std::string>& jsonFiles, int resamples = 10000, uint64_t seed = 1);

}  // namespace stemscope
