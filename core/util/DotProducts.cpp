#include "util/DotProducts.h"

#if defined(__x86_64__) || defined(__i386__)
#include "util/Avx2Sum.h"
#define STEMSCOPE_X86 1
#endif

namespace stemscope {
namespace {

// Portable path: eight independent partial sums let the compiler vectorise without -ffast-math.
inline float dotGeneric(const float* a, const float* b, int d)
{
    float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int j = 0;
    for (; j + 8 <= d; j += 8)
        for (int l = 0; l < 8; ++l)
            acc[l] += a[j + l] * b[j + l];
    float s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (; j < d; ++j)
        s += a[j] * b[j];
    return s;
}

void dotRowsGeneric(const float* q, const float* rows, int nRows, int d, float* out)
{
    for (int r = 0; r < nRows; ++r)
        out[r] = dotGeneric(q, rows + size_t(r) * size_t(d), d);
}

void dotRows4Generic(const float* const q[4], const float* rows, int nRows, int d, float* out, size_t stride)
{
    for (int i = 0; i < 4; ++i)
        dotRowsGeneric(q[i], rows, nRows, d, out + size_t(i) * stride);
}

#ifdef STEMSCOPE_X86
// One accumulator per dot (the same summation order as dotRows4Avx2, so a query gets identical
// values through either); four rows interleaved hide the FMA latency.
__attribute__((target("avx2,fma"))) float dotAvx2(const float* q, const float* x, int d)
{
    const int d8 = d & ~7;
    __m256 a = _mm256_setzero_ps();
    for (int j = 0; j < d8; j += 8)
        a = _mm256_fmadd_ps(_mm256_loadu_ps(q + j), _mm256_loadu_ps(x + j), a);
    float s = horizontalSum(a);
    for (int j = d8; j < d; ++j)
        s += q[j] * x[j];
    return s;
}

__attribute__((target("avx2,fma"))) void dotRowsAvx2(const float* q, const float* rows, int nRows, int d, float* out)
{
    const int d8 = d & ~7;
    const size_t D = size_t(d);
    int r = 0;
    for (; r + 4 <= nRows; r += 4) {
        const float* x0 = rows + size_t(r) * D;
        const float *x1 = x0 + D, *x2 = x1 + D, *x3 = x2 + D;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        for (int j = 0; j < d8; j += 8) {
            const __m256 v = _mm256_loadu_ps(q + j);
            a0 = _mm256_fmadd_ps(v, _mm256_loadu_ps(x0 + j), a0);
            a1 = _mm256_fmadd_ps(v, _mm256_loadu_ps(x1 + j), a1);
            a2 = _mm256_fmadd_ps(v, _mm256_loadu_ps(x2 + j), a2);
            a3 = _mm256_fmadd_ps(v, _mm256_loadu_ps(x3 + j), a3);
        }
        float s0 = horizontalSum(a0), s1 = horizontalSum(a1), s2 = horizontalSum(a2), s3 = horizontalSum(a3);
        for (int j = d8; j < d; ++j) {
            s0 += q[j] * x0[j];
            s1 += q[j] * x1[j];
            s2 += q[j] * x2[j];
            s3 += q[j] * x3[j];
        }
        out[r] = s0;
        out[r + 1] = s1;
        out[r + 2] = s2;
        out[r + 3] = s3;
    }
    for (; r < nRows; ++r)
        out[r] = dotAvx2(q, rows + size_t(r) * D, d);
}

__attribute__((target("avx2,fma"))) void dotRows4Avx2(const float* const q[4], const float* rows, int nRows, int d,
                                                      float* out, size_t stride)
{
    const int d8 = d & ~7;
    for (int r = 0; r < nRows; ++r) {
        const float* x = rows + size_t(r) * size_t(d);
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        for (int j = 0; j < d8; j += 8) {
            const __m256 v = _mm256_loadu_ps(x + j);
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q[0] + j), v, a0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(q[1] + j), v, a1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(q[2] + j), v, a2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(q[3] + j), v, a3);
        }
        float s0 = horizontalSum(a0), s1 = horizontalSum(a1), s2 = horizontalSum(a2), s3 = horizontalSum(a3);
        for (int j = d8; j < d; ++j) {
            s0 += q[0][j] * x[j];
            s1 += q[1][j] * x[j];
            s2 += q[2][j] * x[j];
            s3 += q[3][j] * x[j];
        }
        out[r] = s0;
        out[stride + size_t(r)] = s1;
        out[2 * stride + size_t(r)] = s2;
        out[3 * stride + size_t(r)] = s3;
    }
}

bool detectAvx2()
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

} // namespace

bool cpuHasAvx2Fma()
{
#ifdef STEMSCOPE_X86
    static const bool avx2 = detectAvx2();
    return avx2;
#else
    return false;
#endif
}

void dotRows(const float* q, const float* rows, int nRows, int d, float* out)
{
#ifdef STEMSCOPE_X86
    if (cpuHasAvx2Fma()) return dotRowsAvx2(q, rows, nRows, d, out);
#endif
    dotRowsGeneric(q, rows, nRows, d, out);
}

void dotRows4(const float* const q[4], const float* rows, int nRows, int d, float* out, size_t outStride)
{
#ifdef STEMSCOPE_X86
    if (cpuHasAvx2Fma()) return dotRows4Avx2(q, rows, nRows, d, out, outStride);
#endif
    dotRows4Generic(q, rows, nRows, d, out, outStride);
}

void dotRowsMany(const float* queries, int nq, const float* rows, int nRows, int d, float* out, size_t outStride)
{
    const size_t D = size_t(d);
    int i = 0;
    for (; i + 4 <= nq; i += 4) {
        const float* q = queries + size_t(i) * D;
        const float* qs[4] = {q, q + D, q + 2 * D, q + 3 * D};
        dotRows4(qs, rows, nRows, d, out + size_t(i) * outStride, outStride);
    }
    for (; i < nq; ++i)
        dotRows(queries + size_t(i) * D, rows, nRows, d, out + size_t(i) * outStride);
}

} // namespace stemscope
