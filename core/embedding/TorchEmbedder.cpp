#include "embedding/TorchEmbedder.h"

#include "util/ContentHash.h"

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <stdexcept>

#include "embedding/EmbeddingNet.h"

namespace stemscope {

struct TorchEmbedder::Impl {
    detail::EmbeddingNet net{nullptr};
    mutable std::mutex mutex; // torch modules are not re-entrant for forward in eval with shared buffers
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
    const std::string file = resolveModelFile(path);
    if (!std::filesystem::exists(file)) throw std::runtime_error("no model file: " + file);
    try {
        impl_->net = detail::loadModel(file);
    } catch (const c10::Error& e) {
        throw std::runtime_error("cannot load model " + file + ": " + e.what_without_backtrace());
    }
    spec_ = impl_->net->spec();
    if (focus && spec_.subspaces > 0) {
        for (size_t i = 0; i < kAllFocuses.size(); ++i)
            if (kAllFocuses[i] == *focus) block_ = int(i);
        if (block_ >= spec_.subspaces) throw std::runtime_error(file + " has no block for focus " + focusName(*focus));
    }
    id_ = modelId.empty() ? family() + ":" + std::filesystem::path(file).parent_path().filename().string() +
                                (block_ >= 0 ? std::string(":") + focusName(*focus) : std::string())
                          : modelId;
}

TorchEmbedder::~TorchEmbedder() = default;

Matrix TorchEmbedder::embedRaw(const float* data, long long count) const
{
    const int outDim = dimension();
    const int offset = block_ >= 0 ? block_ * spec_.subspaceDim() : 0;
    Matrix out(int(count), outDim);
    if (count == 0) return out;
    std::lock_guard<std::mutex> lock(impl_->mutex);
    torch::NoGradGuard noGrad;
    const long long per = (long long)spec_.frames * spec_.bands;
    const long long batch = 256;
    for (long long first = 0; first < count; first += batch) {
        const long long n = std::min(batch, count - first);
        auto x = torch::from_blob(const_cast<float*>(data + first * per), {n, spec_.frames, spec_.bands}, torch::kFloat);
        auto y = impl_->net->forward(x).narrow(1, offset, outDim).contiguous();
        std::copy(y.data_ptr<float>(), y.data_ptr<float>() + n * outDim, out.row(int(first)));
    }
    return out;
}

Matrix TorchEmbedder::embed(const std::vector<Matrix>& segments) const
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
    return embedRaw(buf.data(), (long long)segments.size());
}

std::shared_ptr<const Embedder> makeTorchEmbedder(Focus focus, const std::string& modelDir)
{
    const std::string file = resolveModelFile(modelDir);
    if (!std::filesystem::exists(file)) return nullptr;
    // The weights' hash is part of the id: a retrained model gets its tracks analysed again. The
    // family names the pipeline (separate-then-embed vs. the mix model), so switching re-analyses too.
    auto e = std::make_shared<TorchEmbedder>(file, "", focus);
    e->setModelId(e->family() + ":" + focusName(focus) + ":" + hashToHex(fileContentHash(file)).substr(0, 8));
    return e;
}

}  // namespace stemscope
