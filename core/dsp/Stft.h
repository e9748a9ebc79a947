#pragma once
// Short-time Fourier transform with torch/librosa conventions: periodic Hann window, frames
// centred on t = frame*hop (signal reflect-padded by nFft/2), one-sided spectrum.
#include <complex>
#include <vector>

#include "dsp/Matrix.h"

namespace stemscope {

struct StftConfig {
    int nFft = 2048;
    int hop = 512;
    bool center = true;
};

std::vector<float> hannWindow(int n, bool periodic = true);

// Number of frames stft() yields for a signal of `length` samples.
int stftFrameCount(long long length, const StftConfig& config);

// |X|^power per frame: rows = frames, cols = nFft/2+1.
Matrix powerSpectrogram(const std::vector<float>& signal, const StftConfig& config, float power = 2.f);

// Complex STFT (frames x bins) and its inverse (weighted overlap-add, exact for the Hann/hop used
// here whenever hop <= nFft/2). `length` trims the output to the original length.
struct ComplexSpectrogram {
    int frames = 0;
    int bins = 0;
    std::vector<std::complex<float>> data; // row-major frames x bins
};
ComplexSpectrogram stft(const std::vector<float>& signal, const StftConfig& config);
std::vector<float> istft(const ComplexSpectrogram& spec, const StftConfig& config, long long length);

}  // namespace stemscope
