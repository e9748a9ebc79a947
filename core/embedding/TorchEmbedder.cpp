#include "embedding/TorchEmbedder.h"

#include "util/ContentHash.h"

#include <algorithm>
#include <list>
#include <map>
#include <unordered_map>
#include <vector>
#include <filesystem>
#include <mutex>
#include <stdexcept>

#include "embedding/EmbeddingNet.h"

namespace stemscope {

namespace {

// One loaded network per model file (by content), shared by every embedder that views it: the block
// embedders of a multi-focus model hear the same mix segments, so the network runs once for all of
// them and the others read their block from a small memo of recent outputs.
struct SharedNet {
    detail::EmbeddingNet net{nullptr};
    std::mutex mutex;  // torch modules are not re-entrant for forward in eval with shared buffers
    static constexpr size_t kMemoBatches = 64;
    std::list<uint64_t> memoOrder;  // most recent first
    struct Output {
        std::vector<float> rows;   // [n, dim], each block of unit length
        std::vector<float> norms;  // [n, blocks]: each block's length before normalisation
    };
    std::unordered_map<uint64_t, std::pair<Output, std::list<uint64_t>::iterator>> memo;
};

std::mutex registryMutex;
std::map<uint64_t, std::weak_ptr<SharedNet>>& registry()
{
    static std::map<uint64_t, std::weak_ptr<SharedNet>> r;
    return r;
}

std::shared_ptr<SharedNet> sharedNetFor(const std::string& file)
{
    const uint64_t key = fileContentHash(file);
    std::lock_guard<std::mutex> lock(registryMutex);
    if (auto existing = registry()[key].lock()) return existing;
    auto net = std::make_shared<SharedNet>();
    net->net = detail::loadModel(file);
    registry()[key] = net;
    return net;
}

}  // namespace

struct TorchEmbedder::Impl {
    std::shared_ptr<SharedNet> shared;
};

std::string resolveModelFile(const std::string& path)
{
    namespace fs = std::filesystem;
    if (fs::is_directory(path)) return (fs::path(path) / "model.pt").string();
    return path;
}

TorchEmbedder::TorchEmbedder(const std::string& path, std::string modelId, std::optional<Focus> focus)
    : impl_(std::make_unique<Impl>())
{
    impl_->shared = detail::loadModelFile(path, sharedNetFor);
    const std::string file = resolveModelFile(path);
    spec_ = impl_->shared->net->spec();
    if (focus && spec_.subspaces > 0) {
        block_ = instrumentFocusIndex(*focus);
        if (block_ >= spec_.subspaces) throw std::runtime_error(file + " has no block for focus " + focusName(*focus));
    }
    id_ = modelId.empty() ? family() + ":" + std::filesystem::path(file).parent_path().filename().string() +
                                (block_ >= 0 ? std::string(":") + focusName(*focus) : std::string())
                          : modelId;
}

TorchEmbedder::~TorchEmbedder() = default;

Matrix TorchEmbedder::embedRaw(const float* data, long long count, std::vector<float>* weights) const
{
    const int outDim = dimension();
    const int offset = block_ >= 0 ? block_ * spec_.subspaceDim() : 0;
    const int blocks = std::max(1, spec_.subspaces);
    Matrix out(int(count), outDim);
    if (weights) weights->assign(size_t(count), 1.f);
    if (count == 0) return out;
    SharedNet& sh = *impl_->shared;
    std::lock_guard<std::mutex> lock(sh.mutex);
    torch::NoGradGuard noGrad;
    const long long per = (long long)spec_.frames * spec_.bands;
    const long long batch = 256;
    const bool memoise = spec_.subspaces > 0;  // only block views share inputs
    for (long long first = 0; first < count; first += batch) {
        const long long n = std::min(batch, count - first);
        const float* in = data + first * per;
        const uint64_t key = memoise ? contentHash(in, size_t(n * per) * sizeof(float)) ^ uint64_t(n) : 0;
        const SharedNet::Output* full = nullptr;
        SharedNet::Output fresh;
        if (auto it = memoise ? sh.memo.find(key) : sh.memo.end(); it != sh.memo.end()) {
            sh.memoOrder.splice(sh.memoOrder.begin(), sh.memoOrder, it->second.second);
            full = &it->second.first;
        } else {
            auto x = torch::from_blob(const_cast<float*>(in), {n, spec_.frames, spec_.bands}, torch::kFloat);
            const auto raw = sh.net->forwardUnnormalized(x);
            const auto y = sh.net->normalizeOutput(raw).contiguous();
            const auto norms = sh.net->blockNorms(raw).contiguous();
            fresh.rows.assign(y.data_ptr<float>(), y.data_ptr<float>() + n * spec_.dim);
            fresh.norms.assign(norms.data_ptr<float>(), norms.data_ptr<float>() + n * blocks);
            if (memoise) {
                sh.memoOrder.push_front(key);
                auto& slot = sh.memo[key];
                slot = {std::move(fresh), sh.memoOrder.begin()};
                full = &slot.first;
                if (sh.memo.size() > SharedNet::kMemoBatches) {
                    sh.memo.erase(sh.memoOrder.back());
                    sh.memoOrder.pop_back();
                }
            } else {
                full = &fresh;
            }
        }
        for (long long r = 0; r < n; ++r) {
            std::copy_n(full->rows.data() + r * spec_.dim + offset, outDim, out.row(int(first + r)));
            if (weights && weighsByLength()) (*weights)[size_t(first + r)] = full->norms[size_t(r * blocks + block_)];
        }
    }
    return out;
}

Matrix TorchEmbedder::embedWeighted(const std::vector<Matrix>& segments, std::vector<float>& weights) const
{
    const auto buf = packSegments(segments);
    return embedRaw(buf.data(), (long long)segments.size(), &weights);
}

Matrix TorchEmbedder::embed(const std::vector<Matrix>& segments) const
{
    const auto buf = packSegments(segments);
    return embedRaw(buf.data(), (long long)segments.size());
}

std::vector<float> TorchEmbedder::packSegments(const std::vector<Matrix>& segments) const
{
    const size_t per = size_t(spec_.frames) * size_t(spec_.bands);
    std::vector<float> buf(segments.size() * per);
    for (size_t s = 0; s < segments.size(); ++s) {
        const Matrix& m = segments[s];
        if (m.empty()) throw std::invalid_argument("TorchEmbedder: empty segment");
        float* dst = buf.data() + s * per;
        for (int r = 0; r < spec_.frames; ++r)
            for (int b = 0; b < spec_.bands; ++b)
                dst[size_t(r) * size_t(spec_.bands) + size_t(b)] = m(std::min(r, m.rows - 1), std::min(b, m.cols - 1));
    }
    return buf;
}

std::shared_ptr<const Embedder> makeTorchEmbedder(Focus focus, const std::string& modelDir)
{
    const std::string file = resolveModelFile(modelDir);
    if (!std::filesystem::exists(file)) return nullptr;
    // The weights' hash is part of the id: a retrained model gets its tracks analysed again. The
    // family names the pipeline (separate-then-embed vs. the mix model), so switching re-analyses too.
    auto e = std::make_shared<TorchEmbedder>(file, "", focus);
    // A block view pools by length (weighsByLength), which changes its centroids: so does its id.
    e->setModelId(e->family() + ":" + focusName(focus) + ":" + hashToHex(fileContentHash(file)).substr(0, 8) +
                  (e->weighsByLength() ? ":length-pooled" : ""));
    return e;
}

}  // namespace stemscope
