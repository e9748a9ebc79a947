#include "ranking/RankComparison.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "util/PairedBootstrap.h"

namespace stemscope {

namespace {
double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size()); }
}  // namespace

std::vector<RankMethodValues> loadRankValues(const std::vector<std::string>& files, const std::string& metric)
{
    if (metric != "ap" && metric != "recall" && metric != "rr" && metric != "ndcg")
        throw std::runtime_error("unknown metric '" + metric + "' (ap, recall, rr, ndcg)");
    std::vector<RankMethodValues> out;
    for (const auto& file : files) {
        std::ifstream in(file);
        if (!in) throw std::runtime_error("cannot read " + file);
        const auto j = nlohmann::json::parse(in, nullptr, false);
        if (j.is_discarded() || j.value("format", "") != "stemscope-rank-eval-1")
            throw std::runtime_error(file + " is not a `rank evaluate --json` file");
        for (const auto& row : j.at("rows")) {
            const std::string name = row.at("name");
            auto it = std::find_if(out.begin(), out.end(), [&](const RankMethodValues& m) { return m.name == name; });
            if (it == out.end()) it = out.insert(out.end(), RankMethodValues{name, {}});
            const auto& queries = row.at("queries");
            const auto& values = row.at(metric);
            if (queries.size() != values.size()) throw std::runtime_error(file + ": " + name + " has " + std::to_string(values.size()) + " values for " + std::to_string(queries.size()) + " queries");
            for (size_t q = 0; q < queries.size(); ++q) it->byQuery[queries[q].get<std::string>()].push_back(values[q].get<double>());
        }
    }
    return out;
}

std::string formatPairedComparisons(const std::vector<RankMethodValues>& methods, const std::string& metric,
                                    int resamples, uint64_t seed)
{
    std::ostringstream o;
    o << "| A | B | queries | mean " << metric << " A - B | 95 % interval (paired bootstrap) | A beats B |\n"
      << "|---|---|---|---|---|---|\n";
    for (size_t i = 0; i < methods.size(); ++i)
        for (size_t k = i + 1; k < methods.size(); ++k) {
            std::vector<double> a, b;
            for (const auto& [query, values] : methods[i].byQuery)
                if (auto it = methods[k].byQuery.find(query); it != methods[k].byQuery.end()) {
                    a.push_back(mean(values));
                    b.push_back(mean(it->second));
                }
            if (a.empty()) continue;
            const auto d = pairedBootstrap(a, b, resamples, 0.95, seed);
            char line[256];
            std::snprintf(line, sizeof line, "| %d | %+.4f | [%+.4f, %+.4f] | %s |\n", d.n, d.mean, d.low, d.high, d.verdict());
            o << "| " << methods[i].name << " | " << methods[k].name << " " << line;
        }
    return o.str();
}

std::string formatPooledTable(const std::vector<std::string>& files, int resamples, uint64_t seed)
{
    const char* metrics[] = {"ap", "recall", "rr", "ndcg"};
    std::vector<std::vector<RankMethodValues>> byMetric;
    for (const char* m : metrics) byMetric.push_back(loadRankValues(files, m));
    std::ostringstream o;
    o << "| method | queries | runs | MAP@20 | Recall@20 | RR@20 | nDCG@20 |\n|---|---|---|---|---|---|---|\n";
    for (size_t i = 0; i < byMetric[0].size(); ++i) {
        const auto& method = byMetric[0][i];
        size_t runs = 0;
        for (const auto& [query, values] : method.byQuery) runs += values.size();
        o << "| " << method.name << " | " << method.byQuery.size() << " | " << runs;
        for (const auto& values : byMetric) {
            std::vector<double> perQuery;
            for (const auto& [query, v] : values[i].byQuery) perQuery.push_back(mean(v));
            // The interval of a mean is the paired bootstrap against zero.
            const auto d = pairedBootstrap(perQuery, std::vector<double>(perQuery.size(), 0.0), resamples, 0.95, seed);
            char cell[64];
            std::snprintf(cell, sizeof cell, " | %.3f [%.3f, %.3f]", d.mean, d.low, d.high);
            o << cell;
        }
        o << " |\n";
    }
    return o.str();
}

}  // namespace stemscope
