#include "embedding/ModelAverage.h"

#include <filesystem>
#include <stdexcept>

#include "embedding/EmbeddingNet.h"
#include "embedding/TorchEmbedder.h"

namespace stemscope {
namespace {

detail::EmbeddingNet load(const std::string& path)
{
    return detail::loadModelFile(path, detail::loadModel);
}

}  // namespace

void averageModelFiles(const std::vector<std::string>& inputs, const std::vector<double>& weights,
                       const std::string& output)
{
    if (inputs.empty()) throw std::invalid_argument("model average: no input models");
    if (!weights.empty() && weights.size() != inputs.size())
        throw std::invalid_argument("model average: " + std::to_string(weights.size()) + " weights for " +
                                    std::to_string(inputs.size()) + " models");
    std::vector<double> w = weights.empty() ? std::vector<double>(inputs.size(), 1.0) : weights;
    double total = 0;
    for (double x : w) {
        if (!(x >= 0)) throw std::invalid_argument("model average: weights must be non-negative");
        total += x;
    }
    if (!(total > 0)) throw std::invalid_argument("model average: the weights sum to zero");
    torch::NoGradGuard noGrad;
    detail::EmbeddingNet sum = load(inputs.front());
    auto params = sum->named_parameters();
    auto buffers = sum->named_buffers();
    for (auto& p : params) p.value().mul_(w[0] / total);
    for (auto& b : buffers)
        if (b.value().is_floating_point()) b.value().mul_(w[0] / total);
    for (size_t i = 1; i < inputs.size(); ++i) {
        detail::EmbeddingNet m = load(inputs[i]);
        if (!(m->spec() == sum->spec()))
            throw std::runtime_error("model average: " + inputs[i] + " has another model shape than " + inputs.front());
        const double s = w[i] / total;
        const auto mp = m->named_parameters();
        for (auto& p : params) p.value().add_(mp[p.key()], s);
        const auto mb = m->named_buffers();
        for (auto& b : buffers)
            if (b.value().is_floating_point()) b.value().add_(mb[b.key()], s);
    }
    try {
        const std::filesystem::path out(output);
        if (out.has_parent_path()) std::filesystem::create_directories(out.parent_path());
        detail::saveModel(sum, output);
    } catch (const c10::Error& e) {
        throw std::runtime_error("cannot write " + output + ": " + e.what_without_backtrace());
    }
}

}  // namespace stemscope
