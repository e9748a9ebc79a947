#include "dsp/Segmenter.h"

#include <cmath>
#include <stdexcept>

namespace stemscope {

double rmsDb(const float* x, long long n)
{
    if (n <= 0) return -120.0;
    double acc = 0.0;
    for (long long i = 0; i < n; ++i) acc += double(x[i]) * x[i];
    const double rms = std::sqrt(acc / double(n));
    return rms > 1e-6 ? 20.0 * std::log10(rms) : -120.0;
}

std::vector<Segment> segmentSignal(const std::vector<float>& x, double rate, const SegmentConfig& c)
{
    if (!(rate > 0) || !(c.lengthSeconds > 0) || !(c.hopSeconds > 0))
        throw std::invalid_argument("segmentSignal: rate, length and hop must be positive");
    const long long len = std::llround(c.lengthSeconds * rate);
    const long long hop = std::llround(c.hopSeconds * rate);
    std::vector<Segment> out;
    for (long long start = 0; start + len <= (long long)x.size(); start += hop) {
        Segment s{start, len, rmsDb(x.data() + start, len)};
        if (c.dropSilent && s.rmsDb <= c.silenceDb) continue;
        out.push_back(s);
    }
    return out;
}

}  // namespace stemscope
