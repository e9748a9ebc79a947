#include "ranking/RankEmbedder.h"

#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "dsp/Cqt.h"
#include "ranking/TagVector.h"
#include "util/ContentHash.h"

namespace stemscope {

std::string resolveRankModelFile(const std::string& path)
{
    namespace fs = std::filesystem;
    if (fs::is_directory(fs::u8path(path))) return (fs::u8path(path) / "model.rank").u8string();
    return path;
}

RankEmbedder::RankEmbedder(const std::string& path, std::string modelId)
{
    const std::string file = resolveRankModelFile(path);
    if (!std::filesystem::exists(std::filesystem::u8path(file))) throw std::runtime_error("no ranking model file: " + file);
    try {
        net_ = loadRankModel(file, info_);
    } catch (const std::runtime_error&) {
        throw;
    } catch (const std::exception& e) {
        throw std::runtime_error("cannot load ranking model " + file + ": " + e.what());
    }
    if (info_.net.isTagger()) {
        if (int(info_.vocabulary.size()) != info_.net.outputs)
            throw std::runtime_error(file + ": the auto-tagger has " + std::to_string(info_.net.outputs) +
                                     " outputs but " + std::to_string(info_.vocabulary.size()) + " tags");
        vocab_ = std::make_unique<TagVocabulary>(info_.vocabulary);
    }
    id_ = modelId.empty() ? "rank-" + info_.mode + ":" + hashToHex(fileContentHash(file)).substr(0, 8) : std::move(modelId);
}

RankEmbedder::~RankEmbedder() = default;

int RankEmbedder::dimension() const { return info_.net.isTagger() ? info_.net.outputs : info_.net.dim; }

double RankEmbedder::segmentSeconds() const
{
    const CqtConfig trained;  // the model's patches span frames x hop at the training rate
    return double(info_.net.frames) * double(trained.hop) / trained.sampleRate;
}

Matrix RankEmbedder::embed(const std::vector<Matrix>& segments) const
{
    for (const auto& m : segments)
        if (m.rows != info_.net.frames || m.cols != info_.net.bins)
            throw std::invalid_argument("RankEmbedder: segments must be " + std::to_string(info_.net.frames) + " x " +
                                        std::to_string(info_.net.bins));
    Matrix out(int(segments.size()), dimension());
    if (segments.empty()) return out;
    Matrix y;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        y = net_->infer(segments);
    }
    for (int r = 0; r < y.rows; ++r) {
        std::vector<float> v(y.row(r), y.row(r) + y.cols);
        if (vocab_) {
            v = vocab_->vectorFromScores(v);
            double n = 0;
            for (float x : v) n += double(x) * x;
            const float inv = n > 0 ? float(1.0 / std::sqrt(n)) : 0.f;
            for (float& x : v) x *= inv;
        }
        std::copy(v.begin(), v.end(), out.row(r));
    }
    return out;
}

std::shared_ptr<const Embedder> makeRankEmbedder(Focus, const std::string& modelDir)
{
    const std::string file = resolveRankModelFile(modelDir);
    if (!std::filesystem::exists(std::filesystem::u8path(file))) return nullptr;
    return std::make_shared<RankEmbedder>(file);
}

}  // namespace stemscope
