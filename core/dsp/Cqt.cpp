#include "dsp/Cqt.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>
#include <tuple>

#include "dsp/Fft.h"
#include "util/DotProducts.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace stemscope {
namespace {
constexpr double kPi = 3.14159265358979323846;

int nextPow2(int n)
{
    int p = 2;
    while (p < n) p *= 2;
    return p;
}

// Contiguous run of FFT bins [first, first + size) with interleaved (re, im) coefficients.
struct Band {
    int first = 0;
    std::vector<float> coef;
    int size() const { return int(coef.size() / 2); }
};
}  // namespace

struct Cqt::Kernels {
    struct Bin {
        Band pos; // multiplies FFT[j]        for j in [0, N/2]
        Band neg; // multiplies conj(FFT[j])  for j in [1, N/2-1] (the kernel's negative frequencies)
    };
    struct Group {
        int decimation = 1;  // the group reads the signal decimated by this factor
        int fftSize = 0;
        int left = 0;  // frame samples used: centre - left ..
        int right = 0; //                     centre + right
        int firstBin = 0;
        std::vector<Bin> bins;
    };
    std::vector<Group> groups;
    long long size = 0;
};

double CqtConfig::q() const { return filterScale / (std::pow(2.0, 1.0 / binsPerOctave) - 1.0); }
double CqtConfig::binFrequency(int k) const { return fMin * std::pow(2.0, double(k) / binsPerOctave); }
int CqtConfig::windowLength(int k) const { return int(std::ceil(q() * sampleRate / binFrequency(k))); }

namespace {

Band cutBand(const std::vector<std::complex<double>>& k, int lo, int hi, double threshold)
{
    int first = -1, last = -1;
    for (int j = lo; j <= hi; ++j)
        if (std::abs(k[size_t(j)]) >= threshold) {
            if (first < 0) first = j;
            last = j;
        }
    Band b;
    if (first < 0) return b;
    b.first = first;
    b.coef.reserve(size_t(2 * (last - first + 1)));
    for (int j = first; j <= last; ++j) {
        b.coef.push_back(float(k[size_t(j)].real()));
        b.coef.push_back(float(k[size_t(j)].imag()));
    }
    return b;
}

// Spectral kernel of bin k for an FFT of length n: K[j] = conj(DFT(conj h)[j]) / n, where h is
// the time-domain kernel w(m) exp(-2 pi i f m / sr) / S wrapped circularly around index 0.
// Decimated by d, the kernel is h at the offsets m = j d (j indexes the decimated signal), scaled
// by d: the sum over the band-limited signal at 1/d of the rate equals the full-rate one.
Cqt::Kernels::Bin makeBinKernel(const CqtConfig& c, int k, int n, int d = 1)
{
    const double f = c.binFrequency(k);
    const int len = c.windowLength(k);
    const int left = len / 2;
    std::vector<std::complex<double>> g(size_t(n), 0.0);
    double wsum = 0.0;
    for (int m = -left; m <= len - 1 - left; ++m) wsum += 0.5 + 0.5 * std::cos(2.0 * kPi * m / len);
    for (int m = -left; m <= len - 1 - left; ++m) {
        if (m % d != 0) continue;
        const double w = (0.5 + 0.5 * std::cos(2.0 * kPi * m / len)) * d / wsum;
        g[size_t((m / d + n) % n)] = std::polar(w, 2.0 * kPi * f * m / c.sampleRate);
    }
    complexDftInPlace(g);
    double peak = 0.0;
    for (auto& v : g) {
        v = std::conj(v) / double(n);
        peak = std::max(peak, std::abs(v));
    }
    const double threshold = c.sparsity * peak;
    Cqt::Kernels::Bin bin;
    bin.pos = cutBand(g, 0, n / 2, threshold);
    // Negative frequencies: K[n - j] pairs with FFT[n - j] = conj(FFT[j]).
    std::vector<std::complex<double>> negative(size_t(n / 2), 0.0);
    for (int j = 1; j < n / 2; ++j) negative[size_t(j)] = g[size_t(n - j)];
    bin.neg = cutBand(negative, 1, n / 2 - 1, threshold);
    return bin;
}

// A group may run at sr / D when its top bin stays below this fraction of that rate: the half-band
// stages pass up to ~0.4 of the lower rate and reject what would fold back below it.
constexpr double kMultirateTop = 0.37;
// Windows shorter than this at the lower rate would be shaped by rounding: keep the higher rate.
constexpr int kMultirateMinWindow = 32;

int decimationFor(const CqtConfig& c, int firstBin, int lastBin)
{
    if (!c.multirate || !c.fftPerOctave) return 1;
    int d = 1;
    while (c.hop % (2 * d) == 0 && c.binFrequency(lastBin) < kMultirateTop * c.sampleRate / (2 * d) &&
           c.windowLength(lastBin) / (2 * d) >= kMultirateMinWindow && c.windowLength(firstBin) / (2 * d) >= 2)
        d *= 2;
    return d;
}

std::shared_ptr<const Cqt::Kernels> buildKernels(const CqtConfig& full)
{
    auto kernels = std::make_shared<Cqt::Kernels>();
    const int groupSize = full.fftPerOctave ? full.binsPerOctave : full.nBins;
    for (int first = 0; first < full.nBins; first += groupSize) {
        const int last = std::min(full.nBins, first + groupSize) - 1;
        Cqt::Kernels::Group g;
        const int d = g.decimation = decimationFor(full, first, last);
        const int longest = full.windowLength(first); // windows shrink with k
        g.left = (longest / 2) / d;                   // in samples of the decimated signal
        g.right = (longest - 1 - longest / 2) / d;
        g.fftSize = nextPow2(g.left + g.right + 1);
        g.firstBin = first;
        for (int k = first; k <= last; ++k) {
            g.bins.push_back(makeBinKernel(full, k, g.fftSize, d));
            kernels->size += g.bins.back().pos.size() + g.bins.back().neg.size();
        }
        kernels->groups.push_back(std::move(g));
    }
    return kernels;
}

std::shared_ptr<const Cqt::Kernels> cachedKernels(const CqtConfig& c)
{
    using Key = std::tuple<double, double, int, int, double, double, bool, bool, int>;
    static std::mutex mutex;
    static std::map<Key, std::shared_ptr<const Cqt::Kernels>> cache;
    // The hop decides which decimations keep frame centres on samples: part of the key when multirate.
    const Key key{c.sampleRate, c.fMin,         c.nBins,     c.binsPerOctave,           c.filterScale,
                  c.sparsity,   c.fftPerOctave, c.multirate, c.multirate ? c.hop : 0};
    std::lock_guard<std::mutex> lock(mutex);
    auto& slot = cache[key];
    if (!slot) slot = buildKernels(c);
    return slot;
}

// sum_j X[j] * K[j] (or conj(X[j]) * K[j]) over one band, accumulated in double.
template <bool Conj>
inline void accumulate(const float* x, const Band& b, double& re, double& im)
{
    const float* k = b.coef.data();
    const float* xs = x + 2 * b.first;
    const int n = b.size();
    double r0 = 0, i0 = 0, r1 = 0, i1 = 0;
    int j = 0;
    for (; j + 1 < n; j += 2) {
        const double xr0 = xs[2 * j], xi0 = Conj ? -xs[2 * j + 1] : xs[2 * j + 1];
        const double xr1 = xs[2 * j + 2], xi1 = Conj ? -xs[2 * j + 3] : xs[2 * j + 3];
        const double kr0 = k[2 * j], ki0 = k[2 * j + 1], kr1 = k[2 * j + 2], ki1 = k[2 * j + 3];
        r0 += xr0 * kr0 - xi0 * ki0;
        i0 += xr0 * ki0 + xi0 * kr0;
        r1 += xr1 * kr1 - xi1 * ki1;
        i1 += xr1 * ki1 + xi1 * kr1;
    }
    for (; j < n; ++j) {
        const double xr = xs[2 * j], xi = Conj ? -xs[2 * j + 1] : xs[2 * j + 1];
        const double kr = k[2 * j], ki = k[2 * j + 1];
        r0 += xr * kr - xi * ki;
        i0 += xr * ki + xi * kr;
    }
    re += r0 + r1;
    im += i0 + i1;
}

// Half-band low-pass for decimation by 2: Kaiser-windowed sinc with cutoff at a quarter of the
// input rate; the even taps other than the centre are exactly zero.
const std::vector<float>& halfBandTaps()
{
    static const std::vector<float> taps = [] {
        constexpr int kTaps = 63, half = kTaps / 2;
        constexpr double beta = 8.0;
        auto bessel0 = [](double x) {
            double sum = 1, term = 1;
            for (int k = 1; k < 40; ++k) {
                term *= (x / (2 * k)) * (x / (2 * k));
                sum += term;
            }
            return sum;
        };
        std::vector<float> h(kTaps);
        double total = 0;
        std::vector<double> hd(kTaps);
        for (int n = -half; n <= half; ++n) {
            const double sinc = n == 0 ? 0.5 : (n % 2 == 0 ? 0.0 : std::sin(kPi * n / 2.0) / (kPi * n));
            const double r = double(n) / half;
            hd[size_t(n + half)] = sinc * bessel0(beta * std::sqrt(std::max(0.0, 1 - r * r))) / bessel0(beta);
            total += hd[size_t(n + half)];
        }
        for (int i = 0; i < kTaps; ++i) h[size_t(i)] = float(hd[size_t(i)] / total);  // unit gain at DC
        return h;
    }();
    return taps;
}

// y[i] = sum_n h[n] x[2i - n] (zero phase: sample i of y sits at sample 2i of x; zeros outside x).
// The odd taps only touch odd samples: with those in their own zero-padded array every tap is a
// contiguous multiply-add over all outputs (vectorisable), the bulk of the CQT's remaining cost.
std::vector<float> decimateBy2(const std::vector<float>& x)
{
    const auto& h = halfBandTaps();
    const int half = int(h.size()) / 2, pad = half / 2 + 1;
    const size_t n = x.size(), out = (n + 1) / 2;
    std::vector<float> odd(out + 2 * size_t(pad) + 1, 0.f);  // odd[j + pad] = x[2j + 1]
    for (size_t j = 0; 2 * j + 1 < n; ++j) odd[j + size_t(pad)] = x[2 * j + 1];
    std::vector<float> y(out);
    const float centre = h[size_t(half)];
    for (size_t i = 0; i < out; ++i) y[i] = centre * x[2 * i];
    for (int m = 0; 2 * m + 1 <= half; ++m) {  // tap 2m+1 pairs x[2i - 2m - 1] and x[2i + 2m + 1]
        const float c = h[size_t(half + 2 * m + 1)];
        const float* a = odd.data() + pad - m - 1;
        const float* b = odd.data() + pad + m;
        for (size_t i = 0; i < out; ++i) y[i] += c * (a[i] + b[i]);
    }
    return y;
}

#if defined(__x86_64__) || defined(__i386__)
// The same sums with AVX2/FMA: two complex products per step, accumulated in double as above.
// acc1 collects (xr kr, xi ki) pairs, acc2 (xr ki, xi kr): re = sum xr kr -+ xi ki, im = sum xr ki +- xi kr.
template <bool Conj>
__attribute__((target("avx2,fma"))) void accumulateAvx2(const float* x, const Band& b, double& re, double& im)
{
    const float* k = b.coef.data();
    const float* xs = x + 2 * b.first;
    const int n = b.size();
    __m256d acc1 = _mm256_setzero_pd(), acc2 = _mm256_setzero_pd();
    int j = 0;
    for (; j + 1 < n; j += 2) {
        const __m256d xv = _mm256_cvtps_pd(_mm_loadu_ps(xs + 2 * j));
        const __m256d kv = _mm256_cvtps_pd(_mm_loadu_ps(k + 2 * j));
        acc1 = _mm256_fmadd_pd(xv, kv, acc1);
        acc2 = _mm256_fmadd_pd(xv, _mm256_permute_pd(kv, 0x5), acc2);  // (kr, ki) -> (ki, kr)
    }
    alignas(32) double a1[4], a2[4];
    _mm256_store_pd(a1, acc1);
    _mm256_store_pd(a2, acc2);
    double r = Conj ? a1[0] + a1[1] + a1[2] + a1[3] : a1[0] - a1[1] + a1[2] - a1[3];
    double i = Conj ? a2[0] - a2[1] + a2[2] - a2[3] : a2[0] + a2[1] + a2[2] + a2[3];
    for (; j < n; ++j) {
        const double xr = xs[2 * j], xi = Conj ? -xs[2 * j + 1] : xs[2 * j + 1];
        const double kr = k[2 * j], ki = k[2 * j + 1];
        r += xr * kr - xi * ki;
        i += xr * ki + xi * kr;
    }
    re += r;
    im += i;
}
#endif

void accumulateBin(const float* spec, const Cqt::Kernels::Bin& bin, double& re, double& im)
{
#if defined(__x86_64__) || defined(__i386__)
    static const bool avx2 = cpuHasAvx2Fma();
    if (avx2) {
        accumulateAvx2<false>(spec, bin.pos, re, im);
        if (!bin.neg.coef.empty()) accumulateAvx2<true>(spec, bin.neg, re, im);
        return;
    }
#endif
    accumulate<false>(spec, bin.pos, re, im);
    if (!bin.neg.coef.empty()) accumulate<true>(spec, bin.neg, re, im);
}

}  // namespace

std::vector<int> Cqt::decimations() const
{
    std::vector<int> d;
    for (const auto& g : kernels_->groups) d.push_back(g.decimation);
    return d;
}

Cqt::Cqt(CqtConfig config) : cfg_(config)
{
    const auto& c = cfg_;
    if (!(c.sampleRate > 0) || c.hop < 1 || c.nBins < 1 || c.binsPerOctave < 1 || !(c.fMin > 0) ||
        !(c.filterScale > 0) || !(c.sparsity >= 0 && c.sparsity < 1))
        throw std::invalid_argument("Cqt: bad configuration");
    if (!(c.binFrequency(c.nBins - 1) < c.sampleRate / 2))
        throw std::invalid_argument("Cqt: top bin " + std::to_string(c.binFrequency(c.nBins - 1)) +
                                    " Hz is not below Nyquist");
    if (c.windowLength(c.nBins - 1) < 2) throw std::invalid_argument("Cqt: top bin window shorter than 2 samples");
    if (c.windowLength(0) > (1 << 26)) throw std::invalid_argument("Cqt: lowest bin window too long");
    kernels_ = cachedKernels(c);
}

int Cqt::frameCount(long long length) const { return length <= 0 ? 0 : int(1 + length / cfg_.hop); }

long long Cqt::kernelSize() const { return kernels_->size; }

std::vector<int> Cqt::fftSizes() const
{
    std::vector<int> s;
    for (const auto& g : kernels_->groups) s.push_back(g.fftSize);
    return s;
}

template <typename Emit>
void Cqt::run(const std::vector<float>& x, Emit&& emit) const
{
    const int frames = frameCount((long long)x.size());
    // The signal at every rate a group asks for (a cascade of halvings from the full rate).
    std::map<int, std::vector<float>> lower;
    int deepest = 1;
    for (const auto& g : kernels_->groups) deepest = std::max(deepest, g.decimation);
    for (int d = 2; d <= deepest; d *= 2) lower[d] = decimateBy2(d == 2 ? x : lower[d / 2]);
    std::vector<std::unique_ptr<RealFft>> ffts;
    for (const auto& g : kernels_->groups) ffts.push_back(std::make_unique<RealFft>(g.fftSize));
    for (int f = 0; f < frames; ++f) {
        for (size_t gi = 0; gi < kernels_->groups.size(); ++gi) {
            const auto& g = kernels_->groups[gi];
            const std::vector<float>& sig = g.decimation == 1 ? x : lower[g.decimation];
            const long long len = (long long)sig.size();
            const long long centre = (long long)f * (cfg_.hop / g.decimation);
            RealFft& fft = *ffts[gi];
            float* in = fft.input();
            const int n = g.fftSize;
            std::memset(in, 0, sizeof(float) * size_t(n));
            // Offsets m >= 0 go to in[m], m < 0 to in[n + m]; samples outside the signal stay 0.
            const long long a0 = std::max(0LL, centre), a1 = std::min(len, centre + g.right + 1);
            if (a1 > a0) std::memcpy(in, sig.data() + a0, sizeof(float) * size_t(a1 - a0));
            const long long b0 = std::max(0LL, centre - g.left), b1 = std::min(len, centre);
            if (b1 > b0) std::memcpy(in + n - (centre - b0), sig.data() + b0, sizeof(float) * size_t(b1 - b0));
            const float* spec = reinterpret_cast<const float*>(fft.forward());
            for (size_t b = 0; b < g.bins.size(); ++b) {
                double re = 0, im = 0;
                accumulateBin(spec, g.bins[b], re, im);
                emit(f, g.firstBin + int(b), re, im);
            }
        }
    }
}

Matrix Cqt::compute(const std::vector<float>& signal) const
{
    Matrix out(frameCount((long long)signal.size()), cfg_.nBins);
    const double amin = cfg_.amin;
    run(signal, [&](int f, int k, double re, double im) {
        const double p = re * re + im * im;
        out(f, k) = cfg_.toDb ? float(10.0 * std::log10(std::max(p, amin))) : float(p);
    });
    return out;
}

Matrix Cqt::computeComplex(const std::vector<float>& signal) const
{
    Matrix out(frameCount((long long)signal.size()), 2 * cfg_.nBins);
    run(signal, [&](int f, int k, double re, double im) {
        out(f, 2 * k) = float(re);
        out(f, 2 * k + 1) = float(im);
    });
    return out;
}

std::vector<Matrix> cutPatches(const Matrix& m, const PatchConfig& c)
{
    if (c.frames < 1 || c.hop < 1) throw std::invalid_argument("cutPatches: frames and hop must be positive");
    std::vector<Matrix> out;
    if (m.rows < c.frames) {
        if (c.padShort && m.rows > 0) {
            Matrix p(c.frames, m.cols, c.padValue);
            std::copy(m.data.begin(), m.data.end(), p.data.begin());
            out.push_back(std::move(p));
        }
        return out;
    }
    for (int first = 0; first + c.frames <= m.rows; first += c.hop) out.push_back(m.slice(first, c.frames));
    return out;
}

}  // namespace stemscope
