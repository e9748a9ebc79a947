#pragma once
// INTERNAL (includes LibTorch): the mask network of the separator, shared by TorchSeparator.cpp and
// SeparatorTrainer.cpp. Include only from .cpp files.
#include <torch/torch.h>

#include <sstream>
#include <string>

#include "separation/BandSplitNet.h"
#include "separation/SeparatorSpec.h"

namespace stemscope::detail {

struct MaskNetImpl : torch::nn::Module {
    explicit MaskNetImpl(const SeparatorSpec& spec) : spec_(spec)
    {
        if (spec.arch == SeparatorArch::BandSplit) {
            band = register_module("band", BandSplitNet(spec));
            return;
        }
        const int F = spec.bins(), H = spec.hidden;
        inNorm = register_module("in_norm", torch::nn::BatchNorm1d(F));
        inConv = register_module("in_conv", torch::nn::Conv1d(torch::nn::Conv1dOptions(F, H, 1).bias(false)));
        inBn = register_module("in_bn", torch::nn::BatchNorm1d(H));
        int d = 1;
        for (int b = 0; b < spec.blocks; ++b, d *= 2) {
            convs->push_back(torch::nn::Conv1d(torch::nn::Conv1dOptions(H, H, 3).padding(d).dilation(d).bias(false)));
            bns->push_back(torch::nn::BatchNorm1d(H));
        }
        register_module("convs", convs);
        register_module("bns", bns);
        outConv = register_module("out_conv", torch::nn::Conv1d(torch::nn::Conv1dOptions(H, int(spec.sources.size()) * F, 1)));
    }

    // mag: [N, bins, frames] mixture magnitude -> masks [N, sources, bins, frames], summing to 1 over sources.
    torch::Tensor forward(const torch::Tensor& mag)
    {
        if (band) return band->forward(mag);
        auto x = inNorm(torch::log(mag + 1e-5));
        x = torch::relu(inBn(inConv(x)));
        for (size_t i = 0; i < convs->size(); ++i)
            x = x + torch::relu(bns[i]->as<torch::nn::BatchNorm1d>()->forward(convs[i]->as<torch::nn::Conv1d>()->forward(x)));
        auto logits = outConv(x).view({mag.size(0), long(spec_.sources.size()), mag.size(1), mag.size(2)});
        return torch::softmax(logits, 1);
    }

    SeparatorSpec spec_;
    torch::nn::BatchNorm1d inNorm{nullptr};
    torch::nn::Conv1d inConv{nullptr};
    torch::nn::BatchNorm1d inBn{nullptr};
    torch::nn::ModuleList convs, bns;
    torch::nn::Conv1d outConv{nullptr};
    BandSplitNet band{nullptr};  // set for SeparatorArch::BandSplit (the layers above then stay null)
};
TORCH_MODULE(MaskNet);

// Model file: torch::serialize archive, parameters under "net/", the spec as int64 tensor
// "spec" = [version 1, rate, nFft, hop, hidden, blocks] (temporal convolutions; files of older
// builds) or [version 2, ..., blocks, arch] (arch 1 = band split), and the source names as a
// newline-joined uint8 tensor "sources". Checkpoints add "optim" and "step" to the same archive.
inline void writeMaskNet(MaskNet& net, torch::serialize::OutputArchive& root)
{
    const auto& s = net->spec_;
    torch::serialize::OutputArchive sub;
    net->save(sub);
    std::vector<int64_t> spec{1, int64_t(s.sampleRate), int64_t(s.nFft), int64_t(s.hop), int64_t(s.hidden), int64_t(s.blocks)};
    if (s.arch != SeparatorArch::Tcn) {
        spec[0] = 2;
        spec.push_back(1);
    }
    root.write("spec", torch::tensor(spec, torch::kLong));
    std::string names;
    for (const auto& n : s.sources) names += n + "\n";
    root.write("sources", torch::tensor(std::vector<uint8_t>(names.begin(), names.end()), torch::kUInt8));
    root.write("net", sub);
}

inline SeparatorSpec readSeparatorSpec(torch::serialize::InputArchive& root)
{
    torch::Tensor t, names;
    root.read("spec", t);
    const int64_t version = t.numel() > 0 ? t[0].item<int64_t>() : 0;
    if (!(version == 1 && t.numel() == 6) && !(version == 2 && t.numel() == 7))
        throw std::runtime_error("separator model: unknown spec version (written by a newer build?)");
    SeparatorSpec s;
    if (version == 2) {
        if (t[6].item<int64_t>() != 1) throw std::runtime_error("separator model: unknown network kind");
        s.arch = SeparatorArch::BandSplit;
    }
    s.sampleRate = double(t[1].item<int64_t>());
    s.nFft = int(t[2].item<int64_t>());
    s.hop = int(t[3].item<int64_t>());
    s.hidden = int(t[4].item<int64_t>());
    s.blocks = int(t[5].item<int64_t>());
    root.read("sources", names);
    const std::string joined(reinterpret_cast<const char*>(names.data_ptr<uint8_t>()), size_t(names.numel()));
    s.sources.clear();
    std::istringstream in(joined);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) s.sources.push_back(line);
    if (s.sources.empty()) throw std::runtime_error("separator model: no sources");
    return s;
}

// Loads the parameters of `root` into `net` (whose spec must match the archive's).
inline void readMaskNetWeights(MaskNet& net, torch::serialize::InputArchive& root)
{
    if (!(readSeparatorSpec(root) == net->spec_)) throw std::runtime_error("separator model: different model shape");
    torch::serialize::InputArchive sub;
    root.read("net", sub);
    net->load(sub);
}

inline void saveMaskNet(MaskNet& net, const std::string& path)
{
    torch::serialize::OutputArchive root;
    writeMaskNet(net, root);
    root.save_to(path);
}

inline MaskNet loadMaskNet(const std::string& path)
{
    torch::serialize::InputArchive root;
    root.load_from(path);
    MaskNet net(readSeparatorSpec(root));
    readMaskNetWeights(net, root);
    net->eval();
    return net;
}

}  // namespace stemscope::detail
