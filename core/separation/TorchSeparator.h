#pragma once
// The shipped Separator: the mask network (MaskNet.h) loaded from a model file written by
// SeparatorTrainer. Processing is chunked (about 24 s of frames at a time, with enough context
// frames on each side that chunk borders change nothing), so the working memory stays flat for
// any track length (peak RSS 0.6 GB with the 512-channel model); inverse STFT with the mixture
// phase. Chunks are long because each carries the receptive field twice as context (+-3 s for
// the 8-block model): at 12 s chunks a third of the work was context (4-minute song: 33x real
// time at 1024 frames, 40x at 2048, 43x at 4096 with 0.75 GB). Torch stays behind a pimpl.
#include <memory>
#include <string>

#include "separation/Separator.h"
#include "separation/SeparatorSpec.h"

namespace stemscope {

class TorchSeparator final : public Separator {
public:
    // `path`: a model file or a folder holding model.pt. Throws std::runtime_error.
    explicit TorchSeparator(const std::string& path, int chunkFrames = 2048);
    ~TorchSeparator() override;
    TorchSeparator(const TorchSeparator&) = delete;
    TorchSeparator& operator=(const TorchSeparator&) = delete;

    std::string modelId() const override { return id_; }
    double sampleRate() const override { return spec_.sampleRate; }
    std::vector<std::string> stemNames() const override { return spec_.sources; }
    // Thread-safe (calls are serialised: LibTorch already uses every core inside one call).
    std::map<std::string, std::vector<float>> separate(const std::vector<float>& mix) const override;
    const SeparatorSpec& spec() const { return spec_; }
    // Wiener-style post-filter: masks become m_s^p / sum_k m_k^p (p = 1: the network's own masks).
    // Part of the model id when p != 1, so stems cached under another setting are refreshed.
    void setMaskPower(double p);
    double maskPower() const { return maskPower_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    SeparatorSpec spec_;
    std::string id_, fileId_;
    int chunkFrames_;
    double maskPower_ = 1.0;
};

// <models root>/separator: where the engine looks for the default separator.
std::string defaultSeparatorDir();
// The default separator, or nullptr (with *why set) when none is installed or it fails to load.
std::shared_ptr<const Separator> loadDefaultSeparator(std::string* why = nullptr);

}  // namespace stemscope
