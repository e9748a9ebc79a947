#pragma once
// INTERNAL (includes LibTorch): STFT framing shared by the separator's inference and training.
// Frame t is centred on sample t*hop (Hann window, periodic), samples outside the signal are zero;
// this equals torch::stft(center=true, pad_mode="constant"), which training uses on whole batches.
#include <torch/torch.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace stemscope::detail {

class StftFrames {
public:
    StftFrames(int nFft, int hop) : n_(nFft), h_(hop), window_(torch::hann_window(nFft, torch::kFloat)) {}

    long long frameCount(long long samples) const { return 1 + samples / h_; }
    const torch::Tensor& window() const { return window_; }

    // Complex spectra [count, n/2+1] of frames [first, first+count) of x (length N).
    torch::Tensor analyse(const float* x, long long N, long long first, long long count) const
    {
        const long long start = first * h_ - n_ / 2, len = (count - 1) * h_ + n_;
        std::vector<float> buf(size_t(len), 0.f);
        const long long a = std::max(0LL, start), b = std::min(N, start + len);
        if (b > a) std::memcpy(buf.data() + (a - start), x + a, size_t(b - a) * sizeof(float));
        auto frames = torch::from_blob(buf.data(), {len}, torch::kFloat).unfold(0, n_, h_) * window_;
        return torch::fft::rfft(frames, n_, 1);
    }

    // Inverse FFT of spectra [count, n/2+1] (frames first..), windowed, added into y (length N);
    // `norm` (optional) accumulates the squared window for the final normalisation.
    void overlapAdd(const torch::Tensor& spectra, long long first, float* y, long long N, float* norm) const
    {
        auto frames = (torch::fft::irfft(spectra, n_, 1) * window_).contiguous();
        const float* f = frames.data_ptr<float>();
        const float* w = window_.data_ptr<float>();
        for (long long t = 0; t < frames.size(0); ++t) {
            const long long start = (first + t) * h_ - n_ / 2;
            const long long i0 = std::max(0LL, -start), i1 = std::min<long long>(n_, N - start);
            for (long long i = i0; i < i1; ++i) {
                y[start + i] += f[t * n_ + i];
                if (norm) norm[start + i] += w[i] * w[i];
            }
        }
    }

private:
    int n_, h_;
    torch::Tensor window_;
};

}  // namespace stemscope::detail
