#pragma once
// Statistics of the listening test: the proportion of answers agreeing with the model (or, in
// ABX mode, correct) with a 95 % Wilson score interval and a two-sided exact binomial test
// against chance (0.5), counts split by confidence, per focus and per listener. Qt-free.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace stemscope::listening {

struct Interval {
    double low = 0, high = 0;
};

// Wilson score interval for k successes in n trials; z = 1.959964 gives 95 %. n = 0 -> [0, 1].
Interval wilsonInterval(int k, int n, double z = 1.959963984540054);

// Two-sided exact binomial test of k successes in n trials against success probability p0:
// the sum of the probabilities of every outcome no more likely than k (R's binom.test).
double binomialTwoSidedP(int k, int n, double p0 = 0.5);

// One counted answer, as the summaries need it.
struct ScoredAnswer {
    std::string focus;     // "drums"...
    std::string mode;      // "similarity" | "abx"
    std::string listener;
    bool agrees = false;   // answer == expected
    bool confident = false;
};

struct ProportionSummary {
    int n = 0, agree = 0;
    int agreeConfident = 0, agreeUnsure = 0, disagreeConfident = 0, disagreeUnsure = 0;
    double proportion = 0;  // agree / n (0 when n = 0)
    Interval ci{0, 1};      // 95 % Wilson
    double pValue = 1;      // two-sided exact binomial vs 0.5
};

ProportionSummary summarise(const std::vector<ScoredAnswer>& answers);

struct ListeningResults {
    ProportionSummary overall;
    std::map<std::string, ProportionSummary> byFocus;                                 // focus ->
    std::map<std::string, std::map<std::string, ProportionSummary>> byListenerFocus;  // listener -> focus ->
    std::map<std::string, ProportionSummary> byListener;                              // listener ->
};

// Groups `answers` (training answers must already be left out) by focus and by listener.
ListeningResults computeResults(const std::vector<ScoredAnswer>& answers);

}  // namespace stemscope::listening
