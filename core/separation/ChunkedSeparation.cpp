#include "separation/ChunkedSeparation.h"

#include <algorithm>
#include <cmath>

#include "dsp/Resampler.h"

namespace stemscope {

void separateInChunks(const Separator& separator, const std::vector<float>& mix, double mixRate,
                      const std::function<void(const std::map<std::string, std::vector<float>>& block, size_t offset)>& sink,
                      const ChunkOptions& options, const std::function<void()>& checkpoint)
{
    const size_t n = mix.size();
    // Windows start on a multiple of 1024 samples, so an STFT with a hop dividing 1024 frames each
    // window on the same grid as the whole track: the kept centre then matches whole-track output.
    constexpr size_t kGrid = 1024;
    auto onGrid = [&](double seconds) { return kGrid * size_t(std::max(1.0, std::round(seconds * mixRate / double(kGrid)))); };
    const size_t chunk = onGrid(options.chunkSeconds);
    const size_t margin = options.marginSeconds > 0 ? onGrid(options.marginSeconds) : 0;
    const double sepRate = separator.sampleRate();
    for (size_t start = 0; start < n || (n == 0 && start == 0); start += chunk) {
        if (checkpoint) checkpoint();
        const size_t end = std::min(n, start + chunk);
        const size_t a = start >= margin ? start - margin : 0, b = std::min(n, end + margin);
        std::vector<float> window(mix.begin() + long(a), mix.begin() + long(b));
        if (sepRate != mixRate) window = resample(window, mixRate, sepRate);
        auto stems = separator.separate(window);
        std::map<std::string, std::vector<float>> block;
        for (auto& [name, x] : stems) {
            if (sepRate != mixRate) x = resample(x, sepRate, mixRate);
            x.resize(b - a, 0.f);  // resampling may round the length by a sample
            block[name].assign(x.begin() + long(start - a), x.begin() + long(end - a));
        }
        sink(block, start);
        if (n == 0) break;
    }
}

}  // namespace stemscope
