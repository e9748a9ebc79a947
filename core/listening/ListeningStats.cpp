#include "listening/ListeningStats.h"

#include <algorithm>
#include <cmath>

namespace stemscope::listening {

Interval wilsonInterval(int k, int n, double z)
{
    if (n <= 0) return {0, 1};
    const double p = double(k) / n, z2 = z * z;
    const double denom = 1 + z2 / n;
    const double centre = (p + z2 / (2.0 * n)) / denom;
    const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
    return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

namespace {

double logBinomialPmf(int k, int n, double p)
{
    if (p <= 0) return k == 0 ? 0 : -INFINITY;
    if (p >= 1) return k == n ? 0 : -INFINITY;
    return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) + k * std::log(p) +
           (n - k) * std::log1p(-p);
}

}  // namespace

double binomialTwoSidedP(int k, int n, double p0)
{
    if (n <= 0 || k < 0 || k > n) return 1.0;
    const double observed = logBinomialPmf(k, n, p0);
    const double relErr = 1 + 1e-7; // R's tolerance for "as likely as the observed outcome"
    double sum = 0;
    for (int i = 0; i <= n; ++i) {
        const double l = logBinomialPmf(i, n, p0);
        if (l <= observed + std::log(relErr)) sum += std::exp(l);
    }
    return std::min(1.0, sum);
}

ProportionSummary summarise(const std::vector<ScoredAnswer>& answers)
{
    ProportionSummary s;
    for (const auto& a : answers) {
        ++s.n;
        if (a.agrees) {
            ++s.agree;
            ++(a.confident ? s.agreeConfident : s.agreeUnsure);
        } else {
            ++(a.confident ? s.disagreeConfident : s.disagreeUnsure);
        }
    }
    s.proportion = s.n ? double(s.agree) / s.n : 0;
    s.ci = wilsonInterval(s.agree, s.n);
    s.pValue = binomialTwoSidedP(s.agree, s.n);
    return s;
}

ListeningResults computeResults(const std::vector<ScoredAnswer>& answers)
{
    ListeningResults r;
    std::map<std::string, std::vector<ScoredAnswer>> focus, listener;
    std::map<std::string, std::map<std::string, std::vector<ScoredAnswer>>> lf;
    for (const auto& a : answers) {
        focus[a.focus].push_back(a);
        listener[a.listener].push_back(a);
        lf[a.listener][a.focus].push_back(a);
    }
    r.overall = summarise(answers);
    for (const auto& [k, v] : focus) r.byFocus[k] = summarise(v);
    for (const auto& [k, v] : listener) r.byListener[k] = summarise(v);
    for (const auto& [l, m] : lf)
        for (const auto& [f, v] : m) r.byListenerFocus[l][f] = summarise(v);
    return r;
}

}  // namespace stemscope::listening
