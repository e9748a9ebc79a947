#pragma once
// Dot products of query vectors against a block of contiguous rows, the inner loop of exact
// nearest-neighbour search and of the t-SNE input kNN. An AVX2/FMA version is picked at run time
// where the CPU has it (the build targets baseline x86-64); results are deterministic on a given
// machine but may differ in the last bits between the two paths.
#include <cstddef>

namespace stemscope {

// out[r] = <q, rows + r * d> for r in [0, nRows).
void dotRows(const float* q, const float* rows, int nRows, int d, float* out);

// Four queries against the same rows (each row is loaded once for all four):
// out[i * outStride + r] = <q[i], rows + r * d>.
void dotRows4(const float* const q[4], const float* rows, int nRows, int d, float* out, size_t outStride);

// nq contiguous queries (row-major, width d) against the same rows, four at a time through dotRows4:
// out[i * outStride + r] = <queries + i * d, rows + r * d>. Values equal dotRows' for each query.
void dotRowsMany(const float* queries, int nq, const float* rows, int nRows, int d, float* out, size_t outStride);

// True when the CPU has AVX2 and FMA, i.e. the vector paths here (and in the t-SNE gradient) are used.
bool cpuHasAvx2Fma();

} // namespace stemscope
