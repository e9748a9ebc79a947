#pragma once
// A tiny synthetic multitrack corpus written at test time: root/song<s>/mix.<ext> + <stem>.<ext>,
// one pitched signal per file, for the training / instrument-similarity tests.
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "TestSignals.h"
#include "audio/AudioDecoder.h"

namespace stemscope::test {

// Two partials (f0 and 2.01 f0) gated by a square envelope (1.0 / 0.3) whose rate grows with f0:
// songs at different f0 differ in both pitch and rhythm.
inline std::vector<float> tones(double f0, double seconds, double rate, double amp)
{
    std::vector<float> x(size_t(seconds * rate));
    for (size_t i = 0; i < x.size(); ++i) {
        const double t = double(i) / rate;
        const double env = std::fmod(t * (1 + f0 / 400.0), 1.0) < 0.5 ? 1.0 : 0.3;
        x[i] = float(amp * env * (std::sin(2 * M_PI * f0 * t) + 0.5 * std::sin(2 * M_PI * 2.01 * f0 * t)));
    }
    return x;
}

struct MultitrackSpec {
    enum class Signal { Tones, Sine };  // tones() above, or a plain sine()
    int songs = 6;
    std::string stem = "bass";
    std::string ext = "wav";
    double rate = 22050;
    double seconds = 8.0;
    double mixF0 = 220.0, mixStep = 37.0;   // song s: mix at mixF0 + mixStep * s Hz
    double stemF0 = 55.0, stemStep = 11.0;  // song s: stem at stemF0 + stemStep * s Hz
    double amp = 0.3;
    int silentStem = -1;   // this song's stem is written at amplitude 0
    int missingStem = -1;  // this song has no stem file
    Signal signal = Signal::Tones;
};

// Writes the corpus under `root` (created) and returns root.
inline std::string writeSyntheticMultitrack(const std::string& root, const MultitrackSpec& spec = {})
{
    auto signal = [&](double f, double amp) {
        return spec.signal == MultitrackSpec::Signal::Tones ? tones(f, spec.seconds, spec.rate, amp)
                                                            : sine(f, spec.rate, spec.seconds, amp);
    };
    for (int s = 0; s < spec.songs; ++s) {
        const std::filesystem::path song = std::filesystem::path(root) / ("song" + std::to_string(s));
        std::filesystem::create_directories(song);
        writeMonoAudio((song / ("mix." + spec.ext)).string(), signal(spec.mixF0 + spec.mixStep * s, spec.amp), spec.rate);
        if (s != spec.missingStem)
            writeMonoAudio((song / (spec.stem + "." + spec.ext)).string(),
                           signal(spec.stemF0 + spec.stemStep * s, s == spec.silentStem ? 0.0 : spec.amp), spec.rate);
    }
    return root;
}

}  // namespace stemscope::test
