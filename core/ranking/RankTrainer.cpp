#include "ranking/RankTrainer.h"

#include <chrono>
#include <filesystem>
#include <sstream>
#include <random>
#include <stdexcept>

#include <torch/torch.h>

#include "ranking/PatchSampling.h"
#include "util/AtomicFile.h"
#include "util/MemoryReuse.h"

namespace stemscope {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// The network's shape: torch loads parameters of another shape without complaint, so a checkpoint
// says which network it belongs to.
std::vector<int64_t> configSignature(const RankNetConfig& c)
{
    return {c.bins, c.frames, c.width, c.dim, c.outputs, int64_t(c.pooling)};
}

// One file: the network's archive bytes, the optimiser's state and the progress so far.
void saveCheckpoint(const std::string& path, const RankNet& net, torch::optim::Adam& opt, const TrainReport& r,
                    double seconds)
{
    std::ostringstream netBytes;
    net.save(netBytes);
    const std::string b = netBytes.str();
    torch::serialize::OutputArchive a, optArchive;
    a.write("net", torch::from_blob(const_cast<char*>(b.data()), {int64_t(b.size())}, torch::kUInt8).clone());
    a.write("config", torch::tensor(configSignature(net.config())));
    opt.save(optArchive);
    a.write("optimizer", optArchive);
    a.write("epochs", torch::tensor(int64_t(r.epochs)));
    a.write("steps", torch::tensor(int64_t(r.steps)));
    a.write("seconds", torch::tensor(seconds, torch::kFloat64));
    a.write("loss", torch::tensor(r.epochLoss, torch::kFloat64));
    writeFileAtomically(path, [&](std::ostream& out) { a.save_to(out); });
}

// Returns the training seconds stored with the checkpoint; throws std::runtime_error with the reason.
double loadCheckpoint(const std::string& path, RankNet& net, torch::optim::Adam& opt, TrainReport& r)
{
    try {
        torch::serialize::InputArchive a, optArchive;
        a.load_from(path);
        // read() fills a tensor of the stored type only when handed an undefined one: one each.
        auto get = [&](const char* key) {
            torch::Tensor t;
            a.read(key, t);
            return t.contiguous();
        };
        const auto sig = get("config");
        if (std::vector<int64_t>(sig.data_ptr<int64_t>(), sig.data_ptr<int64_t>() + sig.numel()) !=
            configSignature(net.config()))
            throw std::runtime_error("cannot resume from " + path + ": it holds another network (shape or pooling)");
        const auto bytes = get("net");
        std::istringstream netBytes(std::string(static_cast<const char*>(bytes.data_ptr()), size_t(bytes.numel())));
        net.load(netBytes);
        a.read("optimizer", optArchive);
        opt.load(optArchive);
        r.epochs = int(get("epochs").item<int64_t>());
        r.steps = int(get("steps").item<int64_t>());
        const auto loss = get("loss");
        r.epochLoss.assign(loss.data_ptr<double>(), loss.data_ptr<double>() + loss.numel());
        return get("seconds").item<double>();
    } catch (const c10::Error& e) {
        throw std::runtime_error("cannot resume from " + path + " (another network or a damaged file): " +
                                 e.what_without_backtrace());
    }
}

// Shared epoch/step/budget bookkeeping; `step` returns the batch loss.
TrainReport loop(RankNet& net, const TrainOptions& o, const std::function<torch::Tensor(std::mt19937_64&)>& lossOf)
{
    if (o.threads > 0) torch::set_num_threads(o.threads);
    keepFreedMemoryForReuse();
    torch::optim::Adam opt(net.parameters(), torch::optim::AdamOptions(o.learningRate));
    TrainReport r;
    double before = 0;  // training seconds of the runs this one resumes
    if (o.resume && !o.checkpointPath.empty() && std::filesystem::exists(o.checkpointPath)) {
        before = loadCheckpoint(o.checkpointPath, net, opt, r);
        r.resumedFromEpoch = r.epochs;
    }
    net.setTraining(true);
    const auto t0 = Clock::now();
    auto elapsed = [&] { return before + since(t0); };
    std::mt19937_64 rng;
    // A resumed run that had already reached its stop (a plateau) trains no further.
    if (r.resumedFromEpoch > 0 && o.stopAfterEpoch && o.stopAfterEpoch()) r.stoppedEarly = true;
    for (int e = r.epochs; e < o.epochs && !r.stoppedByBudget && !r.stoppedEarly; ++e) {
        rng.seed(o.seed * 1000003u + uint64_t(e));
        torch::manual_seed(o.seed * 1000003u + uint64_t(e));
        double sum = 0;
        int n = 0;
        for (int s = 0; s < o.stepsPerEpoch; ++s) {
            if (o.timeBudgetSeconds > 0 && elapsed() > o.timeBudgetSeconds) {
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
        const double seconds = elapsed();
        if (!o.checkpointPath.empty()) saveCheckpoint(o.checkpointPath, net, opt, r, seconds);
        if (o.onEpoch) o.onEpoch(e + 1, sum / n, seconds, r.steps);
        net.setTraining(true);  // onEpoch may have validated in eval mode
        if (o.stopAfterEpoch && o.stopAfterEpoch()) {
            r.stoppedEarly = true;
            break;
        }
    }
    net.setTraining(false);
    r.seconds = elapsed();
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
