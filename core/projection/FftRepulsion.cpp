#include "projection/FftRepulsion.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <stdexcept>

#include "dsp/Fft.h"
#include "projection/Parallel.h"

namespace stemscope::projection {
namespace {

// The transforms are cut into a fixed number of parts (whatever the thread count), so that the
// plans and therefore the results never depend on how many threads run them.
constexpr int kParts = 2;

// Smallest m >= v whose only prime factors are 2, 3 and 5 (fast FFTW sizes).
// Box width for a map of this span: quantised (powers of 1.25 below the cap) so that the kernel
// spectra are reused while the map grows slowly.
double boxWidthFor(double span, const FftRepulsionOptions& o)
{
    double width = span / o.minBoxes;
    width = width >= o.maxBoxWidth ? o.maxBoxWidth
                                   : std::min(o.maxBoxWidth, std::pow(1.25, std::ceil(std::log(width) / std::log(1.25))));
    return std::max(width, span / o.maxBoxes);
}

int smooth235(int v)
{
    for (int m = std::max(v, 1);; ++m) {
        int r = m;
        for (int f : {2, 3, 5})
            while (r % f == 0)
                r /= f;
        if (r == 1) return m;
    }
}


struct FftwFree {
    void operator()(void* p) const { fftwf_free(p); }
};
using RealBuf = std::unique_ptr<float, FftwFree>;
using ComplexBuf = std::unique_ptr<fftwf_complex, FftwFree>;

int partBegin(int n, int part)
{
    return int(int64_t(n) * part / kParts);
}

} // namespace

// One charge (1 per point) is spread to the grid and transformed once. The repulsion
// sum_j w_ij^2 (y_i - y_j) is the convolution of that charge with the vector kernel d / (1 + |d|^2)^2
// (two inverse transforms, one per axis), and Z = sum_ij w_ij is rho^T (K * rho) for the plain kernel
// 1 / (1 + |d|^2), read off the spectrum by Parseval. The zero-padded transforms are pruned row/column
// passes: only the `grid` non-zero rows go forward and come back.
struct FftRepulsion::Impl {
    FftRepulsionOptions o;
    int boxes = 0, grid = 0, padded = 0, bins = 0; // bins = padded / 2 + 1 (r2c half spectrum)
    double boxWidth = 0.0;
    RealBuf charge;                // grid rows x padded; columns >= grid stay zero
    RealBuf potential[2];          // grid rows x padded: x and y repulsion potentials (unnormalised)
    ComplexBuf rows;               // padded x bins: row spectra of the charge, rows >= grid stay zero
    ComplexBuf spectrum;           // padded x bins: 2-D spectrum of the charge
    ComplexBuf product[2];         // padded x bins: spectrum times the x / y kernel spectrum
    std::vector<float> cauchyHat;  // real (even kernel)
    std::vector<float> gradHat[2]; // imaginary parts (odd kernels)
    fftwf_plan rowForward[kParts] = {}, colForward[kParts] = {}, colInverse[kParts] = {}, rowInverse[kParts] = {};
    std::vector<double> zColumn; // Parseval terms per spectrum column (summed in a fixed order)
    std::vector<int> boxX, boxY;
    std::vector<double> wx, wy;

    ~Impl() { destroyPlans(); }

    void destroyPlans()
    {
        std::lock_guard<std::mutex> lock(fftwPlannerMutex());
        for (int p = 0; p < kParts; ++p)
            for (fftwf_plan* plan : {&rowForward[p], &colForward[p], &colInverse[p], &rowInverse[p]})
                if (*plan) {
                    fftwf_destroy_plan(*plan);
                    *plan = nullptr;
                }
    }

    size_t spectrumSize() const { return size_t(padded) * size_t(bins); }

    void allocate(int newBoxes)
    {
        destroyPlans();
        boxes = newBoxes;
        grid = boxes * o.nodesPerBox;
        padded = 2 * grid;
        bins = padded / 2 + 1;
        const size_t realSize = size_t(grid) * size_t(padded);
        charge.reset(fftwf_alloc_real(realSize));
        rows.reset(fftwf_alloc_complex(spectrumSize()));
        spectrum.reset(fftwf_alloc_complex(spectrumSize()));
        bool ok = charge && rows && spectrum;
        for (int d = 0; d < 2; ++d) {
            potential[d].reset(fftwf_alloc_real(realSize));
            product[d].reset(fftwf_alloc_complex(spectrumSize()));
            ok = ok && potential[d] && product[d];
        }
        if (!ok) throw std::bad_alloc();
        std::fill(charge.get(), charge.get() + realSize, 0.f);
        std::fill(&rows.get()[0][0], &rows.get()[0][0] + 2 * spectrumSize(), 0.f);
        const int n[1] = {padded};
        std::lock_guard<std::mutex> lock(fftwPlannerMutex());
        for (int p = 0; p < kParts; ++p) {
            const int r0 = partBegin(grid, p), r1 = partBegin(grid, p + 1);
            const int b0 = partBegin(bins, p), b1 = partBegin(bins, p + 1);
            const size_t ro = size_t(r0) * size_t(bins);
            rowForward[p] = fftwf_plan_many_dft_r2c(1, n, r1 - r0, charge.get() + size_t(r0) * size_t(padded), nullptr,
                                                    1, padded, rows.get() + ro, nullptr, 1, bins, FFTW_ESTIMATE);
            colForward[p] = fftwf_plan_many_dft(1, n, b1 - b0, rows.get() + b0, nullptr, bins, 1, spectrum.get() + b0,
                                                nullptr, bins, 1, FFTW_FORWARD, FFTW_ESTIMATE);
            colInverse[p] = fftwf_plan_many_dft(1, n, b1 - b0, product[0].get() + b0, nullptr, bins, 1,
                                                product[0].get() + b0, nullptr, bins, 1, FFTW_BACKWARD, FFTW_ESTIMATE);
            rowInverse[p] = fftwf_plan_many_dft_c2r(1, n, r1 - r0, product[0].get() + ro, nullptr, 1, bins,
                                                    potential[0].get() + size_t(r0) * size_t(padded), nullptr, 1,
                                                    padded, FFTW_ESTIMATE);
            if (!rowForward[p] || !colForward[p] || !colInverse[p] || !rowInverse[p])
                throw std::runtime_error("t-SNE FFT repulsion: FFTW planning failed");
        }
        boxWidth = -1.0;
    }

    // Spectrum of a circulant-embedded kernel k(dx, dy) on the node grid; keeps the real part (even
    // kernels) or the imaginary part (kernels odd in one axis).
    void kernelSpectrum(double (*k)(double, double), bool imaginary, std::vector<float>& out) const
    {
        const double h = boxWidth / o.nodesPerBox;
        RealBuf in(fftwf_alloc_real(size_t(padded) * size_t(padded)));
        ComplexBuf hat(fftwf_alloc_complex(spectrumSize()));
        if (!in || !hat) throw std::bad_alloc();
        fftwf_plan plan;
        {
            std::lock_guard<std::mutex> lock(fftwPlannerMutex());
            plan = fftwf_plan_dft_r2c_2d(padded, padded, in.get(), hat.get(), FFTW_ESTIMATE);
        }
        if (!plan) throw std::runtime_error("t-SNE FFT repulsion: FFTW planning failed");
        for (int a = 0; a < padded; ++a) {
            const double dx = h * (a < grid ? a : a - padded);
            for (int b = 0; b < padded; ++b) {
                const double dy = h * (b < grid ? b : b - padded);
                in.get()[size_t(a) * size_t(padded) + size_t(b)] = (a == grid || b == grid) ? 0.f : float(k(dx, dy));
            }
        }
        fftwf_execute(plan);
        {
            std::lock_guard<std::mutex> lock(fftwPlannerMutex());
            fftwf_destroy_plan(plan);
        }
        out.resize(spectrumSize());
        for (size_t i = 0; i < out.size(); ++i) out[i] = hat.get()[i][imaginary ? 1 : 0];
    }

    void prepare(int newBoxes, double newWidth)
    {
        if (newBoxes != boxes || !rowForward[0]) allocate(newBoxes);
        if (newWidth == boxWidth) return;
        boxWidth = newWidth;
        kernelSpectrum([](double dx, double dy) { return 1.0 / (1.0 + dx * dx + dy * dy); }, false, cauchyHat);
        kernelSpectrum(
            [](double dx, double dy) {
                const double w = 1.0 / (1.0 + dx * dx + dy * dy);
                return w * w * dx;
            },
            true, gradHat[0]);
        kernelSpectrum(
            [](double dx, double dy) {
                const double w = 1.0 / (1.0 + dx * dx + dy * dy);
                return w * w * dy;
            },
            true, gradHat[1]);
    }

    void forwardRows(int part) { fftwf_execute(rowForward[part]); }

    // Column transform of the charge, Parseval terms of Z, the two kernel products, their inverse
    // column transforms.
    void columns(int part)
    {
        const int b0 = partBegin(bins, part), b1 = partBegin(bins, part + 1);
        fftwf_execute(colForward[part]);
        const fftwf_complex* s = spectrum.get();
        fftwf_complex *px = product[0].get(), *py = product[1].get();
        for (int a = 0; a < padded; ++a) {
            const size_t row = size_t(a) * size_t(bins);
            for (int b = b0; b < b1; ++b) {
                const size_t i = row + size_t(b);
                const float re = s[i][0], im = s[i][1];
                // A half spectrum counts its mirrored columns twice.
                const double weight = (b == 0 || 2 * b == padded) ? 1.0 : 2.0;
                zColumn[size_t(b)] += weight * double(cauchyHat[i]) * (double(re) * re + double(im) * im);
                // (re + i im) * (i g) = -g im + i g re
                const float gx = gradHat[0][i], gy = gradHat[1][i];
                px[i][0] = -gx * im;
                px[i][1] = gx * re;
                py[i][0] = -gy * im;
                py[i][1] = gy * re;
            }
        }
        fftwf_execute(colInverse[part]);
        fftwf_execute_dft(colInverse[part], py + b0, py + b0);
    }

    void inverseRows(int part)
    {
        fftwf_execute(rowInverse[part]);
        const size_t r0 = size_t(partBegin(grid, part));
        fftwf_execute_dft_c2r(rowInverse[part], product[1].get() + r0 * size_t(bins),
                              potential[1].get() + r0 * size_t(padded));
    }
};

FftRepulsion::FftRepulsion(FftRepulsionOptions options) : impl_(std::make_unique<Impl>())
{
    if (options.nodesPerBox < 2 || options.nodesPerBox > 12 || options.minBoxes < 1 ||
        options.maxBoxes < options.minBoxes || !(options.maxBoxWidth > 0))
        throw std::invalid_argument("FftRepulsion: bad options");
    impl_->o = options;
}

FftRepulsion::~FftRepulsion() = default;

int FftRepulsion::lastGridSize() const
{
    return impl_->grid;
}

double FftRepulsion::compute(const std::vector<double>& y, int threads, std::vector<double>& rep)
{
    Impl& s = *impl_;
    const int n = int(y.size() / 2), p = s.o.nodesPerBox;
    rep.assign(2 * size_t(n), 0.0);
    if (n < 2) return 0.0;

    // Square domain over both coordinates. The box width is quantised (powers of 1.25 below the cap)
    // so that the kernel spectra are reused while the map grows slowly.
    double lo = y[0], hi = y[0];
    bool finite = true;
    for (double v : y) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        finite = finite && std::isfinite(v);
    }
    if (!finite) throw std::runtime_error("t-SNE diverged: non-finite map coordinates");
    const double span = std::max(hi - lo, 1e-12) * (1.0 + 1e-9);
    const double width = boxWidthFor(span, s.o);
    const int boxes = smooth235(std::max(s.o.minBoxes, int(std::ceil(span / width))));
    s.prepare(boxes, width);
    const int g = s.grid;
    const size_t stride = size_t(s.padded);

    // Box and Lagrange weights per point (nodes at (m + 0.5) / p inside the box).
    s.boxX.resize(size_t(n));
    s.boxY.resize(size_t(n));
    s.wx.resize(size_t(n) * size_t(p));
    s.wy.resize(size_t(n) * size_t(p));
    double node[16], denom[16];
    for (int m = 0; m < p; ++m)
        node[m] = (m + 0.5) / p;
    for (int m = 0; m < p; ++m) {
        denom[m] = 1.0;
        for (int l = 0; l < p; ++l)
            if (l != m) denom[m] *= node[m] - node[l];
    }
    parallelFor(
        n, threads,
        [&](int b, int e) {
            for (int i = b; i < e; ++i)
                for (int axis = 0; axis < 2; ++axis) {
                    const double u = (y[2 * size_t(i) + size_t(axis)] - lo) / width;
                    const int box = std::min(boxes - 1, std::max(0, int(u)));
                    const double t = u - box;
                    double* w = (axis == 0 ? s.wx.data() : s.wy.data()) + size_t(i) * size_t(p);
                    for (int m = 0; m < p; ++m) {
                        double v = 1.0;
                        for (int l = 0; l < p; ++l)
                            if (l != m) v *= t - node[l];
                        w[m] = v / denom[m];
                    }
                    (axis == 0 ? s.boxX : s.boxY)[size_t(i)] = box;
                }
        },
        1024);

    // Spread the unit charges (sequential: a fixed summation order). Rows are x nodes, columns y nodes.
    float* q = s.charge.get();
    for (int a = 0; a < g; ++a)
        std::fill(q + size_t(a) * stride, q + size_t(a) * stride + size_t(g), 0.f);
    for (int i = 0; i < n; ++i) {
        const double* wx = s.wx.data() + size_t(i) * size_t(p);
        const double* wy = s.wy.data() + size_t(i) * size_t(p);
        float* cell = q + size_t(s.boxX[size_t(i)]) * size_t(p) * stride + size_t(s.boxY[size_t(i)]) * size_t(p);
        for (int a = 0; a < p; ++a)
            for (int b = 0; b < p; ++b)
                cell[size_t(a) * stride + size_t(b)] += float(wx[a] * wy[b]);
    }

    // Convolve: forward rows, columns (with the products), inverse rows; each pass split in parts.
    s.zColumn.assign(size_t(s.bins), 0.0);
    const int workers = std::min(resolveThreads(threads), kParts);
    const auto inParts = [&](void (Impl::*pass)(int)) {
        parallelFor(
            kParts, workers,
            [&](int b, int e) {
                for (int part = b; part < e; ++part)
                    (s.*pass)(part);
            },
            1);
    };
    inParts(&Impl::forwardRows);
    inParts(&Impl::columns);
    inParts(&Impl::inverseRows);
    const double scale = 1.0 / (double(s.padded) * double(s.padded));

    // Interpolate the two potentials back to the points.
    parallelFor(
        n, threads,
        [&](int b, int e) {
            for (int i = b; i < e; ++i) {
                const double* wx = s.wx.data() + size_t(i) * size_t(p);
                const double* wy = s.wy.data() + size_t(i) * size_t(p);
                const size_t base =
                    size_t(s.boxX[size_t(i)]) * size_t(p) * stride + size_t(s.boxY[size_t(i)]) * size_t(p);
                const float *fx = s.potential[0].get() + base, *fy = s.potential[1].get() + base;
                double rx = 0.0, ry = 0.0;
                for (int a = 0; a < p; ++a) {
                    double sx = 0.0, sy = 0.0;
                    for (int bb = 0; bb < p; ++bb) {
                        sx += wy[bb] * double(fx[size_t(a) * stride + size_t(bb)]);
                        sy += wy[bb] * double(fy[size_t(a) * stride + size_t(bb)]);
                    }
                    rx += wx[a] * sx;
                    ry += wx[a] * sy;
                }
                rep[2 * size_t(i)] = scale * rx;
                rep[2 * size_t(i) + 1] = scale * ry;
            }
        },
        1024);
    // Z = rho^T (K * rho) over the grid: sum_i sum_j w_ij including the n self pairs (w_ii = 1).
    double z = 0.0;
    for (double v : s.zColumn)
        z += v;
    return z * scale - n;
}

long long FftRepulsion::paddedNodes(const std::vector<double>& y) const
{
    if (y.size() < 4) return 0;
    const auto [lo, hi] = std::minmax_element(y.begin(), y.end());
    const double span = std::max(*hi - *lo, 1e-12) * (1.0 + 1e-9);
    const int boxes = smooth235(std::max(impl_->o.minBoxes, int(std::ceil(span / boxWidthFor(span, impl_->o)))));
    const long long padded = 2LL * boxes * impl_->o.nodesPerBox;
    return padded * padded;
}

} // namespace stemscope::projection
