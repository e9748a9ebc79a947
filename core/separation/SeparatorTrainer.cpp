#include "separation/SeparatorTrainer.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "separation/MaskNet.h"
#include "util/AtomicFile.h"
#include "util/MemoryReuse.h"

namespace stemscope {
namespace {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

void saveCheckpoint(detail::MaskNet& net, torch::optim::Adam& opt, int step, const std::string& path)
{
    torch::serialize::OutputArchive root, optA;
    detail::writeMaskNet(net, root);
    opt.save(optA);
    root.write("optim", optA);
    root.write("step", torch::tensor({int64_t(step)}, torch::kLong));
    // Atomic: a kill leaves the previous checkpoint intact.
    writeFileAtomically(path, [&](std::ostream& out) { root.save_to(out); });
}

int loadCheckpoint(detail::MaskNet& net, torch::optim::Adam& opt, const std::string& path)
{
    torch::serialize::InputArchive root, optA;
    root.load_from(path);
    detail::readMaskNetWeights(net, root);
    root.read("optim", optA);
    opt.load(optA);
    torch::Tensor step;
    root.read("step", step);
    return int(step[0].item<int64_t>());
}
}  // namespace

SeparatorTrainResult trainSeparator(const SeparationData& data, const SeparatorTrainConfig& c,
                                    const std::string& modelPath,
                                    const std::function<void(const SeparatorTrainProgress&)>& progress,
                                    const std::atomic<bool>* cancel)
{
    const int S = int(c.spec.sources.size());
    if (data.sources != c.spec.sources) throw std::runtime_error("training data and model have different sources");
    if (data.sampleRate != c.spec.sampleRate) throw std::runtime_error("training data is not at the model's rate");
    const long long L = (long long)std::llround(c.excerptSeconds * c.spec.sampleRate);
    std::vector<size_t> usable;
    for (size_t i = 0; i < data.songs.size(); ++i)
        if (data.songs[i].length() >= L) usable.push_back(i);
    if (usable.size() < 2) throw std::runtime_error("need at least two songs longer than one excerpt");

    const auto t0 = Clock::now();
    torch::set_num_threads(std::max(1, c.threads));
    keepFreedMemoryForReuse();
    torch::manual_seed(c.seed);
    detail::MaskNet net(c.spec);
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(c.learningRate));
    SeparatorTrainResult r;
    int start = 0;
    if (c.resume && !c.checkpointPath.empty() && fs::exists(c.checkpointPath)) {
        start = loadCheckpoint(net, opt, c.checkpointPath);
        r.resumedFromStep = start;
    } else if (!c.initModelPath.empty()) {
        torch::serialize::InputArchive root;
        root.load_from(c.initModelPath);
        detail::readMaskNetWeights(net, root);  // throws when the shape differs
    }
    if (!c.checkpointPath.empty() && fs::path(c.checkpointPath).has_parent_path())
        fs::create_directories(fs::path(c.checkpointPath).parent_path());
    const auto window = torch::hann_window(c.spec.nFft, torch::kFloat);
    std::vector<float> buf(size_t(c.batch) * size_t(S) * size_t(L));
    std::vector<double> recent;
    double curveSum = 0;
    int curveN = 0, thisCall = 0;
    r.stepsDone = start;
    net->train();
    for (int step = start; step < c.steps; ++step) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
        if ((cancel && *cancel) || (c.stopAfterSteps > 0 && thisCall >= c.stopAfterSteps) ||
            (c.stopAfterSeconds > 0 && elapsed >= c.stopAfterSeconds)) {
            r.cancelled = true;
            break;
        }
        // The sampling stream depends only on (seed, step): resuming continues the same sequence.
        std::mt19937_64 rng(c.seed * 0x9E3779B97F4A7C15ull + uint64_t(step) * 7919ull + 11);
        std::uniform_real_distribution<double> u(0, 1), gain(c.minGainDb, c.maxGainDb);
        auto pickSong = [&] { return &data.songs[usable[std::uniform_int_distribution<size_t>(0, usable.size() - 1)(rng)]]; };
        auto pickOffset = [&](const SeparationSong* s) { return std::uniform_int_distribution<long long>(0, s->length() - L)(rng); };
        for (int b = 0; b < c.batch; ++b) {
            const bool remix = u(rng) < c.remixProbability;
            const SeparationSong* song = pickSong();
            long long off = pickOffset(song);
            for (int s = 0; s < S; ++s) {
                if (remix) {
                    song = pickSong();
                    off = pickOffset(song);
                }
                const float g = float(std::pow(10.0, gain(rng) / 20.0));
                song->copyStem(s, off, L, g, buf.data() + (size_t(b) * S + size_t(s)) * size_t(L));
            }
            if (c.augment) {
                std::vector<float*> parts;
                for (int s = 0; s < S; ++s) parts.push_back(buf.data() + (size_t(b) * S + size_t(s)) * size_t(L));
                augmentSources(parts, c.spec.sources, int(L), c.spec.sampleRate, c.wave, rng);
            }
        }
        auto x = torch::from_blob(buf.data(), {c.batch * S, L}, torch::kFloat);
        auto spec = torch::stft(x, c.spec.nFft, c.spec.hop, c.spec.nFft, window, /*center=*/true, "constant",
                                /*normalized=*/false, /*onesided=*/true, /*return_complex=*/true);
        spec = spec.view({c.batch, S, spec.size(1), spec.size(2)});
        auto mixMag = spec.sum(1).abs();                 // STFT is linear: STFT(sum) = sum(STFT)
        auto masks = net->forward(mixMag);
        auto loss = (masks * mixMag.unsqueeze(1) - spec.abs()).abs().mean();
        const double lr = c.learningRate * (0.05 + 0.95 * 0.5 * (1 + std::cos(M_PI * step / std::max(1, c.steps))));
        for (auto& g : opt.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);
        opt.zero_grad();
        loss.backward();
        opt.step();
        const double lv = loss.item<double>();
        recent.push_back(lv);
        if (recent.size() > 50) recent.erase(recent.begin());
        curveSum += lv;
        if (++curveN == std::max(1, c.lossCurveEvery)) {
            r.lossCurve.push_back(curveSum / curveN);
            curveSum = 0;
            curveN = 0;
        }
        r.stepsDone = step + 1;
        ++thisCall;
        const bool ckpt = !c.checkpointPath.empty() && (r.stepsDone % c.checkpointEvery == 0 || r.stepsDone == c.steps);
        if (ckpt) saveCheckpoint(net, opt, r.stepsDone, c.checkpointPath);
        if (progress) {
            SeparatorTrainProgress p;
            p.checkpoint = ckpt;
            p.step = r.stepsDone;
            p.steps = c.steps;
            double sum = 0;
            for (double v : recent) sum += v;
            p.loss = sum / double(recent.size());
            p.elapsedSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
            progress(p);
        }
    }
    if (r.cancelled && !c.checkpointPath.empty() && thisCall > 0 && r.stepsDone % c.checkpointEvery != 0)
        saveCheckpoint(net, opt, r.stepsDone, c.checkpointPath);
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    if (!r.cancelled && !modelPath.empty()) {
        net->eval();
        if (fs::path(modelPath).has_parent_path()) fs::create_directories(fs::path(modelPath).parent_path());
        detail::saveMaskNet(net, modelPath);
    }
    return r;
}

}  // namespace stemscope
