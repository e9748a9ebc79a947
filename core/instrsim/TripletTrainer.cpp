#include "instrsim/TripletTrainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "embedding/EmbeddingNet.h"
#include "embedding/TripletLoss.h"
#include "util/MemoryReuse.h"

namespace stemscope {

const char* tripletMiningName(TripletMining m)
{
    switch (m) {
    case TripletMining::Random: return "random";
    case TripletMining::BatchAll: return "batch-all";
    case TripletMining::BatchHard: return "batch-hard";
    }
    return "random";
}

std::optional<TripletMining> tripletMiningFromName(const std::string& n)
{
    for (auto m : {TripletMining::Random, TripletMining::BatchAll, TripletMining::BatchHard})
        if (n == tripletMiningName(m)) return m;
    return std::nullopt;
}

namespace {
using Clock = std::chrono::steady_clock;

struct Batch {
    std::vector<long long> rows; // segment indices, in forward order
    std::vector<int> labels;     // song per row (batch mining)
};

// Random mining: anchors[0..n) ; positives ; negatives -> rows = [a..., p..., n...]
std::vector<Batch> randomEpoch(const FeatureSet& d, const std::vector<std::vector<long long>>& bySong, int batch,
                               std::mt19937_64& rng)
{
    std::vector<long long> anchors(size_t(d.segmentCount()));
    for (size_t i = 0; i < anchors.size(); ++i) anchors[i] = (long long)i;
    std::shuffle(anchors.begin(), anchors.end(), rng);
    const int songs = int(bySong.size());
    std::vector<Batch> out;
    for (size_t first = 0; first < anchors.size(); first += size_t(batch)) {
        const size_t n = std::min(anchors.size() - first, size_t(batch));
        if (n < 2) break;
        Batch b;
        b.rows.resize(3 * n);
        for (size_t i = 0; i < n; ++i) {
            const long long a = anchors[first + i];
            const int s = d.songOf[size_t(a)];
            const auto& same = bySong[size_t(s)];
            long long p = a;
            if (same.size() > 1)
                while (p == a) p = same[std::uniform_int_distribution<size_t>(0, same.size() - 1)(rng)];
            int ns = s;
            while (ns == s) ns = std::uniform_int_distribution<int>(0, songs - 1)(rng);
            const auto& other = bySong[size_t(ns)];
            b.rows[i] = a;
            b.rows[n + i] = p;
            b.rows[2 * n + i] = other[std::uniform_int_distribution<size_t>(0, other.size() - 1)(rng)];
        }
        out.push_back(std::move(b));
    }
    return out;
}

// P songs x K segments per batch; segmentCount / batch batches per epoch.
std::vector<Batch> pkEpoch(const FeatureSet& d, const std::vector<std::vector<long long>>& bySong, int batch, int P,
                           std::mt19937_64& rng)
{
    P = std::max(2, std::min<int>(P, int(bySong.size())));
    const int K = std::max(2, batch / P);
    const long long steps = std::max<long long>(1, d.segmentCount() / (P * K));
    std::vector<int> songIds(bySong.size());
    for (size_t i = 0; i < songIds.size(); ++i) songIds[i] = int(i);
    std::vector<Batch> out;
    for (long long s = 0; s < steps; ++s) {
        std::shuffle(songIds.begin(), songIds.end(), rng);
        Batch b;
        for (int p = 0; p < P; ++p) {
            auto segs = bySong[size_t(songIds[size_t(p)])];
            std::shuffle(segs.begin(), segs.end(), rng);
            for (int k = 0; k < K; ++k) {
                b.rows.push_back(segs[size_t(k) % segs.size()]);
                b.labels.push_back(songIds[size_t(p)]);
            }
        }
        out.push_back(std::move(b));
    }
    return out;
}

torch::Tensor gather(const FeatureSet& d, const std::vector<long long>& rows, std::vector<float>& buf)
{
    const size_t per = d.perSegment();
    buf.resize(rows.size() * per);
    for (size_t i = 0; i < rows.size(); ++i) std::memcpy(buf.data() + i * per, d.segment(rows[i]), per * sizeof(float));
    return torch::from_blob(buf.data(), {(long long)rows.size(), d.frames, d.bands}, torch::kFloat);
}

struct LossOut {
    torch::Tensor loss;
    double active = 0;
};

LossOut tripletLoss(const torch::Tensor& e, const Batch& b, const TrainConfig& c)
{
    const double m = c.margin;
    if (c.mining == TripletMining::Random) {
        const long long n = e.size(0) / 3;
        auto a = e.narrow(0, 0, n), p = e.narrow(0, n, n), ng = e.narrow(0, 2 * n, n);
        auto dap = 1 - (a * p).sum(1), dan = 1 - (a * ng).sum(1);
        auto l = torch::relu(dap - dan + m);
        return {l.mean(), (l > 0).to(torch::kFloat).mean().item<double>()};
    }
    // Both batch minings: P songs x K segments, so every row is an anchor.
    auto v = detail::labelledTripletLoss(e, torch::tensor(b.labels, torch::kLong), m, c.mining == TripletMining::BatchHard);
    if (!v.loss.defined()) throw std::runtime_error("a training batch without triplets");
    return {v.loss, v.active};
}

}  // namespace

void writeUntrainedModel(const ModelSpec& spec, uint64_t seed, const std::string& modelPath)
{
    torch::manual_seed(seed);
    detail::EmbeddingNet net(spec);
    net->eval();
    if (std::filesystem::path(modelPath).has_parent_path())
        std::filesystem::create_directories(std::filesystem::path(modelPath).parent_path());
    detail::saveModel(net, modelPath);
}

TrainResult trainEmbeddingModel(const FeatureSet& data, const TrainConfig& c, const std::string& modelPath,
                                const TrainProgressFn& progress, const std::atomic<bool>* cancel)
{
    if (data.bands != c.spec.bands || data.frames != c.spec.frames)
        throw std::runtime_error("features are " + std::to_string(data.frames) + "x" + std::to_string(data.bands) +
                                 ", the model expects " + std::to_string(c.spec.frames) + "x" +
                                 std::to_string(c.spec.bands));
    std::vector<std::vector<long long>> bySong(data.songs.size());
    for (long long i = 0; i < data.segmentCount(); ++i) bySong[size_t(data.songOf[size_t(i)])].push_back(i);
    for (size_t s = 0; s < bySong.size(); ++s)
        if (bySong[s].empty()) throw std::runtime_error("song without segments: " + data.songs[s]);
    if (bySong.size() < 2) throw std::runtime_error("need at least two songs to train");

    const auto t0 = Clock::now();
    torch::set_num_threads(std::max(1, c.threads));
    keepFreedMemoryForReuse();
    torch::manual_seed(c.seed);
    detail::EmbeddingNet net(c.spec);
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(c.learningRate).weight_decay(c.weightDecay));

    TrainResult r;
    int startEpoch = 0;
    if (c.resume && !c.checkpointPath.empty() && std::filesystem::exists(c.checkpointPath)) {
        startEpoch = detail::loadTrainingCheckpoint(net, opt, "epoch", c.checkpointPath);
        r.resumedFromEpoch = startEpoch;
    }
    r.epochsDone = startEpoch;
    std::vector<float> buf;
    int epochsThisCall = 0;
    for (int epoch = startEpoch; epoch < c.epochs; ++epoch) {
        if ((cancel && *cancel) || (c.stopAfterEpochs > 0 && epochsThisCall >= c.stopAfterEpochs)) {
            r.cancelled = true;
            break;
        }
        const auto te = Clock::now();
        // The learning rate and the sampling stream depend only on (seed, epoch): resuming is exact.
        const double lr = c.learningRate * (0.05 + 0.95 * 0.5 * (1 + std::cos(M_PI * epoch / std::max(1, c.epochs))));
        for (auto& g : opt.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);
        std::mt19937_64 rng(c.seed * 0x9E3779B97F4A7C15ull + uint64_t(epoch) * 1000003ull + 17);
        torch::manual_seed(c.seed * 7919 + uint64_t(epoch));
        const auto batches = c.mining == TripletMining::Random ? randomEpoch(data, bySong, c.batchSize, rng)
                                                               : pkEpoch(data, bySong, c.batchSize, c.songsPerBatch, rng);
        net->train();
        double lossSum = 0, activeSum = 0;
        int step = 0;
        bool stopped = false;
        for (const auto& b : batches) {
            if (cancel && *cancel) {
                stopped = true;
                break;
            }
            auto x = gather(data, b.rows, buf);
            auto e = net->forward(x);
            auto lo = tripletLoss(e, b, c);
            opt.zero_grad();
            lo.loss.backward();
            opt.step();
            lossSum += lo.loss.item<double>();
            activeSum += lo.active;
            ++step;
            if (progress) {
                TrainProgress p;
                p.epoch = epoch + 1;
                p.epochs = c.epochs;
                p.step = step;
                p.steps = int(batches.size());
                p.loss = lossSum / step;
                p.activeFraction = activeSum / step;
                p.elapsedSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
                p.epochEnd = step == int(batches.size());
                progress(p);
            }
        }
        if (stopped) {
            r.cancelled = true;
            break;
        }
        r.epochLoss.push_back(step ? lossSum / step : 0.0);
        r.epochSeconds.push_back(std::chrono::duration<double>(Clock::now() - te).count());
        r.epochsDone = epoch + 1;
        ++epochsThisCall;
        if (!c.checkpointPath.empty()) detail::saveTrainingCheckpoint(net, opt, "epoch", epoch + 1, c.checkpointPath);
        if (!c.epochModelPath.empty()) {
            net->eval();
            if (std::filesystem::path(c.epochModelPath).has_parent_path())
                std::filesystem::create_directories(std::filesystem::path(c.epochModelPath).parent_path());
            detail::saveModel(net, c.epochModelPath);
        }
    }
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    if (!r.cancelled && !modelPath.empty()) {
        net->eval();
        if (std::filesystem::path(modelPath).has_parent_path())
            std::filesystem::create_directories(std::filesystem::path(modelPath).parent_path());
        detail::saveModel(net, modelPath);
    }
    return r;
}

}  // namespace stemscope
