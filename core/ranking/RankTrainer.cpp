#include "ranking/RankTrainer.h"

#include <chrono>
#include <random>
#include <stdexcept>

#include <torch/torch.h>

#include "ranking/PatchSampling.h"

namespace stemscope {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Shared epoch/step/budget bookkeeping; `step` returns the batch loss.
TrainReport loop(RankNet& net, const TrainOptions& o, const std::function<torch::Tensor(std::mt19937_64&)>& lossOf)
{
    if (o.threads > 0) torch::set_num_threads(o.threads);
    torch::manual_seed(o.seed);
    std::mt19937_64 rng(o.seed);
    torch::optim::Adam opt(net.parameters(), torch::optim::AdamOptions(o.learningRate));
    net.setTraining(true);
    TrainReport r;
    const auto t0 = Clock::now();
    for (int e = 0; e < o.epochs && !r.stoppedByBudget; ++e) {
        double sum = 0;
        int n = 0;
        for (int s = 0; s < o.stepsPerEpoch; ++s) {
            if (o.timeBudgetSeconds > 0 && since(t0) > o.timeBudgetSeconds) {
                r.stoppedByBudget = true;
                break;
            }
            opt.zero_grad();
            auto loss = lossOf(rng);
            loss.backward();
            opt.step();
            sum += loss.item<double>();
            ++n;
            ++r.steps;
        }
        if (n == 0) break;
        r.epochLoss.push_back(sum / n);
        r.epochs = e + 1;
        if (o.onEpoch) o.onEpoch(e + 1, sum / n, since(t0));
    }
    net.setTraining(false);
    r.seconds = since(t0);
    return r;
}

}  // namespace

TrainReport trainTriplets(RankNet& net, const std::vector<Matrix>& features, const std::vector<Triplet>& triplets,
                          const TrainOptions& o)
{
    if (triplets.empty()) throw std::invalid_argument("trainTriplets: no triplets");
    if (net.config().isTagger()) throw std::invalid_argument("trainTriplets: network has a tagger head");
    const int frames = net.config().frames;
    return loop(net, o, [&](std::mt19937_64& rng) {
        std::uniform_int_distribution<size_t> pick(0, triplets.size() - 1);
        std::vector<Matrix> patches;
        patches.reserve(size_t(3 * o.batchSize));
        std::vector<Triplet> batch;
        for (int b = 0; b < o.batchSize; ++b) batch.push_back(triplets[pick(rng)]);
        // Layout: all anchors, then all positives, then all negatives (one forward pass).
        for (const auto& t : batch) patches.push_back(randomPatch(features.at(size_t(t.anchor)), frames, rng));
        for (const auto& t : batch) patches.push_back(randomPatch(features.at(size_t(t.positive)), frames, rng));
        for (const auto& t : batch) patches.push_back(randomPatch(features.at(size_t(t.negative)), frames, rng));
        std::vector<const Matrix*> ptrs;
        for (const auto& p : patches) ptrs.push_back(&p);
        const auto y = net.forward(patchesToTensor(ptrs));
        const auto parts = y.chunk(3, 0);
        const auto dPos = (parts[0] - parts[1]).norm(2, 1);
        const auto dNeg = (parts[0] - parts[2]).norm(2, 1);
        return torch::relu(dPos - dNeg + o.margin).mean();
    });
}

TrainReport trainTagger(RankNet& net, const std::vector<Matrix>& features, const std::vector<std::vector<float>>& targets,
                        const TrainOptions& o)
{
    if (!net.config().isTagger()) throw std::invalid_argument("trainTagger: network has no tagger head");
    if (features.size() != targets.size() || features.empty()) throw std::invalid_argument("trainTagger: bad inputs");
    const int frames = net.config().frames, outputs = net.config().outputs;
    return loop(net, o, [&](std::mt19937_64& rng) {
        std::uniform_int_distribution<size_t> pick(0, features.size() - 1);
        std::vector<Matrix> patches;
        auto y = torch::empty({o.batchSize, outputs});
        for (int b = 0; b < o.batchSize; ++b) {
            const size_t i = pick(rng);
            if (int(targets[i].size()) != outputs) throw std::invalid_argument("trainTagger: target size");
            patches.push_back(randomPatch(features[i], frames, rng));
            std::copy(targets[i].begin(), targets[i].end(), y.data_ptr<float>() + int64_t(b) * outputs);
        }
        std::vector<const Matrix*> ptrs;
        for (const auto& p : patches) ptrs.push_back(&p);
        return torch::binary_cross_entropy_with_logits(net.forward(patchesToTensor(ptrs)), y);
    });
}

}  // namespace stemscope
