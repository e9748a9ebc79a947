#include "analysis/EmbedderRegistry.h"

#include "analysis/ModelsRoot.h"
#include "embedding/JoinedEmbedder.h"
#include "embedding/TorchEmbedder.h"
#include "ranking/RankEmbedder.h"
#include "util/AtomicFile.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>

#include <nlohmann/json.hpp>

namespace stemscope {
namespace {
std::mutex& factoryMutex()
{
    static std::mutex m;
    return m;
}
// Until someone installs another (tests, the CLI's baseline), model folders hold the shipped
// LibTorch models: the CLI and the GUI then load them without any set-up of their own.
EmbedderFactory& factorySlot()
{
    static EmbedderFactory f = &makeModelEmbedder;
    return f;
}
}  // namespace

std::shared_ptr<const Embedder> makeModelEmbedder(Focus focus, const std::string& modelDir)
{
    if (auto e = makeRankEmbedder(focus, modelDir)) return e;
    return makeTorchEmbedder(focus, modelDir);
}

void setEmbedderFactory(EmbedderFactory factory)
{
    std::lock_guard<std::mutex> l(factoryMutex());
    factorySlot() = std::move(factory);
}

EmbedderFactory embedderFactory()
{
    std::lock_guard<std::mutex> l(factoryMutex());
    return factorySlot();
}

std::string defaultModelsRoot() { return findModelsRoot().root; }

std::vector<std::string> joinedModelFolders(const std::string& folder)
{
    std::vector<std::string> out;
    size_t start = 0;
    for (;;) {
        const size_t plus = folder.find('+', start);
        out.push_back(folder.substr(start, plus == std::string::npos ? std::string::npos : plus - start));
        if (plus == std::string::npos) return out;
        start = plus + 1;
    }
}

std::string modelFolderFor(const std::string& modelsRoot, Focus focus)
{
    namespace fs = std::filesystem;
    const auto file = fs::u8path(modelsRoot) / "pipelines.json";
    std::ifstream in(file);
    if (!in) return focusName(focus);
    try {
        const auto j = nlohmann::json::parse(in);
        const auto& map = j.at("focus_models");
        if (auto it = map.find(focusName(focus)); it != map.end()) {
            const auto folder = it->get<std::string>();
            for (const auto& name : joinedModelFolders(folder))
                if (name.empty() || name.find("..") != std::string::npos || name.find('/') != std::string::npos)
                    throw std::runtime_error("'" + folder + "' is not a folder name (or names joined by '+')");
            return folder;
        }
        return focusName(focus);
    } catch (const std::exception& e) {
        throw std::runtime_error(file.u8string() + ": " + e.what());
    }
}

void setModelFolderFor(const std::string& modelsRoot, Focus focus, const std::string& folder)
{
    namespace fs = std::filesystem;
    const auto file = fs::u8path(modelsRoot) / "pipelines.json";
    nlohmann::json j = nlohmann::json::object();
    if (std::ifstream in(file); in) j = nlohmann::json::parse(in);
    if (!j.contains("focus_models") && folder == focusName(focus)) return;  // already the default
    j["focus_models"][focusName(focus)] = folder;
    writeFileAtomically(file.u8string(), [&](std::ostream& out) { out << j.dump(2) << "\n"; });
}

EmbedderSet loadEmbedders(const std::string& modelsRoot, const std::vector<Focus>& focuses,
                          std::vector<std::string>* problems)
{
    namespace fs = std::filesystem;
    EmbedderSet out;
    const auto factory = embedderFactory();
    for (Focus f : focuses) {
        std::string folder;
        try {
            folder = modelFolderFor(modelsRoot, f);
        } catch (const std::exception& e) {
            if (problems) problems->push_back(std::string(focusName(f)) + ": " + e.what());
            continue;
        }
        if (!factory) {
            if (problems) problems->push_back(std::string(focusName(f)) + ": no embedder factory installed");
            continue;
        }
        // "a+b": both folders' models joined (JoinedEmbedder); one missing part leaves the focus out.
        std::vector<std::shared_ptr<const Embedder>> parts;
        for (const auto& name : joinedModelFolders(folder)) {
            const auto dir = (fs::u8path(modelsRoot) / fs::u8path(name)).u8string();
            std::error_code ec;
            if (!fs::is_directory(fs::u8path(dir), ec)) {
                if (problems) problems->push_back(std::string(focusName(f)) + ": no model folder " + dir);
                parts.clear();
                break;
            }
            try {
                if (auto e = factory(f, dir)) {
                    parts.push_back(std::move(e));
                    continue;
                }
                if (problems) problems->push_back(std::string(focusName(f)) + ": no usable model in " + dir);
            } catch (const std::exception& e) {
                if (problems) problems->push_back(std::string(focusName(f)) + ": " + e.what());
            }
            parts.clear();
            break;
        }
        if (parts.empty()) continue;
        try {
            out[f] = parts.size() == 1 ? parts.front() : std::make_shared<JoinedEmbedder>(std::move(parts));
        } catch (const std::exception& e) {
            if (problems) problems->push_back(std::string(focusName(f)) + ": " + e.what());
        }
    }
    return out;
}

}  // namespace stemscope
