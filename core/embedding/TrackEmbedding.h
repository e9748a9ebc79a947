#pragma once
// Track -> embeddings, the inference path of the instrument-similarity method:
// decode (mono, 22050 Hz) -> 3 s segments, 50 % overlap, silent ones dropped -> log-mel per segment
// (MelSpectrogram on the segment's own samples, first `frames` frames) -> Embedder -> centroid.
#include <string>
#include <vector>

#include "dsp/Matrix.h"
#include "dsp/Segmenter.h"
#include "embedding/Embedder.h"
#include "embedding/Focus.h"

namespace stemscope {

struct SegmentFeatureOptions {
    int bands = 64;
    int frames = 129;
    int maxSegments = 0;        // keep only the first N non-silent segments (0 = all)
    SegmentConfig segments{};   // 3 s, hop 1.5 s, drop <= -60 dBFS
};

// Log-mel segments of a mono signal at 22050 Hz, each frames x bands, concatenated row-wise into
// one (count*frames) x bands matrix; `starts` (optional) receives the segment start times in seconds.
Matrix logMelSegments(const std::vector<float>& signal22k, const SegmentFeatureOptions& options,
                      std::vector<double>* starts = nullptr);

// Splits the concatenated matrix back into per-segment matrices.
std::vector<Matrix> splitSegments(const Matrix& stacked, int frames);

struct TrackEmbedding {
    Matrix segments;                  // one L2-normalised row per non-silent segment
    std::vector<double> startSeconds; // segment start times
    std::vector<float> weights;       // each segment's weight in the centroid (Embedder::embedWeighted; empty: equal)
    std::vector<float> centroid;      // normalised weighted mean (empty when the track has no segment)

    // Segment r's weight in the centroid (1 when `weights` is empty).
    float weight(int r) const { return weights.empty() ? 1.f : weights[size_t(r)]; }
};

// The audio file a focus listens to in a song folder: mix.flac for Focus::Mix, <focus>.flac else
// (any extension the decoder reads; .flac, .wav, .ogg tried in that order). Empty when absent.
std::string stemFileFor(const std::string& songDir, Focus focus);

// embedTrack / embedSongFocus (a file through the engine's front end): instrsim/CorpusEmbedding.h.

}  // namespace stemscope
