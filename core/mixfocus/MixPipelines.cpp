#include "mixfocus/MixPipelines.h"

#include <filesystem>
#include <map>
#include <stdexcept>

#include "analysis/EmbedderRegistry.h"
#include "embedding/TorchEmbedder.h"
#include "separation/TorchSeparator.h"

namespace stemscope {
namespace fs = std::filesystem;

const std::vector<std::string>& standardPipelineNames()
{
    static const std::vector<std::string> names{"clean", "separated", "focus-on-mix", "mix-model", "mixfocus", "default"};
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
        } else if (name == "mixfocus") {
            p.embedder = load("mixfocus", focus);
        } else if (name == "default") {
            std::vector<std::string> why;
            const auto set = loadEmbedders(root, {focus}, &why);
            if (auto it = set.find(focus); it != set.end()) p.embedder = it->second;
            if (p.embedder && p.embedder->input() == EmbedderInput::FocusSignal) {
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
