#pragma once
// Shape of the mask separator (torch-free). It works on the analysis rate (22050 Hz): the
// embeddings listen at 22050 Hz, so separating at 44.1 kHz would only cost time.
// STFT: Hann window nFft, hop nFft/4. Two networks (MaskNet.h), both ending in a softmax across
// sources, so the masks sum to one in every time-frequency bin and the stems always add up to the
// mixture:
//  * Tcn: log-magnitude -> BatchNorm over bins -> 1x1 conv to `hidden` channels -> `blocks`
//    residual dilated temporal convolutions (kernel 3, dilation 1, 2, 4, ...) -> 1x1 conv to
//    sources x bins.
//  * BandSplit (BandSplitNet.h): the bins are cut into bands (bandEdges(): 100 Hz wide below 1 kHz,
//    250 Hz to 4 kHz, 500 Hz to 8 kHz, 1 kHz above), each band projected to `hidden` features; each
//    of `blocks` blocks is a dilated temporal convolution (weights shared by the bands) and a
//    convolution across neighbouring bands; a small network per band returns its bins' masks.
#include <string>
#include <vector>

namespace stemscope {

enum class SeparatorArch { Tcn, BandSplit };

struct SeparatorSpec {
    double sampleRate = 22050.0;
    int nFft = 1024;
    int hop = 256;
    int hidden = 256;
    int blocks = 4;
    SeparatorArch arch = SeparatorArch::Tcn;
    std::vector<std::string> sources{"drums", "bass", "piano", "guitar", "other"};
    int bins() const { return nFft / 2 + 1; }
    // Frames each side that influence one output frame (the receptive field's half-width).
    int contextFrames() const
    {
        int r = 0, d = 1;
        for (int b = 0; b < blocks; ++b, d *= 2) r += d;
        return r;
    }
    // BandSplit: first bin of each band, then bins(); strictly increasing.
    std::vector<int> bandEdges() const;
    bool operator==(const SeparatorSpec& o) const
    {
        return sampleRate == o.sampleRate && nFft == o.nFft && hop == o.hop && hidden == o.hidden &&
               blocks == o.blocks && arch == o.arch && sources == o.sources;
    }
};

const char* separatorArchName(SeparatorArch a);  // "tcn", "bandsplit"

}  // namespace stemscope
