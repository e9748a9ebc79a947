#pragma once
// Narrow interface between the engine and whatever turns feature segments into vectors.
// Implementations: the LibTorch CNN (embedding/TorchEmbedder*), test doubles in tests/.
#include <string>
#include <vector>

#include "dsp/Matrix.h"

namespace stemscope {

// What a model listens to: the focus's own signal (a stem from the multitrack or the separator; the
// mix for the mix focus), or the whole mix whatever the focus (the multi-focus mix model).
enum class EmbedderInput { FocusSignal, Mix };

// What each input segment is: log-mel frames (the instrument-similarity models) or constant-Q
// frames (the learning-to-rank model). The engine computes them (analysis/SegmentFeatures).
enum class EmbedderFeatures { LogMel, Cqt };

class Embedder {
public:
    virtual ~Embedder() = default;
    virtual std::string modelId() const = 0;   // stable id stored next to every embedding
    virtual int dimension() const = 0;         // e.g. 128
    virtual int segmentFrames() const = 0;     // frames per input segment
    virtual int featureBands() const = 0;      // mel bands / CQT bins per frame
    // One L2-normalised row per segment (each segment: segmentFrames() x featureBands()).
    virtual Matrix embed(const std::vector<Matrix>& segments) const = 0;
    // The rows of embed() and, in `weights`, each row's weight in the track's centroid: how strongly
    // the model heard its focus in that segment. Default: embed() with equal weights.
    virtual Matrix embedWeighted(const std::vector<Matrix>& segments, std::vector<float>& weights) const;
    virtual EmbedderInput input() const { return EmbedderInput::FocusSignal; }
    virtual EmbedderFeatures features() const { return EmbedderFeatures::LogMel; }
    // Audio seconds per segment; 0: the analysis's own segments (3 s).
    virtual double segmentSeconds() const { return 0; }
};

// Mean of the rows, re-normalised to unit length: the paper's per-track centroid. With `weights`
// (one per row), the weighted mean.
std::vector<float> centroid(const Matrix& embeddings, const std::vector<float>& weights = {});

}  // namespace stemscope
