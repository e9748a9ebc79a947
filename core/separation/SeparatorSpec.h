#pragma once
// Shape of the mask separator (torch-free). It works on the analysis rate (22050 Hz): the
// embeddings listen at 22050 Hz, so separating at 44.1 kHz would only cost time.
// STFT: Hann window nFft, hop nFft/4. Network (MaskNet.h): log-magnitude -> BatchNorm over bins
// -> 1x1 conv to `hidden` channels -> `blocks` residual dilated temporal convolutions (kernel 3,
// dilation 1, 2, 4, ...) -> 1x1 conv to sources x bins -> softmax across sources. The softmax masks
// sum to one in every time-frequency bin, so the stems always add up to the mixture.
#include <string>
#include <vector>

namespace stemscope {

struct SeparatorSpec {
    double sampleRate = 22050.0;
    int nFft = 1024;
    int hop = 256;
    int hidden = 256;
    int blocks = 4;
    std::vector<std::string> sources{"drums", "bass", "piano", "guitar", "other"};
    int bins() const { return nFft / 2 + 1; }
    // Frames each side that influence one output frame (the receptive field's half-width).
    int contextFrames() const
    {
        int r = 0, d = 1;
        for (int b = 0; b < blocks; ++b, d *= 2) r += d;
        return r;
    }
    bool operator==(const SeparatorSpec& o) const
    {
        return sampleRate == o.sampleRate && nFft == o.nFft && hop == o.hop && hidden == o.hidden &&
               blocks == o.blocks && sources == o.sources;
    }
};

}  // namespace stemscope
