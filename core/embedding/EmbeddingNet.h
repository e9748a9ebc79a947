#pragma once
// INTERNAL (includes LibTorch): the embedding CNN shared by TorchEmbedder.cpp and the trainer.
// Include only from .cpp files.
#include <torch/torch.h>

#include <string>

#include "embedding/ModelSpec.h"

namespace stemscope::detail {

struct EmbeddingNetImpl : torch::nn::Module {
    explicit EmbeddingNetImpl(const ModelSpec& spec) : spec_(spec)
    {
        inNorm = register_module("in_norm", torch::nn::BatchNorm2d(1));
        int in = 1;
        for (int i = 0; i < 4; ++i) {
            const int out = spec.channels[size_t(i)];
            convs->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1).bias(false)));
            bns->push_back(torch::nn::BatchNorm2d(out));
            in = out;
        }
        register_module("convs", convs);
        register_module("bns", bns);
        fc = register_module("fc", torch::nn::Linear(2 * in, spec.dim));
    }

    // x: [N, frames, bands] -> [N, dim], rows of unit length.
    torch::Tensor forward(torch::Tensor x)
    {
        x = inNorm(x.unsqueeze(1)).contiguous(torch::MemoryFormat::ChannelsLast);
        for (size_t i = 0; i < convs->size(); ++i) {
            x = convs[i]->as<torch::nn::Conv2d>()->forward(x);
            x = torch::relu(bns[i]->as<torch::nn::BatchNorm2d>()->forward(x));
            x = torch::max_pool2d(x, 2);
        }
        auto pooled = torch::cat({x.mean({2, 3}), x.amax({2, 3})}, 1);
        return torch::nn::functional::normalize(fc(pooled), torch::nn::functional::NormalizeFuncOptions().dim(1).eps(1e-8));
    }

    const ModelSpec& spec() const { return spec_; }

    ModelSpec spec_;
    torch::nn::BatchNorm2d inNorm{nullptr};
    torch::nn::ModuleList convs;
    torch::nn::ModuleList bns;
    torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(EmbeddingNet);

// Model file: a torch::serialize archive with the parameters/buffers under "net/" and the spec as
// an int64 tensor "spec" = [version, bands, frames, dim, c0, c1, c2, c3].
inline torch::Tensor specTensor(const ModelSpec& s)
{
    return torch::tensor({int64_t(1), int64_t(s.bands), int64_t(s.frames), int64_t(s.dim), int64_t(s.channels[0]),
                          int64_t(s.channels[1]), int64_t(s.channels[2]), int64_t(s.channels[3])},
                         torch::kLong);
}

inline ModelSpec specFromTensor(const torch::Tensor& t)
{
    if (t.numel() != 8 || t[0].item<int64_t>() != 1) throw std::runtime_error("model file: unknown spec version");
    ModelSpec s;
    s.bands = int(t[1].item<int64_t>());
    s.frames = int(t[2].item<int64_t>());
    s.dim = int(t[3].item<int64_t>());
    for (int i = 0; i < 4; ++i) s.channels[size_t(i)] = int(t[4 + i].item<int64_t>());
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

}  // namespace stemscope::detail
