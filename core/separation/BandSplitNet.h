#pragma once
// INTERNAL (includes LibTorch): the band-split mask network (SeparatorArch::BandSplit), after
// Luo & Yu's band-split RNN with convolutions in place of its LSTMs, so that one output frame
// depends only on +-contextFrames() input frames (the separator runs in chunks). Include only
// from MaskNet.h.
#include <torch/torch.h>

#include "separation/SeparatorSpec.h"

namespace stemscope::detail {

struct BandSplitNetImpl : torch::nn::Module {
    explicit BandSplitNetImpl(const SeparatorSpec& spec)
        : edges(spec.bandEdges()), sources(long(spec.sources.size())), dim(spec.hidden)
    {
        inNorm = register_module("in_norm", torch::nn::BatchNorm1d(spec.bins()));
        for (size_t k = 0; k + 1 < edges.size(); ++k) {
            const long w = edges[k + 1] - edges[k];
            inProj->push_back(torch::nn::Linear(w, dim));
            outHidden->push_back(torch::nn::Linear(dim, dim));
            outProj->push_back(torch::nn::Linear(dim, sources * w));
        }
        register_module("in_proj", inProj);
        register_module("out_hidden", outHidden);
        register_module("out_proj", outProj);
        const long bands = long(edges.size()) - 1;
        // Features live as [N, D, bands, frames]: both convolutions are 2-D ones with a 1-wide
        // kernel axis, so no block transposes anything.
        int d = 1;
        for (int b = 0; b < spec.blocks; ++b, d *= 2) {
            timeConvs->push_back(torch::nn::Conv2d(
                torch::nn::Conv2dOptions(dim, dim, {1, 3}).padding({0, d}).dilation({1, d}).bias(false)));
            timeBns->push_back(torch::nn::BatchNorm2d(dim));
            // Across bands: dilations 1, 2, 4, 8, ... while they fit, so a few blocks reach every band.
            long e = 1L << (b % 4);
            while (e > 1 && e >= bands) e /= 2;
            bandConvs->push_back(torch::nn::Conv2d(
                torch::nn::Conv2dOptions(dim, dim, {3, 1}).padding({e, 0}).dilation({e, 1}).bias(false)));
            bandBns->push_back(torch::nn::BatchNorm2d(dim));
        }
        register_module("time_convs", timeConvs);
        register_module("time_bns", timeBns);
        register_module("band_convs", bandConvs);
        register_module("band_bns", bandBns);
    }

    // mag: [N, bins, frames] -> masks [N, sources, bins, frames], summing to 1 over sources.
    torch::Tensor forward(const torch::Tensor& mag)
    {
        const long N = mag.size(0), T = mag.size(2), K = long(edges.size()) - 1;
        const auto x = inNorm(torch::log(mag + 1e-5)).transpose(1, 2);  // [N, T, F]
        std::vector<torch::Tensor> parts;
        for (long k = 0; k < K; ++k)
            parts.push_back(inProj[size_t(k)]->as<torch::nn::Linear>()->forward(x.narrow(2, edges[size_t(k)], width(k))).transpose(1, 2));
        auto z = torch::stack(parts, 2);  // [N, D, K, T]
        for (size_t b = 0; b < timeConvs->size(); ++b) {
            z = z + torch::relu(timeBns[b]->as<torch::nn::BatchNorm2d>()->forward(timeConvs[b]->as<torch::nn::Conv2d>()->forward(z)));
            z = z + torch::relu(bandBns[b]->as<torch::nn::BatchNorm2d>()->forward(bandConvs[b]->as<torch::nn::Conv2d>()->forward(z)));
        }
        const auto y = z.permute({0, 2, 3, 1});  // [N, K, T, D]
        std::vector<torch::Tensor> logits;
        for (long k = 0; k < K; ++k) {
            const auto h = torch::tanh(outHidden[size_t(k)]->as<torch::nn::Linear>()->forward(y.select(1, k)));
            logits.push_back(outProj[size_t(k)]->as<torch::nn::Linear>()->forward(h).view({N, T, sources, width(k)}));
        }
        return torch::softmax(torch::cat(logits, 3).permute({0, 2, 3, 1}), 1);  // [N, S, F, T]
    }

    long width(long k) const { return edges[size_t(k) + 1] - edges[size_t(k)]; }

    std::vector<int> edges;
    long sources, dim;
    torch::nn::BatchNorm1d inNorm{nullptr};
    torch::nn::ModuleList inProj, outHidden, outProj, timeConvs, timeBns, bandConvs, bandBns;
};
TORCH_MODULE(BandSplitNet);

}  // namespace stemscope::detail
