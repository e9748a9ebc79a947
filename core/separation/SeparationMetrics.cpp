#include "separation/SeparationMetrics.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <mutex>
#include <stdexcept>

#include "dsp/Fft.h"

namespace stemscope {
namespace {

double ratioDb(double signal, double noise)
{
    if (signal <= 0) return std::numeric_limits<double>::quiet_NaN();
    if (noise <= 0) return std::numeric_limits<double>::infinity();
    return 10.0 * std::log10(signal / noise);
}

// Double-precision real FFT pair of one size (plans under the shared planner lock).
struct FftD {
    int n;
    double* in;
    fftw_complex* out;
    fftw_plan fwd, inv;
    explicit FftD(int size) : n(size)
    {
        in = fftw_alloc_real(size_t(n));
        out = fftw_alloc_complex(size_t(n / 2 + 1));
        std::lock_guard<std::mutex> lock(fftwPlannerMutex());
        fwd = fftw_plan_dft_r2c_1d(n, in, out, FFTW_ESTIMATE);
        inv = fftw_plan_dft_c2r_1d(n, out, in, FFTW_ESTIMATE);
    }
    ~FftD()
    {
        std::lock_guard<std::mutex> lock(fftwPlannerMutex());
        fftw_destroy_plan(fwd);
        fftw_destroy_plan(inv);
        fftw_free(in);
        fftw_free(out);
    }
    template <typename Vec>
    std::vector<std::complex<double>> forward(const Vec& x)
    {
        std::fill(in, in + n, 0.0);
        std::copy(x.begin(), x.end(), in);
        fftw_execute(fwd);
        std::vector<std::complex<double>> r(size_t(n / 2 + 1));
        for (size_t i = 0; i < r.size(); ++i) r[i] = {out[i][0], out[i][1]};
        return r;
    }
    // Real inverse of a spectrum, scaled by 1/n.
    std::vector<double> inverse(const std::vector<std::complex<double>>& X)
    {
        for (size_t i = 0; i < X.size(); ++i) {
            out[i][0] = X[i].real();
            out[i][1] = X[i].imag();
        }
        fftw_execute(inv);
        std::vector<double> r(in, in + n);
        for (double& v : r) v /= n;
        return r;
    }
};

// Solves G c = d for symmetric positive (semi-)definite G (Cholesky with a tiny ridge).
std::vector<double> solveSpd(std::vector<double> G, std::vector<double> d, int n)
{
    double trace = 0;
    for (int i = 0; i < n; ++i) trace += G[size_t(i * n + i)];
    const double ridge = 1e-12 * trace / n;
    for (int i = 0; i < n; ++i) G[size_t(i * n + i)] += ridge;
    for (int j = 0; j < n; ++j) {
        double s = G[size_t(j * n + j)];
        for (int k = 0; k < j; ++k) s -= G[size_t(j * n + k)] * G[size_t(j * n + k)];
        if (s <= 0) throw std::runtime_error("bssEvalSdr: singular Gram matrix");
        const double l = std::sqrt(s);
        G[size_t(j * n + j)] = l;
        for (int i = j + 1; i < n; ++i) {
            double t = G[size_t(i * n + j)];
            for (int k = 0; k < j; ++k) t -= G[size_t(i * n + k)] * G[size_t(j * n + k)];
            G[size_t(i * n + j)] = t / l;
        }
    }
    for (int i = 0; i < n; ++i) {
        double t = d[size_t(i)];
        for (int k = 0; k < i; ++k) t -= G[size_t(i * n + k)] * d[size_t(k)];
        d[size_t(i)] = t / G[size_t(i * n + i)];
    }
    for (int i = n - 1; i >= 0; --i) {
        double t = d[size_t(i)];
        for (int k = i + 1; k < n; ++k) t -= G[size_t(k * n + i)] * d[size_t(k)];
        d[size_t(i)] = t / G[size_t(i * n + i)];
    }
    return d;
}
}  // namespace

double bssEvalSdr(const std::vector<float>& reference, const std::vector<float>& estimate, int flen)
{
    if (reference.size() != estimate.size()) throw std::invalid_argument("bssEvalSdr: lengths differ");
    double refEnergy = 0;
    for (float v : reference) refEnergy += double(v) * v;
    if (refEnergy <= 0) return std::numeric_limits<double>::quiet_NaN();
    const long long N = (long long)reference.size();
    int nfft = 1;
    while (nfft < N + flen - 1) nfft *= 2;
    FftD fft(nfft);
    const auto S = fft.forward(reference), E = fft.forward(estimate);
    std::vector<std::complex<double>> P(S.size());
    for (size_t i = 0; i < S.size(); ++i) P[i] = std::norm(S[i]);
    const auto r = fft.inverse(P); // autocorrelation: r[k] = sum_t s(t) s(t+k)
    for (size_t i = 0; i < S.size(); ++i) P[i] = std::conj(S[i]) * E[i];
    const auto x = fft.inverse(P); // x[k] = sum_t s(t) e(t+k) = <s delayed by k, e>
    std::vector<double> G(size_t(flen) * size_t(flen));
    std::vector<double> d(static_cast<size_t>(flen));
    for (int a = 0; a < flen; ++a) {
        d[size_t(a)] = x[size_t(a)];
        for (int b = 0; b < flen; ++b) G[size_t(a * flen + b)] = r[size_t(std::abs(a - b))];
    }
    const auto c = solveSpd(G, d, flen);
    // s_filt = sum_k c[k] s(t - k), length N + flen - 1 (fits in nfft: linear convolution).
    const auto C = fft.forward(c);
    for (size_t i = 0; i < S.size(); ++i) P[i] = C[i] * S[i];
    const auto sfilt = fft.inverse(P);
    double num = 0, den = 0;
    for (long long t = 0; t < N + flen - 1; ++t) {
        const double e = t < N ? double(estimate[size_t(t)]) : 0.0;
        num += sfilt[size_t(t)] * sfilt[size_t(t)];
        den += (e - sfilt[size_t(t)]) * (e - sfilt[size_t(t)]);
    }
    return ratioDb(num, den);
}

double siSdr(const std::vector<float>& reference, const std::vector<float>& estimate)
{
    if (reference.size() != estimate.size()) throw std::invalid_argument("siSdr: lengths differ");
    double ss = 0, se = 0;
    for (size_t i = 0; i < reference.size(); ++i) {
        ss += double(reference[i]) * reference[i];
        se += double(reference[i]) * estimate[i];
    }
    if (ss <= 0) return std::numeric_limits<double>::quiet_NaN();
    const double a = se / ss;
    double num = 0, den = 0;
    for (size_t i = 0; i < reference.size(); ++i) {
        const double t = a * reference[i];
        num += t * t;
        den += (estimate[i] - t) * (estimate[i] - t);
    }
    return ratioDb(num, den);
}

double medianFinite(std::vector<double> v)
{
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
    if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
    std::sort(v.begin(), v.end());
    const size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

}  // namespace stemscope
