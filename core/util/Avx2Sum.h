#pragma once
// Horizontal sum of an AVX register, shared by the AVX2 kernels (callers check cpuHasAvx2Fma()
// from util/DotProducts.h before calling into code compiled for AVX2).
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

namespace stemscope {

__attribute__((target("avx2,fma"))) inline float horizontalSum(__m256 v)
{
    const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 t = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(t, _mm_shuffle_ps(t, t, 1)));
}

__attribute__((target("avx2,fma"))) inline double horizontalSum(__m256d v)
{
    const __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}

} // namespace stemscope
#endif
