#include "mixfocus/MixPipelines.h"

#include <filesystem>
#include <map>
#include <stdexcept>

#include "analysis/EmbedderRegistry.h"
#include "analysis/SegmentFeatures.h"
#include "dsp/Resampler.h"
#include "embedding/BaselineEmbedder.h"
#include "embedding/TorchEmbedder.h"
#include "separation/Separator.h"
#include "separation/TorchSeparator.h"

namespace stemscope {
namespace fs = std::filesystem;

const char* pipelineInputName(PipelineInput in)
{
    switch (in) {
    case PipelineInput::CleanPart: return "clean part";
    case PipelineInput::SeparatedPart: return "separated part";
    case PipelineInput::Mix: return "mix";
    }
    return "mix";
}

TrackEmbedding runPipeline(const MixPipeline& p, Focus focus, const std::vector<float>& mix, const std::vector<float>* cleanPart)
{
    if (!p.embedder) throw std::invalid_argument("pipeline " + p.name + " has no embedder");
    std::vector<float> separated;
    const std::vector<float>* signal = &mix;
    if (p.input == PipelineInput::CleanPart) {
        if (!cleanPart) throw std::invalid_argument("pipeline " + p.name + " needs the clean part");
        signal = cleanPart;
    } else if (p.input == PipelineInput::SeparatedPart && focus != Focus::Mix) {
        if (!p.separator) throw std::invalid_argument("pipeline " + p.name + " has no separator");
        auto in = mix;
        const double rate = p.separator->sampleRate();
        if (rate != kAnalysisSampleRate) in = resample(in, kAnalysisSampleRate, rate);
        auto stems = p.separator->separate(in);
        auto it = stems.find(focusName(focus));
        if (it == stems.end()) throw std::runtime_error("separator yields no " + std::string(focusName(focus)) + " stem");
        separated = rate != kAnalysisSampleRate ? resample(it->second, rate, kAnalysisSampleRate) : std::move(it->second);
        signal = &separated;
    }
    const auto plan = planSegments(*signal);
    TrackEmbedding out;
    out.segments = Matrix(0, p.embedder->dimension());
    const size_t batch = 64;
    for (size_t first = 0; first < plan.segments.size(); first += batch) {
        const auto mels = segmentLogMels(*signal, plan, first, batch, p.embedder->featureBands(), p.embedder->segmentFrames());
        const Matrix e = p.embedder->embed(mels);
        out.segments.data.insert(out.segments.data.end(), e.data.begin(), e.data.end());
        out.segments.rows += e.rows;
    }
    for (const auto& s : plan.segments) out.startSeconds.push_back(s.startSeconds(kAnalysisSampleRate));
    if (out.segments.rows > 0) out.centroid = centroid(out.segments);
    return out;
}

const std::vector<std::string>& standardPipelineNames()
{
    static const std::vector<std::string> names{"clean",    "separated", "focus-on-mix", "mix-model",
                                                "mel-stats", "mixfocus",  "default"};
    return names;
}

std::vector<MixPipeline> standardMixPipelines(const std::string& root, Focus focus, const std::vector<std::string>& names,
                                              std::vector<std::string>* problems)
{
    auto note = [&](const std::string& s) {
        if (problems) problems->push_back(s);
    };
    auto load = [&](const std::string& folder, Focus f) -> std::shared_ptr<const Embedder> {
        const auto dir = (fs::u8path(root) / folder).u8string();
        if (!fs::exists(fs::u8path(dir) / "model.pt")) return nullptr;
        return makeTorchEmbedder(f, dir);
    };
    std::shared_ptr<const Separator> separator;
    auto sep = [&]() {
        if (!separator) {
            const auto dir = (fs::u8path(root) / "separator").u8string();
            if (fs::exists(fs::u8path(dir) / "model.pt")) separator = std::make_shared<TorchSeparator>(dir);
        }
        return separator;
    };
    std::vector<MixPipeline> out;
    for (const auto& name : names) {
        MixPipeline p;
        p.name = name;
        if (name == "clean" || name == "separated" || name == "focus-on-mix") {
            p.embedder = load(focusName(focus), focus);
            p.input = name == "clean" ? PipelineInput::CleanPart
                                      : name == "separated" ? PipelineInput::SeparatedPart : PipelineInput::Mix;
            if (name == "separated") p.separator = sep();
        } else if (name == "mix-model") {
            p.embedder = load("mix", Focus::Mix);
        } else if (name == "mel-stats") {
            p.embedder = std::make_shared<BaselineEmbedder>(focus, 128, 64, 129);
        } else if (name == "mixfocus") {
            p.embedder = load("mixfocus", focus);
        } else if (name == "default") {
            std::vector<std::string> why;
            const auto set = loadEmbedders(root, {focus}, &why);
            if (auto it = set.find(focus); it != set.end()) p.embedder = it->second;
            if (p.embedder && p.embedder->input() == EmbedderInput::FocusSignal && focus != Focus::Mix) {
                p.input = PipelineInput::SeparatedPart;
                p.separator = sep();
            }
        } else {
            throw std::invalid_argument("unknown pipeline '" + name + "'");
        }
        if (!p.embedder) {
            note(name + ": no model for " + focusName(focus) + " under " + root);
            continue;
        }
        if (p.input == PipelineInput::SeparatedPart && !p.separator) {
            note(name + ": no separator under " + root);
            continue;
        }
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace stemscope
