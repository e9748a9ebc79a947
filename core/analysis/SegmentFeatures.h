#pragma once
// The analysis front end shared by every focus: 22050 Hz mono -> 3 s segments with 50 % overlap,
// silent ones dropped (dsp/Segmenter) -> one log-mel matrix per segment (dsp/MelSpectrogram),
// computed on the segment's own samples and cut/padded to exactly `frames` rows. An embedder may
// ask for longer segments and constant-Q input instead (the style model): SegmentFeatureReader.
#include <cstdint>
#include <memory>
#include <vector>

#include "dsp/Cqt.h"
#include "dsp/Matrix.h"
#include "dsp/Segmenter.h"
#include "embedding/Embedder.h"

namespace stemscope {

inline constexpr double kAnalysisSampleRate = 22050.0;

struct SegmentPlan {
    std::vector<Segment> segments;  // non-silent segments, in time order
    double sampleRate = kAnalysisSampleRate;
};

SegmentPlan planSegments(const std::vector<float>& signal, double sampleRate = kAnalysisSampleRate,
                         const SegmentConfig& config = {});

// Log-mel for segments [first, first+count) of the plan: `bands` mel bands, `frames` rows each.
std::vector<Matrix> segmentLogMels(const std::vector<float>& signal, const SegmentPlan& plan, size_t first, size_t count,
                                   int bands, int frames);

// The learning-to-rank CQT (96 bins from C1, 12 per octave; hop 1024 at 44.1 kHz) at another rate:
// the same bins and the same frames per second (hop scaled), so a model trained at 44.1 kHz reads
// the analysis's 22050 Hz audio.
CqtConfig cqtConfigAt(double sampleRate);

// The segment grid `embedder` listens on: `base` (3 s, 50 % overlap) unless the embedder asks for
// its own segment length (the style model's 11.9 s CQT patches), then at the same overlap.
SegmentConfig segmentConfigFor(const Embedder& embedder, const SegmentConfig& base = {});

// The whole-signal CQT of the signals asked for, by content: the focuses of one track that hear the
// same mix through CQT models (the style model, the piano/guitar specialist) compute it once.
class SignalCqtCache {
public:
    std::shared_ptr<const Matrix> of(const std::vector<float>& signal, const CqtConfig& config);
    int computations() const { return computed_; }

private:
    struct Entry {
        uint64_t key = 0;
        std::shared_ptr<const Matrix> cqt;
    };
    std::vector<Entry> entries_;  // a few per track at most (the mix, perhaps a stem)
    int computed_ = 0;
};

// The input segments of one embedder over one signal's plan, in batches. Log-mel is computed per
// segment; the CQT once for the whole signal (its lowest bins need half a second of context either
// side, as in training on whole songs) and then cut at each segment's first frame.
class SegmentFeatureReader {
public:
    // `signal`, `plan` and `cache` (optional) must outlive the reader.
    SegmentFeatureReader(const std::vector<float>& signal, const SegmentPlan& plan, const Embedder& embedder,
                         SignalCqtCache* cache = nullptr);
    std::vector<Matrix> read(size_t first, size_t count);

private:
    const std::vector<float>& signal_;
    const SegmentPlan& plan_;
    EmbedderFeatures kind_;
    int bands_ = 0;
    int frames_ = 0;
    SignalCqtCache own_;
    SignalCqtCache* cache_;
    std::shared_ptr<const Matrix> cqt_;  // whole-signal CQT, computed (or found) on the first read
};

}  // namespace stemscope
