#include "analysis/SegmentFeatures.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <cmath>

#include "dsp/MelSpectrogram.h"
#include "util/ContentHash.h"

namespace stemscope {

SegmentPlan planSegments(const std::vector<float>& signal, double sampleRate, const SegmentConfig& config)
{
    SegmentPlan plan;
    plan.sampleRate = sampleRate;
    plan.segments = segmentSignal(signal, sampleRate, config);
    return plan;
}

namespace {
// The filterbank is costly to build; share one MelSpectrogram per (rate, bands).
std::shared_ptr<const MelSpectrogram> melFor(double rate, int bands)
{
    static std::mutex m;
    static std::map<std::pair<double, int>, std::shared_ptr<const MelSpectrogram>> cache;
    std::lock_guard<std::mutex> l(m);
    auto& slot = cache[{rate, bands}];
    if (!slot) {
        MelConfig c;
        c.sampleRate = rate;
        c.nMels = bands;
        slot = std::make_shared<MelSpectrogram>(c);
    }
    return slot;
}
}  // namespace

std::vector<Matrix> segmentLogMels(const std::vector<float>& signal, const SegmentPlan& plan, size_t first, size_t count,
                                   int bands, int frames)
{
    const auto mel = melFor(plan.sampleRate, bands);
    std::vector<Matrix> out;
    const size_t end = std::min(plan.segments.size(), first + count);
    for (size_t i = first; i < end; ++i) {
        const auto& s = plan.segments[i];
        std::vector<float> x(signal.begin() + s.startSample, signal.begin() + s.startSample + s.lengthSamples);
        Matrix m = mel->compute(x);
        Matrix fixed(frames, bands);
        for (int r = 0; r < frames; ++r) {
            const int src = std::min(r, m.rows - 1);
            std::copy(m.row(src), m.row(src) + bands, fixed.row(r));
        }
        out.push_back(std::move(fixed));
    }
    return out;
}

CqtConfig cqtConfigAt(double sampleRate)
{
    CqtConfig c;
    c.hop = int(std::lround(double(c.hop) * sampleRate / c.sampleRate));
    c.sampleRate = sampleRate;
    return c;
}

SegmentConfig segmentConfigFor(const Embedder& embedder, const SegmentConfig& base)
{
    const double len = embedder.segmentSeconds();
    if (!(len > 0) || len == base.lengthSeconds) return base;
    SegmentConfig c = base;
    c.hopSeconds = base.hopSeconds * len / base.lengthSeconds;
    c.lengthSeconds = len;
    return c;
}

std::shared_ptr<const Matrix> SignalCqtCache::of(const std::vector<float>& signal, const CqtConfig& c)
{
    ContentHasher h;
    h.update(signal.data(), signal.size() * sizeof(float));
    const double params[] = {c.sampleRate, c.fMin, double(c.hop), double(c.nBins), double(c.binsPerOctave)};
    h.update(params, sizeof params);
    const uint64_t key = h.digest();
    for (const auto& e : entries_)
        if (e.key == key) return e.cqt;
    if (entries_.size() >= 4) entries_.erase(entries_.begin());
    entries_.push_back(Entry{key, std::make_shared<const Matrix>(Cqt(c).compute(signal))});
    ++computed_;
    return entries_.back().cqt;
}

SegmentFeatureReader::SegmentFeatureReader(const std::vector<float>& signal, const SegmentPlan& plan,
                                           const Embedder& embedder, SignalCqtCache* cache)
    : signal_(signal), plan_(plan), kind_(embedder.features()), bands_(embedder.featureBands()),
      frames_(embedder.segmentFrames()), cache_(cache ? cache : &own_)
{
}

std::vector<Matrix> SegmentFeatureReader::read(size_t first, size_t count)
{
    if (kind_ == EmbedderFeatures::LogMel) return segmentLogMels(signal_, plan_, first, count, bands_, frames_);
    const CqtConfig cfg = cqtConfigAt(plan_.sampleRate);
    if (!cqt_) cqt_ = cache_->of(signal_, cfg);
    const Matrix& cqt = *cqt_;
    if (cqt.cols != bands_)
        throw std::runtime_error("the model reads " + std::to_string(bands_) + " CQT bins; the analysis computes " +
                                 std::to_string(cqt.cols));
    std::vector<Matrix> out;
    const size_t end = std::min(plan_.segments.size(), first + count);
    for (size_t i = first; i < end; ++i) {
        const long long row0 = std::llround(double(plan_.segments[i].startSample) / double(cfg.hop));
        Matrix m(frames_, bands_);
        for (int r = 0; r < frames_; ++r) {
            const long long src = std::min<long long>(row0 + r, cqt.rows - 1);
            std::copy(cqt.row(int(src)), cqt.row(int(src)) + bands_, m.row(r));
        }
        out.push_back(std::move(m));
    }
    return out;
}

}  // namespace stemscope
