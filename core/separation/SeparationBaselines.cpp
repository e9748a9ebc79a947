#include "separation/SeparationBaselines.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace stemscope {
namespace {

std::vector<float> masked(const ComplexSpectrogram& mix, const std::vector<float>& mask, const StftConfig& c, long long n)
{
    ComplexSpectrogram s = mix;
    for (size_t i = 0; i < s.data.size(); ++i) s.data[i] *= mask[i];
    return istft(s, c, n);
}

std::vector<std::vector<float>> oracleMask(const std::vector<std::vector<float>>& stems, const StftConfig& c, bool binary)
{
    if (stems.empty()) return {};
    const size_t n = stems.front().size();
    std::vector<float> mix(n, 0.f);
    for (const auto& s : stems) {
        if (s.size() != n) throw std::invalid_argument("oracle mask: the stems differ in length");
        for (size_t i = 0; i < n; ++i) mix[i] += s[i];
    }
    const ComplexSpectrogram X = stft(mix, c);
    std::vector<std::vector<float>> mags;
    std::vector<float> total(X.data.size(), 0.f);
    for (const auto& s : stems) {
        const ComplexSpectrogram S = stft(s, c);
        std::vector<float> m(S.data.size());
        for (size_t i = 0; i < m.size(); ++i) total[i] += (m[i] = std::abs(S.data[i]));
        mags.push_back(std::move(m));
    }
    if (binary) {
        // Ties (silent bins) go to the first source: the masks still partition every bin.
        for (size_t i = 0; i < total.size(); ++i) {
            size_t best = 0;
            for (size_t k = 1; k < mags.size(); ++k)
                if (mags[k][i] > mags[best][i]) best = k;
            for (size_t k = 0; k < mags.size(); ++k) mags[k][i] = k == best ? 1.f : 0.f;
        }
    } else {
        for (auto& m : mags)
            for (size_t i = 0; i < m.size(); ++i) m[i] = total[i] > 1e-12f ? m[i] / total[i] : 1.f / float(stems.size());
    }
    std::vector<std::vector<float>> out;
    for (auto& m : mags) out.push_back(masked(X, m, c, (long long)n));
    return out;
}

}  // namespace

std::vector<std::vector<float>> oracleRatioMask(const std::vector<std::vector<float>>& stems, const StftConfig& c)
{
    return oracleMask(stems, c, false);
}

std::vector<std::vector<float>> oracleBinaryMask(const std::vector<std::vector<float>>& stems, const StftConfig& c)
{
    return oracleMask(stems, c, true);
}

std::vector<float> hpssPercussive(const std::vector<float>& mix, const StftConfig& c, int kernel)
{
    const ComplexSpectrogram X = stft(mix, c);
    const int T = X.frames, F = X.bins, h = kernel / 2;
    std::vector<float> mag(X.data.size());
    for (size_t i = 0; i < mag.size(); ++i) mag[i] = std::abs(X.data[i]);
    std::vector<float> H(mag.size()), P(mag.size()), win;
    auto median = [&win]() {
        std::nth_element(win.begin(), win.begin() + long(win.size() / 2), win.end());
        return win[win.size() / 2];
    };
    for (int t = 0; t < T; ++t)
        for (int f = 0; f < F; ++f) {
            win.clear();
            for (int u = std::max(0, t - h); u <= std::min(T - 1, t + h); ++u) win.push_back(mag[size_t(u) * F + f]);
            H[size_t(t) * F + f] = median();
            win.clear();
            for (int g = std::max(0, f - h); g <= std::min(F - 1, f + h); ++g) win.push_back(mag[size_t(t) * F + g]);
            P[size_t(t) * F + f] = median();
        }
    std::vector<float> mask(mag.size());
    for (size_t i = 0; i < mask.size(); ++i) {
        const float p2 = P[i] * P[i], h2 = H[i] * H[i];
        mask[i] = p2 + h2 > 0 ? p2 / (p2 + h2) : 0.5f;
    }
    return masked(X, mask, c, (long long)mix.size());
}

}  // namespace stemscope
