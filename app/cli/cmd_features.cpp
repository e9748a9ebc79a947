// `stemscope-cli features mel|cqt FILE --out F`: the analysis front-ends on one file, written as a
// matrix (.npy or raw f32, rows = frames) so they can be inspected or compared outside the app.
#include <iostream>

#include "audio/AudioDecoder.h"
#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "cli/CliDecode.h"
#include "dsp/Cqt.h"
#include "dsp/MatrixIO.h"
#include "dsp/MelSpectrogram.h"

namespace stemscope::cli {
namespace {

int run(int argc, char** argv)
{
    CliArgs args(argc, argv);
    if (args.positional().size() != 2) throw UsageError("expected: features mel|cqt FILE --out OUT");
    const std::string kind = args.positional()[0];
    const std::string input = args.positional()[1];
    const std::string out = args.get("out");
    if (out.empty()) throw UsageError("--out is required");

    Matrix m;
    if (kind == "mel") {
        MelConfig c;
        c.sampleRate = args.getDouble("rate", 22050.0);
        c.nMels = args.getInt("bands", 64);
        c.nFft = args.getInt("n-fft", 2048);
        c.hop = args.getInt("hop", 512);
        DecodeOptions d;
        d.targetSampleRate = c.sampleRate;
        m = MelSpectrogram(c).compute(decodeReportingDamage(input, d).samples);
    } else if (kind == "cqt") {
        CqtConfig c; // 96 bins, 12/octave, fmin 32.70 Hz, hop 1024 at 44.1 kHz
        DecodeOptions d;
        d.targetSampleRate = c.sampleRate;
        m = Cqt(c).compute(decodeReportingDamage(input, d).samples);
    } else {
        throw UsageError("unknown feature '" + kind + "' (mel or cqt)");
    }
    writeMatrix(out, m);
    std::cout << out << ": " << m.rows << " frames x " << m.cols << " " << (kind == "mel" ? "mel bands" : "CQT bins")
              << "\n";
    return 0;
}

const CommandRegistration reg(
    {"features", "compute the log-mel or CQT front-end of one audio file",
     "stemscope-cli features mel|cqt FILE --out OUT.npy|OUT.f32\n"
     "  mel: --rate HZ (22050) --bands N (64) --n-fft N (2048) --hop N (512), dB power\n"
     "  cqt: 96 bins, 12/octave, fmin 32.70 Hz, hop 1024 at 44.1 kHz, log power\n"
     "  OUT: .npy (NumPy) or anything else (raw f32 with an int32 rows/cols header)",
     run});

}  // namespace
}  // namespace stemscope::cli
