#pragma once
// Cuts a signal into fixed-length analysis segments (default 3 s, 50 % overlap) and drops the
// silent ones. "Silent" = segment RMS below silenceDb (dBFS, full scale = 1.0). The default of
// -60 dBFS keeps quiet playing but drops rests, fade tails and digital silence in stems.
#include <vector>

namespace stemscope {

struct SegmentConfig {
    double lengthSeconds = 3.0;
    double hopSeconds = 1.5;    // 50 % overlap
    double silenceDb = -60.0;   // RMS threshold; segments at or below it are dropped
    bool dropSilent = true;
};

struct Segment {
    long long startSample = 0;
    long long lengthSamples = 0;
    double rmsDb = -120.0;
    double startSeconds(double rate) const { return double(startSample) / rate; }
};

// Only whole segments are returned (a tail shorter than lengthSeconds is dropped).
std::vector<Segment> segmentSignal(const std::vector<float>& signal, double sampleRate, const SegmentConfig& config = {});

double rmsDb(const float* samples, long long count);

}  // namespace stemscope
