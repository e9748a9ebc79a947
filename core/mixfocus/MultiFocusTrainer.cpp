#include "mixfocus/MultiFocusTrainer.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "embedding/EmbeddingNet.h"
#include "embedding/TripletLoss.h"
#include "mixfocus/WindowSetPooling.h"
#include "util/MemoryReuse.h"

namespace stemscope {
namespace {
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

void ensureParent(const std::string& path)
{
    if (fs::path(path).has_parent_path()) fs::create_directories(fs::path(path).parent_path());
}

// Channels of temporal layer `layer` (what the auxiliary mask head reads).
int temporalLayerChannels(const ModelSpec& spec, int layer)
{
    if (layer < 0 || layer > 3) throw std::invalid_argument("mask layer: 0..3");
    if (spec.arch == ModelArch::Conv2d) throw std::invalid_argument("the mask loss needs a temporal or hybrid network");
    const bool frontEnd = spec.arch == ModelArch::Hybrid || spec.arch == ModelArch::Harmonic;
    return spec.channels[size_t(frontEnd ? std::min(layer + 1, 3) : layer)];
}

// Binary cross-entropy of the head's mask for each instrument item's own focus against its part's
// ratio mask (pooled to the layer's frame rate); undefined when the batch has no such item.
torch::Tensor maskLoss(const torch::Tensor& logits, const PseudoMixBatch& b, int layer)
{
    std::vector<int64_t> rows, focus;
    for (int i = 0; i < b.items; ++i) {
        const int fi = b.groupFocus[size_t(i / b.groupSize)];
        if (b.hasPart[size_t(i)]) rows.push_back(i), focus.push_back(fi - 1);
    }
    if (rows.empty()) return {};
    const auto r = torch::tensor(rows, torch::kLong), f = torch::tensor(focus, torch::kLong);
    const int64_t n = logits.size(0), t = logits.size(2);
    auto pred = logits.view({n, 4, b.bands, t}).index({r, f});  // [M, bands, t]
    auto target = torch::from_blob(const_cast<float*>(b.partMask.data()), {b.items, b.frames, b.bands}, torch::kFloat)
                      .index_select(0, r)
                      .transpose(1, 2);  // [M, bands, frames]
    if (layer > 0) target = torch::avg_pool1d(target, 1 << layer);
    return torch::nn::functional::binary_cross_entropy_with_logits(pred, target.narrow(2, 0, t));
}

// 1 - cosine between each instrument item's block for its group's focus and the same block of
// the network's embedding of its part alone (eval mode, no gradient); undefined without such items.
torch::Tensor soloTeacherLoss(detail::EmbeddingNet& net, const torch::Tensor& e, PseudoMixBatch& b, int sub)
{
    std::vector<int64_t> rows, cols;
    for (int i = 0; i < b.items; ++i) {
        if (!b.hasPart[size_t(i)]) continue;
        rows.push_back(i);
        const int fi = b.groupFocus[size_t(i / b.groupSize)];
        for (int j = 0; j < sub; ++j) cols.push_back(int64_t(fi) * sub + j);
    }
    if (rows.empty()) return {};
    const auto r = torch::tensor(rows, torch::kLong);
    const auto c = torch::tensor(cols, torch::kLong).view({int64_t(rows.size()), sub});
    torch::Tensor teacher;
    {
        torch::NoGradGuard noGrad;
        net->eval();
        auto solo = torch::from_blob(b.soloLogMel.data(), {b.items, b.frames, b.bands}, torch::kFloat).index_select(0, r);
        teacher = net->forward(solo).gather(1, c);  // unit blocks
        net->train();
    }
    const auto student = e.index_select(0, r).gather(1, c);
    return (1 - (student * teacher).sum(1)).mean();
}

// Each focus's anchors: length x (own triplet loss + floor) - log(length), the loss held fixed;
// minimal where the length is 1 / (loss + floor). Undefined when no focus has an anchor.
torch::Tensor confidenceLoss(const torch::Tensor& raw, const torch::Tensor& e, const PseudoMixBatch& b, int sub,
                             double margin, double lossFloor)
{
    torch::Tensor sum;
    int64_t n = 0;
    for (int f = 0; f < 5; ++f) {
        const auto lab = torch::tensor(b.labels[size_t(f)], torch::kLong);
        const auto own = detail::perAnchorTripletLoss(e.narrow(1, int64_t(f) * sub, sub).detach(), lab, margin);
        const int64_t count = own.anchors.sum().item<int64_t>();
        if (count == 0) continue;
        const auto len = raw.narrow(1, int64_t(f) * sub, sub).norm(2, 1).clamp_min(1e-6);
        const auto t = (len * (own.loss + lossFloor) - torch::log(len)).masked_select(own.anchors).sum();
        sum = sum.defined() ? sum + t : t;
        n += count;
    }
    return sum.defined() ? sum / double(n) : sum;
}

}  // namespace

MultiFocusTrainResult trainMultiFocusModel(const PseudoMixSampler& sampler, const MultiFocusTrainConfig& c,
                                           const std::string& modelPath, const MultiFocusProgressFn& progress,
                                           const std::atomic<bool>* cancel)
{
    if (c.spec.subspaces != 5 || c.spec.dim % 5 != 0)
        throw std::runtime_error("the multi-focus model needs 5 subspaces (one per focus) and a dimension divisible by 5");
    if (c.setSegments < 1 || c.setHop < 1) throw std::invalid_argument("set segments and set hop must be >= 1");
    if (c.itemFrames() != sampler.config().frames) throw std::runtime_error("model and sampler disagree on frames");
    if (c.setSegments > 1 && (c.maskLossWeight > 0 || c.soloTeacherWeight > 0 || c.confidenceLossWeight > 0))
        throw std::invalid_argument("the set-level loss does not combine with the mask, solo-teacher or confidence losses");
    const auto t0 = Clock::now();
    torch::set_num_threads(std::max(1, c.threads));
    keepFreedMemoryForReuse();
    torch::manual_seed(c.seed);
    detail::EmbeddingNet net(c.spec);
    const bool withMask = c.maskLossWeight > 0;
    if (withMask && !sampler.config().maskTargets) throw std::invalid_argument("the mask loss needs the sampler's mask targets");
    const bool withSolo = c.soloTeacherWeight > 0;
    if (withSolo && !sampler.config().soloTargets) throw std::invalid_argument("the solo teacher needs the sampler's solo parts");
    // The head: one 1x1 convolution from the layer's channels to a mask per instrument focus and bin.
    torch::nn::Conv1d maskHead{nullptr};
    auto params = net->parameters();
    if (withMask) {
        maskHead = torch::nn::Conv1d(torch::nn::Conv1dOptions(temporalLayerChannels(c.spec, c.maskLayer), 4 * c.spec.bands, 1));
        for (const auto& p : maskHead->parameters()) params.push_back(p);
    }
    torch::nn::Module* aux = withMask ? maskHead.ptr().get() : nullptr;
    torch::optim::Adam opt(params, torch::optim::AdamOptions(c.learningRate).weight_decay(c.weightDecay));
    MultiFocusTrainResult r;
    int start = 0;
    if (c.resume && !c.checkpointPath.empty() && fs::exists(c.checkpointPath)) {
        start = detail::loadTrainingCheckpoint(net, opt, "step", c.checkpointPath, aux);
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
        if (c.keepCheckpointModels) {
            const fs::path p(modelPath);
            detail::saveModel(net, (p.parent_path() / (p.stem().string() + "-" + std::to_string(r.stepsDone) + p.extension().string())).string());
        }
        net->train();
    };
    MultiFocusProgress rep;
    std::array<int, 5> counts{};
    const int sub = c.spec.subspaceDim();
    net->train();
    if (withMask) maskHead->train();
    int thisCall = 0;
    int maskCount = 0, soloCount = 0, confidenceCount = 0;
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
        torch::Tensor hidden;
        const auto raw = c.setSegments > 1 ? detail::forwardWindowSum(net, x, c.setSegments, c.setHop)
                                           : net->forward(x, withMask ? &hidden : nullptr, c.maskLayer, false);
        auto e = net->normalizeOutput(raw);
        torch::Tensor loss;
        if (withMask) {
            auto m = maskLoss(maskHead->forward(hidden), b, c.maskLayer);
            if (m.defined()) {
                rep.maskLoss += m.item<double>();
                ++maskCount;
                loss = c.maskLossWeight * m;
            }
        }
        if (withSolo) {
            auto t = soloTeacherLoss(net, e, b, sub);
            if (t.defined()) {
                rep.soloLoss += t.item<double>();
                ++soloCount;
                loss = loss.defined() ? loss + c.soloTeacherWeight * t : c.soloTeacherWeight * t;
            }
        }
        if (c.confidenceLossWeight > 0) {
            auto t = confidenceLoss(raw, e, b, sub, c.margin, c.confidenceFloor);
            if (t.defined()) {
                rep.confidenceLoss += t.item<double>();
                ++confidenceCount;
                loss = loss.defined() ? loss + c.confidenceLossWeight * t : c.confidenceLossWeight * t;
            }
        }
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
            if (!c.checkpointPath.empty()) detail::saveTrainingCheckpoint(net, opt, "step", r.stepsDone, c.checkpointPath, aux);
            writeModel();
        }
        if (progress && (ckpt || r.stepsDone % 20 == 0)) {
            for (int f = 0; f < 5; ++f) {
                rep.loss[size_t(f)] /= std::max(1, counts[size_t(f)]);
                rep.active[size_t(f)] /= std::max(1, counts[size_t(f)]);
            }
            rep.maskLoss /= std::max(1, maskCount);
            maskCount = 0;
            rep.soloLoss /= std::max(1, soloCount);
            soloCount = 0;
            rep.confidenceLoss /= std::max(1, confidenceCount);
            confidenceCount = 0;
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
        if (!c.checkpointPath.empty()) detail::saveTrainingCheckpoint(net, opt, "step", r.stepsDone, c.checkpointPath, aux);
        writeModel();
    }
    r.finished = r.stepsDone >= c.steps;
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return r;
}

}  // namespace stemscope
