#pragma once
// The analysis front end shared by every focus: 22050 Hz mono -> 3 s segments with 50 % overlap,
// silent ones dropped (dsp/Segmenter) -> one log-mel matrix per segment (dsp/MelSpectrogram),
// computed on the segment's own samples and cut/padded to exactly `frames` rows.
#include <vector>

#include "dsp/Matrix.h"
#include "dsp/Segmenter.h"

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

}  // namespace stemscope
