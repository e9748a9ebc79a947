#include "analysis/SegmentFeatures.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include "dsp/MelSpectrogram.h"

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

}  // namespace stemscope
