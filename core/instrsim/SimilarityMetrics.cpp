#include "instrsim/SimilarityMetrics.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>

namespace stemscope {

double cosineDistance(const float* a, const float* b, int dim)
{
    double ab = 0, aa = 0, bb = 0;
    for (int i = 0; i < dim; ++i) {
        ab += double(a[i]) * b[i];
        aa += double(a[i]) * a[i];
        bb += double(b[i]) * b[i];
    }
    if (aa <= 0 || bb <= 0) return 1.0;
    return 1.0 - ab / std::sqrt(aa * bb);
}

Matrix pairwiseCosineDistances(const Matrix& e)
{
    Matrix d(e.rows, e.rows);
    for (int i = 0; i < e.rows; ++i)
        for (int j = i + 1; j < e.rows; ++j) d(i, j) = d(j, i) = float(cosineDistance(e.row(i), e.row(j), e.cols));
    return d;
}

namespace {
// Indices j != q sorted by distance from q (ties by index).
std::vector<int> orderFrom(const Matrix& d, int q)
{
    std::vector<int> idx;
    for (int j = 0; j < d.cols; ++j)
        if (j != q) idx.push_back(j);
    std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) { return d(q, a) < d(q, b); });
    return idx;
}
}  // namespace

int knnPredict(const Matrix& d, const std::vector<int>& labels, int q, int k)
{
    const auto order = orderFrom(d, q);
    const int n = std::min<int>(k, int(order.size()));
    std::map<int, std::pair<int, int>> votes; // label -> (count, first position)
    for (int i = 0; i < n; ++i) {
        auto [it, inserted] = votes.try_emplace(labels[size_t(order[size_t(i)])], 0, i);
        ++it->second.first;
    }
    int best = -1, bestCount = -1, bestFirst = 0;
    for (const auto& [label, v] : votes)
        if (v.first > bestCount || (v.first == bestCount && v.second < bestFirst)) {
            best = label;
            bestCount = v.first;
            bestFirst = v.second;
        }
    return best;
}

double knnAccuracyFromDistances(const Matrix& d, const std::vector<int>& labels, int k)
{
    if (d.rows == 0) return 0.0;
    int correct = 0;
    for (int q = 0; q < d.rows; ++q) correct += knnPredict(d, labels, q, k) == labels[size_t(q)];
    return double(correct) / d.rows;
}

double knnAccuracy(const Matrix& e, const std::vector<int>& labels, int k)
{
    return knnAccuracyFromDistances(pairwiseCosineDistances(e), labels, k);
}

std::vector<std::vector<float>> labelCentroids(const Matrix& e, const std::vector<int>& labels, int labelCount)
{
    std::vector<std::vector<double>> acc(size_t(labelCount), std::vector<double>(size_t(e.cols), 0.0));
    for (int r = 0; r < e.rows; ++r)
        for (int j = 0; j < e.cols; ++j) acc[size_t(labels[size_t(r)])][size_t(j)] += e(r, j);
    std::vector<std::vector<float>> out;
    for (auto& a : acc) {
        double n = 0;
        for (double v : a) n += v * v;
        n = std::sqrt(n);
        std::vector<float> c(a.size());
        for (size_t j = 0; j < a.size(); ++j) c[j] = n > 0 ? float(a[j] / n) : 0.f;
        out.push_back(std::move(c));
    }
    return out;
}

Matrix centroidDistanceMatrix(const std::vector<std::vector<float>>& c)
{
    const int n = int(c.size());
    Matrix d(n, n);
    for (int i = 0; i < n; ++i)
        for (int j = i + 1; j < n; ++j)
            d(i, j) = d(j, i) = float(cosineDistance(c[size_t(i)].data(), c[size_t(j)].data(), int(c[size_t(i)].size())));
    return d;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y)
{
    if (x.size() != y.size()) throw std::invalid_argument("pearson: size mismatch");
    const size_t n = x.size();
    if (n < 2) return 0.0;
    const double mx = std::accumulate(x.begin(), x.end(), 0.0) / double(n);
    const double my = std::accumulate(y.begin(), y.end(), 0.0) / double(n);
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx <= 0 || syy <= 0) return 0.0;
    return sxy / std::sqrt(sxx * syy);
}

std::vector<double> averageRanks(const std::vector<double>& x)
{
    std::vector<size_t> idx(x.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
    std::vector<double> r(x.size());
    for (size_t i = 0; i < idx.size();) {
        size_t j = i;
        while (j + 1 < idx.size() && x[idx[j + 1]] == x[idx[i]]) ++j;
        const double mean = (double(i) + double(j)) / 2.0 + 1.0;
        for (size_t k = i; k <= j; ++k) r[idx[k]] = mean;
        i = j + 1;
    }
    return r;
}

double spearman(const std::vector<double>& x, const std::vector<double>& y)
{
    return pearson(averageRanks(x), averageRanks(y));
}

std::vector<double> upperTriangle(const Matrix& m)
{
    std::vector<double> v;
    for (int i = 0; i < m.rows; ++i)
        for (int j = i + 1; j < m.cols; ++j) v.push_back(m(i, j));
    return v;
}

double upperTrianglePearson(const Matrix& a, const Matrix& b) { return pearson(upperTriangle(a), upperTriangle(b)); }

double meanRowSpearman(const Matrix& a, const Matrix& b)
{
    if (a.rows != b.rows || a.rows < 2) return 0.0;
    double sum = 0;
    for (int i = 0; i < a.rows; ++i) {
        std::vector<double> x, y;
        for (int j = 0; j < a.cols; ++j)
            if (j != i) {
                x.push_back(a(i, j));
                y.push_back(b(i, j));
            }
        sum += spearman(x, y);
    }
    return sum / a.rows;
}

double topKMrrInReference(const Matrix& focus, const Matrix& reference, int k)
{
    if (focus.rows != reference.rows || focus.rows < 2) return 0.0;
    double sum = 0;
    int count = 0;
    for (int q = 0; q < focus.rows; ++q) {
        const auto f = orderFrom(focus, q);
        const auto m = orderFrom(reference, q);
        std::vector<int> rankInRef(size_t(focus.rows), 0);
        for (size_t i = 0; i < m.size(); ++i) rankInRef[size_t(m[i])] = int(i) + 1;
        for (int i = 0; i < std::min<int>(k, int(f.size())); ++i) {
            sum += 1.0 / rankInRef[size_t(f[size_t(i)])];
            ++count;
        }
    }
    return count ? sum / count : 0.0;
}

MeanVar meanVariance(const std::vector<double>& v)
{
    MeanVar r;
    r.n = int(v.size());
    if (v.empty()) return r;
    r.mean = std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
    if (v.size() > 1) {
        double s = 0;
        for (double x : v) s += (x - r.mean) * (x - r.mean);
        r.variance = s / double(v.size() - 1);
    }
    return r;
}

}  // namespace stemscope
