// `stemscope-cli decode`: probe or decode audio files and report what the engine sees.
#include <cmath>
#include <iomanip>
#include <iostream>

#include "audio/AudioDecoder.h"
#include "audio/AudioError.h"
#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "cli/CliDecode.h"

namespace stemscope::cli {
namespace {

int run(int argc, char** argv)
{
    CliArgs args(argc, argv);
    if (args.positional().empty()) throw UsageError("no input files");
    DecodeOptions opts;
    opts.targetSampleRate = args.getDouble("rate", 22050.0);
    const std::string out = args.get("out");
    if (!out.empty() && args.positional().size() != 1) throw UsageError("--out takes exactly one input file");
    int failures = 0;
    for (const auto& path : args.positional()) {
        try {
            const auto audio = decodeReportingDamage(path, opts);
            double sumSq = 0;
            for (float s : audio.samples) sumSq += double(s) * s;
            const double rms = audio.samples.empty() ? 0 : std::sqrt(sumSq / audio.samples.size());
            std::cout << path << ": " << audio.source.format << ", " << audio.source.channels << " ch, "
                      << audio.source.sampleRate << " Hz, " << std::fixed << std::setprecision(2)
                      << audio.source.durationSeconds() << " s -> " << audio.samples.size() << " mono samples at "
                      << audio.sampleRate << " Hz, RMS " << std::setprecision(1)
                      << (rms > 0 ? 20 * std::log10(rms) : -999.0) << " dBFS\n";
            if (!out.empty()) writeMonoAudio(out, audio.samples, audio.sampleRate);
        } catch (const AudioError& e) {
            std::cerr << e.what() << "\n";
            ++failures;
        }
    }
    return failures ? 3 : 0;
}

const CommandRegistration reg({"decode", "decode audio files to mono at the analysis rate and report",
                               "stemscope-cli decode FILE... [--rate HZ] [--out FILE.wav|.flac]\n"
                               "  --rate  target sample rate (default 22050; 0 keeps the native rate)\n"
                               "  --out   write the decoded mono signal (single input only)",
                               run});

}  // namespace
}  // namespace stemscope::cli
