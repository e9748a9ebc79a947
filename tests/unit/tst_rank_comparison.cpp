// Paired comparisons of ranking methods from `rank evaluate --json` files: folds pool their queries,
// repeated queries (seeds) are averaged, every pair gets a paired-bootstrap verdict.
#include <QtTest>

#include <QTemporaryDir>

#include <fstream>

#include <nlohmann/json.hpp>

#include "ranking/RankComparison.h"
#include "ranking/RankPipeline.h"

using namespace stemscope;

namespace {
RankEvalRow row(const std::string& name, const std::vector<std::string>& queries, const std::vector<double>& ap)
{
    RankEvalRow r;
    r.name = name;
    r.queries = queries;
    r.scores.ap = ap;
    r.scores.recallPerQuery = r.scores.rrPerQuery = r.scores.ndcgPerQuery = ap;
    return r;
}
}  // namespace

class RankComparisonTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string write(const char* name, const std::vector<RankEvalRow>& rows)
    {
        const std::string path = dir_.filePath(name).toStdString();
        std::ofstream(path) << rankRowsJson(rows);
        return path;
    }

private Q_SLOTS:
    void foldsPoolSeedsAverageAndPairsGetVerdicts()
    {
        std::vector<std::string> q1, q2;
        std::vector<double> good1, bad1, good2, bad2, same1, same2;
        for (int i = 0; i < 40; ++i) {
            q1.push_back("fold1/song" + std::to_string(i));
            q2.push_back("fold2/song" + std::to_string(i));
            const double base = 0.2 + 0.1 * std::sin(i * 0.9);
            good1.push_back(base + 0.1);
            bad1.push_back(base);
            same1.push_back(base + 0.1 + 0.05 * std::sin(i * 2.3));
            good2.push_back(base + 0.12);
            bad2.push_back(base + 0.01);
            same2.push_back(base + 0.12 - 0.05 * std::sin(i * 2.3));
        }
        const auto f1 = write("fold1.json", {row("TL distance", q1, good1), row("AT", q1, bad1), row("TL random", q1, same1)});
        const auto f2 = write("fold2.json", {row("TL distance", q2, good2), row("AT", q2, bad2), row("TL random", q2, same2)});
        // The same fold again with other values: a second seed, averaged per query.
        std::vector<double> good1b = good1;
        for (double& v : good1b) v += 0.02;
        const auto f1b = write("fold1-seed2.json", {row("TL distance", q1, good1b)});
        const auto methods = loadRankValues({f1, f2, f1b}, "ap");
        QCOMPARE(int(methods.size()), 3);
        QCOMPARE(methods[0].name, std::string("TL distance"));
        QCOMPARE(int(methods[0].byQuery.size()), 80);              // both folds' queries
        QCOMPARE(int(methods[0].byQuery.at(q1[0]).size()), 2);     // two seeds
        QCOMPARE(int(methods[1].byQuery.at(q1[0]).size()), 1);
        const std::string table = formatPairedComparisons(methods, "ap", 4000, 1);
        QVERIFY2(table.find("| TL distance | AT | 80 | +0.") != std::string::npos, table.c_str());
        QVERIFY2(table.find("confirmed") != std::string::npos, table.c_str());
        QVERIFY2(table.find("| TL distance | TL random | 80 |") != std::string::npos, table.c_str());
        // Same mean difference up to noise that cancels: undecided, not a win.
        const auto line = table.substr(table.find("| TL distance | TL random"));
        QVERIFY2(line.substr(0, line.find('\n')).find("undecided") != std::string::npos, table.c_str());
    }

    void pooledTableAveragesSeedsThenQueries()
    {
        // Query a scored twice (two seeds: 0.2 and 0.4, so 0.3), query b once (0.9): the mean over
        // queries is 0.6, not the mean over runs (0.5).
        const auto s1 = write("pool-seed1.json", {row("TL random", {"a", "b"}, {0.2, 0.9}), row("AT", {"a", "b"}, {0.1, 0.1})});
        const auto s2 = write("pool-seed2.json", {row("TL random", {"a"}, {0.4})});
        const std::string table = formatPooledTable({s1, s2}, 2000, 1);
        QVERIFY2(table.find("| TL random | 2 | 3 | 0.600 [0.300, 0.900] |") != std::string::npos, table.c_str());
        // A constant method has a zero-width interval, in every metric column.
        QVERIFY2(table.find("| AT | 2 | 2 | 0.100 [0.100, 0.100] | 0.100 [0.100, 0.100] | 0.100 [0.100, 0.100] | 0.100 [0.100, 0.100] |")
                     != std::string::npos, table.c_str());
    }

    void badInputIsNamed()
    {
        const std::string junk = dir_.filePath("junk.json").toStdString();
        std::ofstream(junk) << "{\"rows\": []}";
        try {
            loadRankValues({junk}, "ap");
            QFAIL("accepted a file that is not an evaluation");
        } catch (const std::runtime_error& e) {
            QVERIFY(std::string(e.what()).find("junk.json") != std::string::npos);
        }
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, loadRankValues({junk}, "map@20"));
    }
};

QTEST_APPLESS_MAIN(RankComparisonTest)
#include "tst_rank_comparison.moc"
