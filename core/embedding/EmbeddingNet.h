#pragma once
// INTERNAL (includes LibTorch): the embedding CNN shared by TorchEmbedder.cpp and the trainer.
// Include only from .cpp files.
#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "embedding/ModelSpec.h"
#include "embedding/TorchEmbedder.h"  // resolveModelFile
#include "util/AtomicFile.h"

namespace stemscope::detail {

struct EmbeddingNetImpl : torch::nn::Module {
    explicit EmbeddingNetImpl(const ModelSpec& spec) : spec_(spec)
    {
        int in = 1;
        if (spec.arch == ModelArch::Temporal) {
            inNorm1d = register_module("in_norm", torch::nn::BatchNorm1d(spec.bands));
            in = spec.bands;
        } else {
            inNorm2d = register_module("in_norm", torch::nn::BatchNorm2d(1));
        }
        const bool harmonic = spec.arch == ModelArch::Harmonic;
        if (harmonic && spec.features != EmbedderFeatures::Cqt)
            throw std::runtime_error("harmonic model: needs constant-Q input (12 bins per octave), not log-mel");
        if (spec.arch == ModelArch::Hybrid || harmonic) {
            if (spec.bands % (harmonic ? 2 : 4) != 0)
                throw std::runtime_error(harmonic ? "harmonic model: constant-Q bins must be even"
                                                  : "hybrid model: mel bands must be a multiple of 4");
            if (harmonic) in = int(kHarmonicShifts.size());
            for (int i = 0; i < 2; ++i) {
                front->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, spec.channels[0], 3).padding(1).bias(false)));
                frontBns->push_back(torch::nn::BatchNorm2d(spec.channels[0]));
                in = spec.channels[0];
            }
            register_module("front", front);
            register_module("front_bns", frontBns);
            in = spec.channels[0] * (spec.bands / (harmonic ? 2 : 4));
        }
        for (int i = 0; i < 4; ++i) {
            if (spec.arch == ModelArch::Hybrid || harmonic) {
                const int out = spec.channels[size_t(std::min(i + 1, 3))];
                const int dilation = i >= 2 ? 2 : 1;
                convs->push_back(torch::nn::Conv1d(
                    torch::nn::Conv1dOptions(in, out, 3).padding(dilation).dilation(dilation).bias(false)));
                bns->push_back(torch::nn::BatchNorm1d(out));
                in = out;
                continue;
            }
            const int out = spec.channels[size_t(i)];
            if (spec.arch == ModelArch::Temporal) {
                convs->push_back(torch::nn::Conv1d(torch::nn::Conv1dOptions(in, out, 3).padding(1).bias(false)));
                bns->push_back(torch::nn::BatchNorm1d(out));
            } else {
                convs->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1).bias(false)));
                bns->push_back(torch::nn::BatchNorm2d(out));
            }
            in = out;
        }
        register_module("convs", convs);
        register_module("bns", bns);
        fc = register_module("fc", torch::nn::Linear(2 * in, spec.dim));
    }

    // x: [N, frames, bands] -> [N, dim], rows of unit length.
    torch::Tensor forward(torch::Tensor x) { return forward(x, nullptr, 0); }

    // The same, and (temporal stacks only) the activation of temporal layer `layer` after its ReLU,
    // before its pooling, into *hidden ([N, channels, frames / 2^layer]): what an auxiliary head
    // reads during training.
    torch::Tensor forward(torch::Tensor x, torch::Tensor* hidden, int layer, bool normalize = true)
    {
        if (hidden && spec_.arch == ModelArch::Conv2d) throw std::invalid_argument("a 2-D network has no temporal layers to read");
        torch::Tensor pooled;
        if (spec_.arch == ModelArch::Conv2d) {
            // Channels-last: the layout LibTorch's CPU convolutions run fastest on.
            x = inNorm2d(x.unsqueeze(1)).contiguous(torch::MemoryFormat::ChannelsLast);
            for (size_t i = 0; i < convs->size(); ++i) {
                x = convs[i]->as<torch::nn::Conv2d>()->forward(x);
                x = torch::relu(bns[i]->as<torch::nn::BatchNorm2d>()->forward(x));
                x = torch::max_pool2d(x, 2);
            }
            pooled = torch::cat({x.mean({2, 3}), x.amax({2, 3})}, 1);
        } else {
            if (spec_.arch == ModelArch::Temporal) {
                x = inNorm1d(x.transpose(1, 2)); // [N, bands, frames]: bands are the channels
            } else {
                // Hybrid: [N, 1, frames, bands] -> two 2-D blocks pooling mel by 2 each -> [N, c0 * bands/4, frames].
                // Harmonic: [N, 6, frames, bins] (the harmonic stack) -> two 2-D blocks, pitch pooled by 2
                // once, after both -> [N, c0 * bins/2, frames].
                x = inNorm2d(x.unsqueeze(1));
                const bool harmonic = spec_.arch == ModelArch::Harmonic;
                if (harmonic) x = harmonicStack(x);
                x = x.contiguous(torch::MemoryFormat::ChannelsLast);
                for (size_t i = 0; i < front->size(); ++i) {
                    x = front[i]->as<torch::nn::Conv2d>()->forward(x);
                    x = torch::relu(frontBns[i]->as<torch::nn::BatchNorm2d>()->forward(x));
                    if (!harmonic || i + 1 == front->size()) x = torch::max_pool2d(x, {1, 2});
                }
                const int64_t n = x.size(0), t = x.size(2);
                x = x.permute({0, 1, 3, 2}).reshape({n, -1, t});
            }
            for (size_t i = 0; i < convs->size(); ++i) {
                x = convs[i]->as<torch::nn::Conv1d>()->forward(x);
                x = torch::relu(bns[i]->as<torch::nn::BatchNorm1d>()->forward(x));
                if (hidden && int(i) == layer) *hidden = x;
                x = torch::max_pool1d(x, 2);
            }
            pooled = torch::cat({x.mean({2}), x.amax({2})}, 1);
        }
        auto y = fc(pooled);
        return normalize ? normalizeOutput(y) : y;
    }

    // The output before normalisation: a block's length says how strongly the network heard its
    // focus (the engine weights segments by it in a track's centroid, TorchEmbedder).
    torch::Tensor forwardUnnormalized(torch::Tensor x) { return forward(x, nullptr, 0, false); }

    // [N, dim] -> rows (or, for a multi-focus model, each focus block) of unit length.
    torch::Tensor normalizeOutput(const torch::Tensor& y) const
    {
        const auto unit = torch::nn::functional::NormalizeFuncOptions().dim(-1).eps(1e-8);
        if (spec_.subspaces <= 0) return torch::nn::functional::normalize(y, unit);
        // One unit vector per focus block (the masked triplet loss compares blocks, never the whole).
        const int64_t n = y.size(0);
        return torch::nn::functional::normalize(y.view({n, spec_.subspaces, spec_.subspaceDim()}), unit).view({n, spec_.dim});
    }

    // [N, dim] -> [N, blocks]: each focus block's length (one column for a one-space model).
    torch::Tensor blockNorms(const torch::Tensor& y) const
    {
        const int64_t blocks = std::max(1, spec_.subspaces);
        return y.view({y.size(0), blocks, spec_.dim / blocks}).norm(2, -1);
    }

    const ModelSpec& spec() const { return spec_; }

    // Constant-Q bin offsets (12 per octave) of the harmonics 1/2, 1, 2, 3, 4, 5: channel h at bin b holds
    // the energy at h times bin b's frequency (a harmonic CQT, Bittner et al. 2017, by shifting one
    // CQT instead of computing six). A 3x3 kernel then sees a note's whole harmonic series in one
    // place, whatever its pitch, so the detectors of "a guitar-like series here" are shared across pitch.
    static constexpr std::array<int, 6> kHarmonicShifts{-12, 0, 12, 19, 24, 28};
    // [N, 1, frames, bins] -> [N, 6, frames, bins]; bins shifted in from outside the range are 0 (the
    // normalised mean).
    static torch::Tensor harmonicStack(const torch::Tensor& x)
    {
        const int64_t bins = x.size(3);
        std::vector<torch::Tensor> layers;
        for (const int s : kHarmonicShifts) {
            if (s == 0 || std::abs(s) >= bins) {
                layers.push_back(s == 0 ? x : torch::zeros_like(x));
                continue;
            }
            const auto pad = torch::zeros({x.size(0), 1, x.size(2), std::abs(s)}, x.options());
            layers.push_back(s > 0 ? torch::cat({x.narrow(3, s, bins - s), pad}, 3)
                                   : torch::cat({pad, x.narrow(3, 0, bins + s)}, 3));
        }
        return torch::cat(layers, 1);
    }

    ModelSpec spec_;
    torch::nn::BatchNorm1d inNorm1d{nullptr}; // Temporal
    torch::nn::BatchNorm2d inNorm2d{nullptr}; // Conv2d, Hybrid, Harmonic
    torch::nn::ModuleList front;               // Hybrid, Harmonic: the 2-D layers before the temporal stack
    torch::nn::ModuleList frontBns;
    torch::nn::ModuleList convs;
    torch::nn::ModuleList bns;
    torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(EmbeddingNet);

// Model file: a torch::serialize archive with the parameters/buffers under "net/" and the spec as
// an int64 tensor "spec" = [version, bands, frames, dim, c0, c1, c2, c3, arch, subspaces, features]
// (version 1 files have no arch entry and are Conv2d; version 2 files have no subspaces entry: one
// space; versions 1-3 have no features entry: log-mel). Each file is written at the lowest version
// that holds its spec, so older builds keep reading the models they can run.
inline torch::Tensor specTensor(const ModelSpec& s)
{
    const bool cqt = s.features != EmbedderFeatures::LogMel;
    std::vector<int64_t> v{cqt ? 4 : s.subspaces > 0 ? 3 : 2, s.bands, s.frames, s.dim, s.channels[0],
                           s.channels[1], s.channels[2], s.channels[3], int64_t(s.arch)};
    if (s.subspaces > 0 || cqt) v.push_back(s.subspaces);
    if (cqt) v.push_back(int64_t(s.features));
    return torch::tensor(v, torch::kLong);
}

inline ModelSpec specFromTensor(const torch::Tensor& t)
{
    const int64_t version = t.numel() > 0 ? t[0].item<int64_t>() : 0;
    if (!((version == 1 && t.numel() == 8) || (version == 2 && t.numel() == 9) || (version == 3 && t.numel() == 10) ||
          (version == 4 && t.numel() == 11)))
        throw std::runtime_error("model file: unknown spec version");
    ModelSpec s;
    s.arch = version == 1 ? ModelArch::Conv2d : ModelArch(t[8].item<int64_t>());
    if (s.arch != ModelArch::Conv2d && s.arch != ModelArch::Temporal && s.arch != ModelArch::Hybrid &&
        s.arch != ModelArch::Harmonic)
        throw std::runtime_error("model file: unknown architecture");
    s.bands = int(t[1].item<int64_t>());
    s.frames = int(t[2].item<int64_t>());
    s.dim = int(t[3].item<int64_t>());
    for (int i = 0; i < 4; ++i) s.channels[size_t(i)] = int(t[4 + i].item<int64_t>());
    if (version == 3) {
        s.subspaces = int(t[9].item<int64_t>());
        if (s.subspaces <= 0 || s.dim % s.subspaces != 0) throw std::runtime_error("model file: bad subspace count");
    }
    if (version == 4) {
        s.subspaces = int(t[9].item<int64_t>());
        if (s.subspaces < 0 || (s.subspaces > 0 && s.dim % s.subspaces != 0))
            throw std::runtime_error("model file: bad subspace count");
        const int64_t f = t[10].item<int64_t>();
        if (f != int64_t(EmbedderFeatures::LogMel) && f != int64_t(EmbedderFeatures::Cqt))
            throw std::runtime_error("model file: unknown input features");
        s.features = EmbedderFeatures(f);
    }
    return s;
}

inline void saveModel(EmbeddingNet& net, const std::string& path)
{
    torch::serialize::OutputArchive root, sub;
    net->save(sub);
    root.write("spec", specTensor(net->spec()));
    root.write("net", sub);
    root.save_to(path);
}

inline EmbeddingNet loadModel(const std::string& path)
{
    torch::serialize::InputArchive root, sub;
    root.load_from(path);
    torch::Tensor spec;
    root.read("spec", spec);
    EmbeddingNet net(specFromTensor(spec));
    root.read("net", sub);
    net->load(sub);
    net->eval();
    return net;
}

// Runs `load` on the file resolveModelFile(path) names, with the messages every model reader gives:
// a missing file is named before anything reads it (a loader may hash the file first), and
// LibTorch's parse errors become runtime_errors naming the file.
template <class Load>
auto loadModelFile(const std::string& path, Load&& load) -> decltype(load(path))
{
    const std::string file = resolveModelFile(path);
    if (!std::filesystem::exists(file)) throw std::runtime_error("no model file: " + file);
    try {
        return load(file);
    } catch (const c10::Error& e) {
        throw std::runtime_error("cannot load model " + file + ": " + e.what_without_backtrace());
    }
}

// Training checkpoint of an EmbeddingNet: spec, parameters, optimiser state and one progress
// counter stored under `counter` ("epoch" for the focus trainer, "step" for the mix-model trainer).
// Written to a temporary file and renamed, so a kill never leaves half a checkpoint.
// `aux` (optional): a training-only module (an auxiliary head) saved beside the network.
inline void saveTrainingCheckpoint(EmbeddingNet& net, torch::optim::Optimizer& opt, const std::string& counter,
                                   int value, const std::string& path, torch::nn::Module* aux = nullptr)
{
    torch::serialize::OutputArchive root, netA, optA, auxA;
    net->save(netA);
    opt.save(optA);
    root.write("spec", specTensor(net->spec()));
    root.write("net", netA);
    if (aux) {
        aux->save(auxA);
        root.write("aux", auxA);
    }
    root.write("optim", optA);
    root.write(counter, torch::tensor({int64_t(value)}, torch::kLong));
    const std::filesystem::path p(path);
    if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
    writeFileAtomically(path, [&](std::ostream& out) { root.save_to(out); });
}

// Restores `net` and `opt` from a checkpoint written for the same spec; returns its counter.
inline int loadTrainingCheckpoint(EmbeddingNet& net, torch::optim::Optimizer& opt, const std::string& counter,
                                  const std::string& path, torch::nn::Module* aux = nullptr)
{
    torch::serialize::InputArchive root, netA, optA, auxA;
    root.load_from(path);
    torch::Tensor spec, value;
    root.read("spec", spec);
    if (!(specFromTensor(spec) == net->spec()))
        throw std::runtime_error("checkpoint " + path + " was written for another model shape");
    root.read("net", netA);
    net->load(netA);
    if (aux) {
        if (!root.try_read("aux", auxA))
            throw std::runtime_error("checkpoint " + path + " was written without the auxiliary head this run trains");
        aux->load(auxA);
    }
    root.read("optim", optA);
    opt.load(optA);
    root.read(counter, value);
    return int(value[0].item<int64_t>());
}

}  // namespace stemscope::detail
