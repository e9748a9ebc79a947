#pragma once
// Squared Euclidean distance between two float vectors, summed in 8 independent lanes so the compiler
// can vectorise it without -ffast-math (the summation order is fixed, so results are reproducible).
namespace stemscope::projection {

inline float squaredL2(const float* a, const float* b, int d)
{
    float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int c = 0;
    for (; c + 8 <= d; c += 8)
        for (int l = 0; l < 8; ++l) {
            const float e = a[c + l] - b[c + l];
            lane[l] += e * e;
        }
    float tail = 0.f;
    for (; c < d; ++c) {
        const float e = a[c] - b[c];
        tail += e * e;
    }
    return ((lane[0] + lane[4]) + (lane[1] + lane[5])) + ((lane[2] + lane[6]) + (lane[3] + lane[7])) + tail;
}

}  // namespace stemscope::projection
