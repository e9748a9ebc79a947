#pragma once
// Thin RAII wrapper over FFTW3 single-precision plans. Plans are created under a global lock
// (FFTW's planner is not thread-safe); executing them is, each object owning its buffers.
#include <complex>
#include <memory>
#include <mutex>
#include <vector>

namespace stemscope {

class RealFft {
public:
    explicit RealFft(int size);
    ~RealFft();
    RealFft(const RealFft&) = delete;
    RealFft& operator=(const RealFft&) = delete;

    int size() const { return n_; }
    int bins() const { return n_ / 2 + 1; }
    // Input buffer of size(); fill it then call forward(). Output has bins() values.
    float* input() { return in_; }
    const std::complex<float>* forward();
    // Inverse: fill spectrum() (bins() values), call inverse(); result (unnormalised) in input().
    std::complex<float>* spectrum() { return reinterpret_cast<std::complex<float>*>(out_); }
    const float* inverse();

private:
    int n_;
    float* in_;
    void* out_;
    void* fwd_;
    void* inv_;
};

// FFTW's planner is not thread-safe: anything in core that creates FFTW plans takes this lock.
std::mutex& fftwPlannerMutex();

// One-shot double-precision forward complex DFT, X[j] = sum_i x[i] exp(-2 pi i ij/N), in place.
// For precomputing kernels (it plans on every call; not meant for inner loops).
void complexDftInPlace(std::vector<std::complex<double>>& data);

}  // namespace stemscope
