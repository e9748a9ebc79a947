// `stemscope-cli embed AUDIO --focus F`: the per-segment embeddings the engine's default pipeline
// computes for a file when it is a plain mix (also how users export embeddings).
#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "analysis/EmbedderRegistry.h"
#include "analysis/SegmentFeatures.h"
#include "audio/AudioDecoder.h"
#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "cli/CliDecode.h"
#include "dsp/MatrixIO.h"
#include "mixfocus/MixPipelines.h"

namespace stemscope::cli {
namespace {
namespace fs = std::filesystem;

// X.npy -> X.<what>.npy (or .txt) beside it.
std::string besides(const std::string& out, const std::string& what, const std::string& ext = {})
{
    const fs::path p(out);
    return (p.parent_path() / (p.stem().string() + "." + what + (ext.empty() ? p.extension().string() : ext))).string();
}

int run(int argc, char** argv)
{
    CliArgs args(argc, argv, {"json"});
    if (args.positional().empty()) throw UsageError("expected: embed AUDIO [AUDIO...] --focus F [--out X.npy] [--json]");
    const auto focus = focusFromName(args.get("focus", "mix"));
    if (!focus) throw UsageError("unknown focus '" + args.get("focus") + "' (mix, drums, bass, piano, guitar, style)");
    const std::string root = args.get("models", defaultModelsRoot());
    std::vector<std::string> problems;
    const auto pipelines = standardMixPipelines(root, *focus, {"default"}, &problems);
    if (pipelines.empty())
        throw std::runtime_error("no " + std::string(focusName(*focus)) + " pipeline under " + root +
                                 (problems.empty() ? std::string() : ": " + problems.front()));
    const auto& p = pipelines.front();
    const SegmentConfig grid = segmentConfigFor(*p.embedder);
    DecodeOptions d;
    d.targetSampleRate = kAnalysisSampleRate;
    const std::string out = args.get("out");
    // Several files: their rows one after the other (file index per row in X.files.npy, names in X.files.txt).
    std::vector<float> rows, starts, fileOf, weights;
    int cols = 0, failed = 0;
    std::vector<std::string> done;
    const auto& inputs = args.positional();
    for (size_t f = 0; f < inputs.size(); ++f) {
        const std::string& input = inputs[f];
        TrackEmbedding e;
        try {
            const auto audio = decodeReportingDamage(input, d);
            e = runPipeline(p, *focus, audio.samples);
        } catch (const std::exception& ex) {
            if (inputs.size() == 1) throw;
            std::cerr << input << ": " << ex.what() << " (left out)\n";  // one bad file does not lose the others
            ++failed;
            continue;
        }
        cols = e.segments.cols;
        rows.insert(rows.end(), e.segments.data.begin(), e.segments.data.end());
        for (double t : e.startSeconds) starts.push_back(float(t)), fileOf.push_back(float(done.size()));
        for (int r = 0; r < e.segments.rows; ++r) weights.push_back(e.weight(r));
        done.push_back(input);
        if (args.has("json")) {
            nlohmann::json j{{"file", input},
                             {"focus", focusName(*focus)},
                             {"model", p.embedder->modelId()},
                             {"input", pipelineInputName(p.input == PipelineInput::SeparatedPart && !focusHasStem(*focus)
                                                             ? PipelineInput::Mix
                                                             : p.input)},
                             {"segment_seconds", grid.lengthSeconds},
                             {"hop_seconds", grid.hopSeconds}};
            auto& segs = j["segments"] = nlohmann::json::array();
            for (int r = 0; r < e.segments.rows; ++r)
                segs.push_back({{"start", e.startSeconds[size_t(r)]},
                                {"weight", e.weight(r)},
                                {"embedding", std::vector<float>(e.segments.row(r), e.segments.row(r) + e.segments.cols)}});
            std::cout << j.dump() << "\n";  // one line per file
        } else if (out.empty()) {
            std::cout << input << ": " << e.segments.rows << " segments x " << e.segments.cols << " ("
                      << p.embedder->modelId() << ", " << pipelineInputName(p.input) << "); use --out or --json\n";
        }
        if (inputs.size() > 1 && (f + 1) % 50 == 0) std::cerr << f + 1 << "/" << inputs.size() << " files\n";
    }
    if (!out.empty()) {
        const int n = int(starts.size());
        Matrix m(n, cols), s(n, 1), fi(n, 1), w(n, 1);
        m.data = rows;
        s.data = starts;
        fi.data = fileOf;
        w.data = weights;
        writeMatrix(out, m);
        writeMatrix(besides(out, "starts"), s);
        writeMatrix(besides(out, "weights"), w);
        std::cerr << out << ": " << n << " segments x " << cols << " (start times in " << besides(out, "starts")
                  << ", centroid weights in " << besides(out, "weights") << ")\n";
        if (inputs.size() > 1) {
            writeMatrix(besides(out, "files"), fi);
            std::ofstream names(besides(out, "files", ".txt"));
            for (const auto& name : done) names << name << "\n";
            std::cerr << "file index per row in " << besides(out, "files") << ", names in " << besides(out, "files", ".txt") << "\n";
        }
    }
    return failed > 0 && done.empty() ? 1 : 0;
}

const CommandRegistration reg(
    {"embed", "per-segment embeddings of one audio file under a focus (the engine's default pipeline)",
     "stemscope-cli embed AUDIO [AUDIO...] --focus F [--out X.npy] [--json] [--models DIR]\n"
     "  One row per non-silent 3 s segment at 50 % overlap, as the engine analyses a plain mix: the\n"
     "  focus's installed model (models/pipelines.json), separating first when that model listens to stems.\n"
     "  --out X.npy   embeddings (rows = segments); start times (seconds) in X.starts.npy, each row's\n"
     "                weight in the track's centroid (how strongly the model heard the focus) in X.weights.npy\n"
     "  --json        print {file, focus, model, input, segments: [{start, weight, embedding}]} (a line per file)\n"
     "  Several files: their rows in order; X.files.npy gives each row's file (index into X.files.txt);\n"
     "  a file that cannot be read is named and left out.",
     run});

}  // namespace
}  // namespace stemscope::cli
