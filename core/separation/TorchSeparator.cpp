#include "separation/TorchSeparator.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <stdexcept>

#include "analysis/EmbedderRegistry.h"
#include "util/ContentHash.h"
#include "separation/MaskNet.h"
#include "separation/StftFrames.h"

namespace stemscope {
namespace fs = std::filesystem;

struct TorchSeparator::Impl {
    detail::MaskNet net{nullptr};
    mutable std::mutex mutex;
};

TorchSeparator::TorchSeparator(const std::string& path, int chunkFrames) : impl_(std::make_unique<Impl>()), chunkFrames_(chunkFrames)
{
    const fs::path p = fs::u8path(path);
    const std::string file = fs::is_directory(p) ? (p / "model.pt").u8string() : path;
    if (!fs::exists(fs::u8path(file))) throw std::runtime_error("no separator model at " + file);
    try {
        impl_->net = detail::loadMaskNet(file);
    } catch (const c10::Error& e) {
        throw std::runtime_error("cannot load separator model " + file + ": " + e.what_without_backtrace());
    }
    spec_ = impl_->net->spec_;
    fileId_ = id_ = "mask-separator:" + hashToHex(fileContentHash(file)).substr(0, 8);
}

void TorchSeparator::setMaskPower(double p)
{
    if (!(p > 0) || p > 8) throw std::invalid_argument("mask power must be in (0, 8]");
    std::lock_guard<std::mutex> lock(impl_->mutex);
    maskPower_ = p;
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "+p%g", p);
    id_ = p == 1.0 ? fileId_ : fileId_ + suffix;
}

TorchSeparator::~TorchSeparator() = default;

std::map<std::string, std::vector<float>> TorchSeparator::separate(const std::vector<float>& mix) const
{
    std::lock_guard<std::mutex> lock(impl_->mutex);
    torch::NoGradGuard noGrad;
    const int S = int(spec_.sources.size()), n = spec_.nFft, h = spec_.hop;
    const long long N = (long long)mix.size();
    std::vector<std::vector<float>> out(size_t(S), std::vector<float>(size_t(N), 0.f));
    std::map<std::string, std::vector<float>> result;
    if (N == 0) {
        for (int s = 0; s < S; ++s) result[spec_.sources[size_t(s)]] = {};
        return result;
    }
    const detail::StftFrames stft(n, h);
    const long long T = stft.frameCount(N);
    const int ctx = spec_.contextFrames() + 1;
    std::vector<float> norm(size_t(N), 0.f);
    for (long long f0 = 0; f0 < T; f0 += chunkFrames_) {
        const long long f1 = std::min(T, f0 + chunkFrames_);
        const long long a = std::max(0LL, f0 - ctx), b = std::min(T, f1 + ctx);
        auto spec = stft.analyse(mix.data(), N, a, b - a);                  // [M, F] complex
        auto masks = impl_->net->forward(spec.abs().t().unsqueeze(0))[0];  // [S, F, M]
        if (maskPower_ != 1.0) {
            masks = masks.pow(maskPower_);
            masks = masks / masks.sum(0, true).clamp_min(1e-12);
        }
        auto keep = masks.narrow(2, f0 - a, f1 - f0) * spec.narrow(0, f0 - a, f1 - f0).t().unsqueeze(0);
        for (int s = 0; s < S; ++s)
            stft.overlapAdd(keep[s].t(), f0, out[size_t(s)].data(), N, s == 0 ? norm.data() : nullptr);
    }
    for (int s = 0; s < S; ++s) {
        auto& y = out[size_t(s)];
        for (long long i = 0; i < N; ++i) y[size_t(i)] = norm[size_t(i)] > 1e-8f ? y[size_t(i)] / norm[size_t(i)] : 0.f;
        result[spec_.sources[size_t(s)]] = std::move(y);
    }
    return result;
}

std::string defaultSeparatorDir()
{
    return (fs::u8path(defaultModelsRoot()) / "separator").u8string();
}

std::shared_ptr<const Separator> loadDefaultSeparator(std::string* why)
{
    const std::string dir = defaultSeparatorDir();
    if (!fs::exists(fs::u8path(dir) / "model.pt")) {
        if (why) *why = "no separator model in " + dir;
        return nullptr;
    }
    try {
        return std::make_shared<TorchSeparator>(dir);
    } catch (const std::exception& e) {
        if (why) *why = e.what();
        return nullptr;
    }
}

}  // namespace stemscope
