#include "mixfocus/MixPipelines.h"

#include <cmath>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "analysis/EmbedderRegistry.h"
#include "analysis/SegmentEmbeddingReader.h"
#include "analysis/SegmentFeatures.h"
#include "dsp/Resampler.h"
#include "embedding/BaselineEmbedder.h"
#include "embedding/TorchEmbedder.h"
#include "embedding/TransposedViewsEmbedder.h"
#include "separation/SeparationBaselines.h"
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
    case PipelineInput::OracleMaskedPart: return "oracle-masked part";
    case PipelineInput::OracleGlimpsedPart: return "oracle-glimpsed part";
    }
    return "mix";
}

namespace {

TrackEmbedding combine(const std::vector<TrackEmbedding>& parts)
{
    TrackEmbedding out;
    int width = 0;
    for (const auto& e : parts) width += e.segments.cols;
    out.segments = Matrix(0, width);
    const float scale = 1.f / std::sqrt(float(parts.size()));
    const auto& first = parts.front();
    std::vector<size_t> at(parts.size(), 0);
    for (int r = 0; r < first.segments.rows; ++r) {
        const double t = first.startSeconds[size_t(r)];
        // Each part's segment with the same start (plans are ordered by time).
        std::vector<int> rows{r};
        for (size_t k = 1; k < parts.size(); ++k) {
            auto& i = at[k];
            while (i < parts[k].startSeconds.size() && parts[k].startSeconds[i] < t - 1e-6) ++i;
            if (i < parts[k].startSeconds.size() && std::abs(parts[k].startSeconds[i] - t) < 1e-6) rows.push_back(int(i));
        }
        if (rows.size() != parts.size()) continue;
        for (size_t k = 0; k < parts.size(); ++k) {
            const float* v = parts[k].segments.row(rows[k]);
            double norm = 0;
            for (int c = 0; c < parts[k].segments.cols; ++c) norm += double(v[c]) * v[c];
            const float inv = norm > 0 ? scale / float(std::sqrt(norm)) : 0.f;
            for (int c = 0; c < parts[k].segments.cols; ++c) out.segments.data.push_back(v[c] * inv);
        }
        ++out.segments.rows;
        out.startSeconds.push_back(t);
    }
    if (out.segments.rows > 0) out.centroid = centroid(out.segments);
    return out;
}

}  // namespace

std::string pipelineModelIds(const MixPipeline& p)
{
    if (p.parts.empty()) return p.embedder ? p.embedder->modelId() : std::string();
    std::string ids;
    for (const auto& part : p.parts) ids += (ids.empty() ? "" : "+") + pipelineModelIds(part);
    return ids;
}

TrackEmbedding runPipeline(const MixPipeline& p, Focus focus, const std::vector<float>& mix, const std::vector<float>* cleanPart)
{
    if (!p.parts.empty()) {
        std::vector<TrackEmbedding> each;
        for (const auto& part : p.parts) each.push_back(runPipeline(part, focus, mix, cleanPart));
        return combine(each);
    }
    if (!p.embedder) throw std::invalid_argument("pipeline " + p.name + " has no embedder");
    std::vector<float> separated;
    const std::vector<float>* signal = &mix;
    const bool oracle = p.input == PipelineInput::OracleMaskedPart || p.input == PipelineInput::OracleGlimpsedPart;
    if (p.input == PipelineInput::CleanPart || oracle) {
        if (!cleanPart) throw std::invalid_argument("pipeline " + p.name + " needs the clean part");
        signal = cleanPart;
        if (oracle && focusHasStem(focus)) {
            std::vector<float> part(*cleanPart), rest(mix.size());
            part.resize(mix.size());
            for (size_t i = 0; i < rest.size(); ++i) rest[i] = mix[i] - part[i];
            auto estimates = p.input == PipelineInput::OracleMaskedPart ? oracleRatioMask({part, rest})
                                                                        : oracleBinaryMask({part, rest});
            separated = std::move(estimates.front());
            signal = &separated;
        }
    } else if (p.input == PipelineInput::SeparatedPart && focusHasStem(focus)) {
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
    return embedSignal(*signal, *p.embedder);
}

const std::vector<std::string>& standardPipelineNames()
{
    static const std::vector<std::string> names{"clean",    "separated", "focus-on-mix", "mix-model",
                                                "mel-stats", "mixfocus",  "default", "oracle-mask", "oracle-binary-mask"};
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
        if (const auto tilde = name.rfind("~views"); tilde != std::string::npos) {
            // Test-time transposition (TransposedViewsEmbedder): shifts -K..K bins, K = 1 unless named.
            const auto inner = name.substr(0, tilde), k = name.substr(tilde + 6);
            if (!k.empty() && (k.size() > 1 || k[0] < '1' || k[0] > '6'))
                throw std::invalid_argument("pipeline '" + name + "': ~viewsK takes K = 1 .. 6");
            const int reach = k.empty() ? 1 : k[0] - '0';
            std::vector<std::string> why;
            auto found = standardMixPipelines(root, focus, {inner}, &why);
            if (found.empty() || !found.front().parts.empty() ||
                found.front().embedder->features() != EmbedderFeatures::Cqt) {
                note(name + ": " + (why.empty() ? inner + " is not one constant-Q model" : why.front()));
                continue;
            }
            p = found.front();
            p.name = name;
            std::vector<int> shifts;
            for (int s = -reach; s <= reach; ++s) shifts.push_back(s);
            p.embedder = std::make_shared<TransposedViewsEmbedder>(p.embedder, shifts);
            out.push_back(std::move(p));
            continue;
        }
        if (name.rfind("separated:", 0) == 0) {
            // A mix embedder on the separated part: the separator lifts the part towards the
            // front, the mix model is trained to hear a part under a band (the residue).
            const auto inner = name.substr(10);
            std::vector<std::string> why;
            auto found = standardMixPipelines(root, focus, {inner}, &why);
            if (found.empty() || found.front().input != PipelineInput::Mix || !found.front().parts.empty()) {
                note(name + ": " + (why.empty() ? inner + " does not hear the mix" : why.front()));
                continue;
            }
            p.embedder = found.front().embedder;
            p.input = PipelineInput::SeparatedPart;
            p.separator = sep();
        } else if (name.find('+') != std::string::npos) {
            std::vector<std::string> partNames;
            for (size_t a = 0, b; a <= name.size(); a = b + 1) {
                b = std::min(name.find('+', a), name.size());
                partNames.push_back(name.substr(a, b - a));
            }
            std::vector<std::string> why;
            p.parts = standardMixPipelines(root, focus, partNames, &why);
            if (p.parts.size() != partNames.size()) {
                note(name + ": " + (why.empty() ? std::string("a part is missing") : why.front()));
                continue;
            }
            p.embedder = p.parts.front().embedder;
            p.input = PipelineInput::Mix;
            out.push_back(std::move(p));
            continue;
        } else if (name == "clean" || name == "separated" || name == "focus-on-mix" || name == "oracle-mask" ||
            name == "oracle-binary-mask") {
            p.embedder = load(focusName(focus), focus);
            p.input = name == "clean"                ? PipelineInput::CleanPart
                      : name == "separated"          ? PipelineInput::SeparatedPart
                      : name == "oracle-mask"        ? PipelineInput::OracleMaskedPart
                      : name == "oracle-binary-mask" ? PipelineInput::OracleGlimpsedPart
                                                     : PipelineInput::Mix;
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
            if (p.embedder && p.embedder->input() == EmbedderInput::FocusSignal && focusHasStem(focus)) {
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
