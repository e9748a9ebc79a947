#include "separation/SeparatorSpec.h"

#include <cmath>

namespace stemscope {

std::vector<int> SeparatorSpec::bandEdges() const
{
    // Band-split RNN's layout (Luo & Yu 2023), in Hz so it follows the rate and FFT size: narrow
    // bands where notes are dense, wide ones where only timbre is left.
    const double binHz = sampleRate / nFft, nyquist = sampleRate / 2;
    const struct { double upTo, width; } zones[] = {{1000, 100}, {4000, 250}, {8000, 500}, {1e12, 1000}};
    std::vector<int> edges{0};
    double f = 0;
    for (const auto& z : zones)
        while (f + 1e-9 < std::min(z.upTo, nyquist)) {
            f += z.width;
            const int bin = int(std::lround(std::min(f, nyquist) / binHz));
            // No sliver of a band at Nyquist: the last one takes it.
            if (bin > edges.back() && f < nyquist - z.width / 2) edges.push_back(bin);
        }
    edges.push_back(bins());
    return edges;
}

const char* separatorArchName(SeparatorArch a)
{
    return a == SeparatorArch::BandSplit ? "bandsplit" : "tcn";
}

}  // namespace stemscope
