#include "mixfocus/MultiFocusTrainer.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "embedding/EmbeddingNet.h"
#include "embedding/TripletLoss.h"

namespace stemscope {
namespace {
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

void ensureParent(const std::string& path)
{
    if (fs::path(path).has_parent_path()) fs::create_directories(fs::path(path).parent_path());
}

}  // namespace

MultiFocusTrainResult trainMultiFocusModel(const PseudoMixSampler& sampler, const MultiFocusTrainConfig& c,
                                           const std::string& modelPath, const MultiFocusProgressFn& progress,
                                           const std::atomic<bool>* cancel)
{
    if (c.spec.subspaces != 5 || c.spec.dim % 5 != 0)
        throw std::runtime_error("the multi-focus model needs 5 subspaces (one per focus) and a dimension divisible by 5");
    if (c.spec.frames != sampler.config().frames) throw std::runtime_error("model and sampler disagree on frames");
    const auto t0 = Clock::now();
    torch::set_num_threads(std::max(1, c.threads));
    torch::manual_seed(c.seed);
    detail::EmbeddingNet net(c.spec);
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(c.learningRate).weight_decay(c.weightDecay));
    MultiFocusTrainResult r;
    int start = 0;
    if (c.resume && !c.checkpointPath.empty() && fs::exists(c.checkpointPath)) {
        start = detail::loadTrainingCheckpoint(net, opt, "step", c.checkpointPath);
        r.resumedFromStep = start;
    } else if (!c.initModelPath.empty()) {
        detail::EmbeddingNet init = detail::loadModel(c.initModelPath);
        if (!(init->spec() == net->spec()))
            throw std::runtime_error(c.initModelPath + " has another model shape than the one being trained");
        torch::NoGradGuard noGrad;
        const auto from = init->named_parameters(), to = net->named_parameters();
        const auto freshW = to["fc.weight"].clone(), freshB = to["fc.bias"].clone();
        for (const auto& p : from) to[p.key()].copy_(p.value());
        const int rows = c.spec.subspaceDim();
        for (int f : c.freshBlocks) {
            if (f < 0 || f > 4) throw std::invalid_argument("fresh block index out of range");
            to["fc.weight"].narrow(0, f * rows, rows).copy_(freshW.narrow(0, f * rows, rows));
            to["fc.bias"].narrow(0, f * rows, rows).copy_(freshB.narrow(0, f * rows, rows));
        }
        const auto fromB = init->named_buffers(), toB = net->named_buffers();
        for (const auto& b : fromB) toB[b.key()].copy_(b.value());
    }
    r.stepsDone = start;
    auto writeModel = [&] {
        if (modelPath.empty()) return;
        net->eval();
        ensureParent(modelPath);
        detail::saveModel(net, modelPath);
        net->train();
    };
    MultiFocusProgress rep;
    std::array<int, 5> counts{};
    const int sub = c.spec.subspaceDim();
    net->train();
    int thisCall = 0;
    for (int step = start; step < c.steps; ++step) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
        if ((cancel && *cancel) || (c.stopAfterSteps > 0 && thisCall >= c.stopAfterSteps) ||
            (c.stopAfterSeconds > 0 && elapsed >= c.stopAfterSeconds))
            break;
        const double lr = c.learningRate * (0.05 + 0.95 * 0.5 * (1 + std::cos(M_PI * step / std::max(1, c.steps))));
        for (auto& g : opt.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);
        std::mt19937_64 rng(c.seed * 0x9E3779B97F4A7C15ull + uint64_t(step) * 1000003ull + 29);
        torch::manual_seed(c.seed * 7919 + uint64_t(step));
        const double ramp = c.curriculumFraction > 0 ? std::min(1.0, step / (c.curriculumFraction * c.steps)) : 1.0;
        PseudoMixBatch b = sampler.batch(c.groups, rng, -c.curriculumDb * (1.0 - ramp));
        auto x = torch::from_blob(b.logMel.data(), {b.items, b.frames, b.bands}, torch::kFloat);
        auto e = net->forward(x);
        torch::Tensor loss;
        for (int f = 0; f < 5; ++f) {
            auto lab = torch::tensor(b.labels[size_t(f)], torch::kLong);
            // Masked: focus f's block only. Batch-hard collapsed from a fresh start here (every
            // distance equal, loss stuck at the margin); batch-all is the default.
            auto [l, active] = detail::labelledTripletLoss(e.narrow(1, int64_t(f) * sub, sub), lab, c.margin, c.batchHard);
            if (!l.defined()) continue;
            loss = loss.defined() ? loss + l : l;
            rep.loss[size_t(f)] += l.item<double>();
            rep.active[size_t(f)] += active;
            ++counts[size_t(f)];
        }
        if (loss.defined()) {
            opt.zero_grad();
            loss.backward();
            opt.step();
        }
        ++thisCall;
        r.stepsDone = step + 1;
        const bool ckpt = (r.stepsDone % std::max(1, c.checkpointEvery) == 0) || r.stepsDone == c.steps;
        if (ckpt) {
            if (!c.checkpointPath.empty()) detail::saveTrainingCheckpoint(net, opt, "step", r.stepsDone, c.checkpointPath);
            writeModel();
        }
        if (progress && (ckpt || r.stepsDone % 20 == 0)) {
            for (int f = 0; f < 5; ++f) {
                rep.loss[size_t(f)] /= std::max(1, counts[size_t(f)]);
                rep.active[size_t(f)] /= std::max(1, counts[size_t(f)]);
            }
            rep.step = r.stepsDone;
            rep.steps = c.steps;
            rep.elapsedSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
            rep.checkpoint = ckpt;
            progress(rep);
            rep = MultiFocusProgress{};
            counts.fill(0);
        }
    }
    // A stopped call leaves a checkpoint at the step it reached, so --resume continues there.
    if (r.stepsDone > start && r.stepsDone % std::max(1, c.checkpointEvery) != 0 && r.stepsDone != c.steps) {
        if (!c.checkpointPath.empty()) detail::saveTrainingCheckpoint(net, opt, "step", r.stepsDone, c.checkpointPath);
        writeModel();
    }
    r.finished = r.stepsDone >= c.steps;
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return r;
}

}  // namespace stemscope
