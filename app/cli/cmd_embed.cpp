// `stemscope-cli embed AUDIO --focus F`: the per-segment embeddings the engine's default pipeline
// computes for a file when it is a plain mix (also how users export embeddings).
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "analysis/EmbedderRegistry.h"
#include "analysis/SegmentFeatures.h"
#include "audio/AudioDecoder.h"
#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "dsp/MatrixIO.h"
#include "mixfocus/MixPipelines.h"

namespace stemscope::cli {
namespace {
namespace fs = std::filesystem;

int run(int argc, char** argv)
{
    CliArgs args(argc, argv, {"json"});
    if (args.positional().size() != 1) throw UsageError("expected: embed AUDIO --focus F [--out X.npy] [--json]");
    const std::string input = args.positional()[0];
    const auto focus = focusFromName(args.get("focus", "mix"));
    if (!focus) throw UsageError("unknown focus '" + args.get("focus") + "' (mix, drums, bass, piano, guitar)");
    const std::string root = args.get("models", defaultModelsRoot());
    std::vector<std::string> problems;
    const auto pipelines = standardMixPipelines(root, *focus, {"default"}, &problems);
    if (pipelines.empty())
        throw std::runtime_error("no " + std::string(focusName(*focus)) + " pipeline under " + root +
                                 (problems.empty() ? std::string() : ": " + problems.front()));
    const auto& p = pipelines.front();
    DecodeOptions d;
    d.targetSampleRate = kAnalysisSampleRate;
    const auto audio = defaultAudioDecoder()->decodeMono(input, d);
    const TrackEmbedding e = runPipeline(p, *focus, audio.samples);
    const std::string out = args.get("out");
    if (!out.empty()) {
        writeMatrix(out, e.segments);
        Matrix starts(int(e.startSeconds.size()), 1);
        for (size_t i = 0; i < e.startSeconds.size(); ++i) starts(int(i), 0) = float(e.startSeconds[i]);
        const auto startsPath = (fs::path(out).parent_path() / (fs::path(out).stem().string() + ".starts" +
                                                                 fs::path(out).extension().string())).string();
        writeMatrix(startsPath, starts);
        std::cerr << out << ": " << e.segments.rows << " segments x " << e.segments.cols << " (start times in "
                  << startsPath << ")\n";
    }
    if (args.has("json")) {
        nlohmann::json j{{"file", input},
                         {"focus", focusName(*focus)},
                         {"model", p.embedder->modelId()},
                         {"input", pipelineInputName(p.input == PipelineInput::SeparatedPart && *focus == Focus::Mix
                                                         ? PipelineInput::Mix
                                                         : p.input)},
                         {"segment_seconds", 3.0},
                         {"hop_seconds", 1.5}};
        auto& segs = j["segments"] = nlohmann::json::array();
        for (int r = 0; r < e.segments.rows; ++r)
            segs.push_back({{"start", e.startSeconds[size_t(r)]},
                            {"embedding", std::vector<float>(e.segments.row(r), e.segments.row(r) + e.segments.cols)}});
        std::cout << j.dump() << "\n";
    } else if (out.empty()) {
        std::cout << input << ": " << e.segments.rows << " segments x " << e.segments.cols << " ("
                  << p.embedder->modelId() << ", " << pipelineInputName(p.input) << "); use --out or --json\n";
    }
    return 0;
}

const CommandRegistration reg(
    {"embed", "per-segment embeddings of one audio file under a focus (the engine's default pipeline)",
     "stemscope-cli embed AUDIO --focus F [--out X.npy] [--json] [--models DIR]\n"
     "  One row per non-silent 3 s segment at 50 % overlap, as the engine analyses a plain mix: the\n"
     "  focus's installed model (models/pipelines.json), separating first when that model listens to stems.\n"
     "  --out X.npy   embeddings (rows = segments); start times (seconds) in X.starts.npy\n"
     "  --json        print {file, focus, model, input, segments: [{start, embedding}]}",
     run});

}  // namespace
}  // namespace stemscope::cli
