#pragma once
// t-distributed stochastic neighbour embedding into 2-D (van der Maaten & Hinton 2008; Barnes-Hut
// variant, van der Maaten 2014; FFT-interpolated variant, Linderman et al. 2019), with scikit-learn's defaults and
// optimiser so results are comparable: perplexity 30, early exaggeration 12 for 250 iterations, learning rate "auto" =
// max(n / 12 / 4, 50), 1000 iterations, momentum 0.5 then 0.8, delta-bar-delta gains (+0.2 / x0.8, min 0.01), PCA
// initialisation scaled so the first coordinate has standard deviation 1e-4.
//  - Exact (n <= exactThreshold by default): dense affinities, O(n^2) gradient.
//  - Otherwise affinities over the 3*perplexity nearest neighbours (exact brute-force kNN), repulsion
//    by FFT-accelerated interpolation on a grid (default above exactThreshold) or through a Barnes-Hut
//    quadtree with opening angle theta (0.5).
// Deterministic for a given seed and independent of the thread count.
#include <atomic>
#include <cstdint>
#include <functional>

#include "dsp/Matrix.h"
#include "projection/FftRepulsion.h"

namespace stemscope::projection {

struct TsneOptions {
    enum class Method { Auto, Exact, BarnesHut, Fft };
    enum class Init { Pca, Random };

    double perplexity = 30.0;       // clamped to (n - 1) / 3 for tiny inputs
    double earlyExaggeration = 12.0;
    int explorationIterations = 250; // iterations run with early exaggeration (and initial momentum)
    double learningRate = 0.0;      // <= 0: auto = max(n / earlyExaggeration / 4, 50)
    int iterations = 1000;          // total, exploration included
    double initialMomentum = 0.5;
    double finalMomentum = 0.8;
    double minGain = 0.01;
    double theta = 0.5;             // Barnes-Hut opening angle
    Method method = Method::Auto;
    int exactThreshold = 1500; // Auto picks Exact up to this many points, Fft above
    FftRepulsionOptions fft;   // grid settings of Method::Fft
    // Method::Fft falls back to Barnes-Hut for iterations whose padded grid exceeds this many nodes
    // per point (0: never); see RepulsionMethod::treeAboveGridPerPoint. 50 since the tree walks once
    // per leaf (20k real embeddings: 12.5 s and KL 1.182 at 50, 13.6-15.6 s and KL 1.189 at 100).
    double treeAboveGridPerPoint = 50;
    Init init = Init::Pca;
    uint64_t seed = 42;
    int threads = 2;                // <= 0: all hardware threads
    int progressEvery = 50;         // progress callback period (iterations); the last iteration always reports
    std::function<void(int iteration, double kl)> progress;  // kl: KL(P || Q) estimate (un-exaggerated P)
    std::atomic<bool>* cancel = nullptr;  // polled every iteration
};

struct TsneResult {
    Matrix embedding;       // n x 2 (the partial embedding if cancelled)
    double kl = 0.0;        // KL(P || Q) estimate at the end (Z as approximated by the method)
    int iterations = 0;     // iterations actually run
    bool cancelled = false;
    bool exact = false;                                      // exact method ran
    TsneOptions::Method method = TsneOptions::Method::Exact; // which method ran (never Auto)
    double learningRate = 0.0;
};

// x: n rows of features. Throws std::invalid_argument on bad options.
TsneResult runTsne(const Matrix& x, const TsneOptions& options = {});

// Incremental placement: embed the rows of xNew into an existing map (xOld -> yOld) without moving the
// old points. Each new point starts at the mean position of its `initNeighbours` nearest old points (in
// input space), then only new points are optimised (no exaggeration, final momentum) for `iterations`
// steps against affinities computed over old + new. Returns xNew.rows x 2 in yOld's coordinates.
TsneResult placeNewPoints(const Matrix& xOld, const Matrix& yOld, const Matrix& xNew, const TsneOptions& options = {},
                          int iterations = 300, int initNeighbours = 10);

}  // namespace stemscope::projection

namespace stemscope::projection {
const char* methodName(TsneOptions::Method m); // "exact", "Barnes-Hut", "FFT", "auto"
} // namespace stemscope::projection
