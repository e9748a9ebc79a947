#pragma once
// Loudness-matched excerpts for a trial: X, A and B are decoded ([start, start + length) of the
// mix or the focus stem), brought to one common RMS level (the quietest level that lets every
// excerpt stay below the peak limit, at most `targetRmsDb`), and written as WAV files to play.
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace stemscope {
class AudioDecoder;
}

namespace stemscope::listening {

struct ExcerptSource {
    std::string path;
    double start = 0;
};

struct PreparedExcerpt {
    std::string file;   // the written WAV
    double gainDb = 0;  // applied gain
    double rmsDb = -200;// RMS of the source excerpt before the gain
};

struct ExcerptOptions {
    double lengthSeconds = 10;
    double sampleRate = 44100;
    double targetRmsDb = -20;    // dBFS
    double peakLimit = 0.98;     // linear
};

double rmsDb(const std::vector<float>& x);  // dBFS, -200 for silence

// Linear gains giving every signal the same RMS (the lower of targetRmsDb and the loudest level
// at which no signal's peak exceeds peakLimit). Silent signals get gain 1.
std::vector<double> matchedGains(const std::vector<std::vector<float>>& signals, double targetRmsDb = -20,
                                 double peakLimit = 0.98);

// Decodes, matches and writes `sources` to `outDir/<names[i]>.wav`. Throws AudioError /
// std::runtime_error.
std::vector<PreparedExcerpt> prepareExcerpts(const AudioDecoder& decoder, const std::vector<ExcerptSource>& sources,
                                             const std::vector<std::string>& names, const std::string& outDir,
                                             const ExcerptOptions& options = {});

// A start for an excerpt of `length` in a file of `duration` seconds: uniform in the middle 80 %
// of the possible range (avoiding intros/fade-outs), rounded to 0.1 s; 0 when the file is shorter.
double chooseExcerptStart(double duration, double length, std::mt19937_64& rng);

}  // namespace stemscope::listening
