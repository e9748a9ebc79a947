#include "dsp/Fft.h"

#include <fftw3.h>

#include <mutex>
#include <stdexcept>

namespace stemscope {

std::mutex& fftwPlannerMutex()
{
    static std::mutex m;
    return m;
}

void complexDftInPlace(std::vector<std::complex<double>>& data)
{
    if (data.empty()) return;
    fftw_plan plan;
    auto* buf = reinterpret_cast<fftw_complex*>(data.data());
    {
        std::lock_guard<std::mutex> lock(fftwPlannerMutex());
        plan = fftw_plan_dft_1d(int(data.size()), buf, buf, FFTW_FORWARD, FFTW_ESTIMATE);
    }
    if (!plan) throw std::runtime_error("complexDftInPlace: FFTW planning failed");
    fftw_execute(plan);
    std::lock_guard<std::mutex> lock(fftwPlannerMutex());
    fftw_destroy_plan(plan);
}

RealFft::RealFft(int size) : n_(size)
{
    if (size < 2) throw std::invalid_argument("RealFft: size must be >= 2");
    std::lock_guard<std::mutex> lock(fftwPlannerMutex());
    in_ = fftwf_alloc_real(size_t(n_));
    out_ = fftwf_alloc_complex(size_t(bins()));
    auto* out = static_cast<fftwf_complex*>(out_);
    fwd_ = fftwf_plan_dft_r2c_1d(n_, in_, out, FFTW_ESTIMATE | FFTW_DESTROY_INPUT);
    inv_ = fftwf_plan_dft_c2r_1d(n_, out, in_, FFTW_ESTIMATE | FFTW_DESTROY_INPUT);
    if (!in_ || !out_ || !fwd_ || !inv_) throw std::runtime_error("RealFft: FFTW allocation failed");
}

RealFft::~RealFft()
{
    std::lock_guard<std::mutex> lock(fftwPlannerMutex());
    fftwf_destroy_plan(static_cast<fftwf_plan>(fwd_));
    fftwf_destroy_plan(static_cast<fftwf_plan>(inv_));
    fftwf_free(in_);
    fftwf_free(out_);
}

const std::complex<float>* RealFft::forward()
{
    fftwf_execute(static_cast<fftwf_plan>(fwd_));
    return reinterpret_cast<const std::complex<float>*>(out_);
}

const float* RealFft::inverse()
{
    fftwf_execute(static_cast<fftwf_plan>(inv_));
    return in_;
}

}  // namespace stemscope
