// `stemscope-cli bench decode-mel FILE`: decode + log-mel throughput in x real time, the front-end
// cost every analysed track pays. Decode (to mono 22050 Hz) and mel are timed separately over
// several repetitions; the median repetition is reported.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "audio/AudioDecoder.h"
#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "dsp/MelSpectrogram.h"

namespace stemscope::cli {
namespace {
using Clock = std::chrono::steady_clock;

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

int run(int argc, char** argv)
{
    CliArgs args(argc, argv);
    if (args.positional().size() != 1) throw UsageError("expected one audio file");
    const std::string file = args.positional()[0];
    const int reps = std::max(1, args.getInt("reps", 5));
    MelConfig mc;
    mc.nMels = args.getInt("bands", 64);
    const MelSpectrogram mel(mc);
    DecodeOptions d;
    d.targetSampleRate = mc.sampleRate;

    std::vector<double> decodeS, melS;
    double audioSeconds = 0;
    int frames = 0;
    for (int r = 0; r < reps; ++r) {
        const auto t0 = Clock::now();
        const auto audio = defaultAudioDecoder()->decodeMono(file, d);
        const auto t1 = Clock::now();
        const auto m = mel.compute(audio.samples);
        const auto t2 = Clock::now();
        decodeS.push_back(std::chrono::duration<double>(t1 - t0).count());
        melS.push_back(std::chrono::duration<double>(t2 - t1).count());
        audioSeconds = audio.source.durationSeconds();
        frames = m.rows;
    }
    const double dec = median(decodeS), me = median(melS);
    std::printf("file: %s (%s, %.1f s of audio)\n", file.c_str(), "decoded to mono 22050 Hz", audioSeconds);
    std::printf("decode: %.3f s  %.1fx real time\n", dec, audioSeconds / dec);
    std::printf("log-mel (%d bands, %d frames): %.3f s  %.1fx real time\n", mc.nMels, frames, me, audioSeconds / me);
    std::printf("decode + log-mel: %.3f s  %.1fx real time (median of %d, one thread)\n", dec + me,
                audioSeconds / (dec + me), reps);
    return 0;
}

const CommandRegistration reg({"bench decode-mel", "decode + log-mel throughput (x real time) on one file",
                               "stemscope-cli bench decode-mel FILE [--reps N (5)] [--bands N (64)]", run});

}  // namespace
}  // namespace stemscope::cli
