#pragma once
// Row-major float matrix: rows = time frames, cols = features. The lingua franca between dsp,
// embedding and storage (contiguous, so it maps straight onto a torch tensor or a SQLite blob).
#include <cassert>
#include <cstddef>
#include <algorithm>
#include <vector>

namespace stemscope {

struct Matrix {
    int rows = 0;
    int cols = 0;
    std::vector<float> data;

    Matrix() = default;
    Matrix(int r, int c, float fill = 0.f) : rows(r), cols(c), data(std::size_t(r) * std::size_t(c), fill) {}
    float& operator()(int r, int c) { return data[std::size_t(r) * std::size_t(cols) + std::size_t(c)]; }
    float operator()(int r, int c) const { return data[std::size_t(r) * std::size_t(cols) + std::size_t(c)]; }
    float* row(int r) { return data.data() + std::size_t(r) * std::size_t(cols); }
    const float* row(int r) const { return data.data() + std::size_t(r) * std::size_t(cols); }
    bool empty() const { return rows == 0 || cols == 0; }
    // Rows [first, first+count) as a new matrix.
    Matrix slice(int first, int count) const
    {
        assert(first >= 0 && first + count <= rows);
        Matrix m(count, cols);
        std::copy(row(first), row(first) + std::size_t(count) * std::size_t(cols), m.data.begin());
        return m;
    }
};

}  // namespace stemscope
