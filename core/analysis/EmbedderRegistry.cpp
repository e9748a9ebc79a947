#include "analysis/EmbedderRegistry.h"

#include "embedding/TorchEmbedder.h"

#include <cstdlib>
#include <filesystem>
#include <mutex>

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
    static EmbedderFactory f = &makeTorchEmbedder;
    return f;
}
}  // namespace

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

std::string defaultModelsRoot()
{
    if (const char* env = std::getenv("STEMSCOPE_MODELS"); env && *env) return env;
#ifdef STEMSCOPE_SOURCE_DIR
    return std::string(STEMSCOPE_SOURCE_DIR) + "/models";
#else
    return "models";
#endif
}

EmbedderSet loadEmbedders(const std::string& modelsRoot, const std::vector<Focus>& focuses,
                          std::vector<std::string>* problems)
{
    namespace fs = std::filesystem;
    EmbedderSet out;
    const auto factory = embedderFactory();
    for (Focus f : focuses) {
        const auto dir = (fs::u8path(modelsRoot) / focusName(f)).u8string();
        std::error_code ec;
        if (!fs::is_directory(fs::u8path(dir), ec)) {
            if (problems) problems->push_back(std::string(focusName(f)) + ": no model folder " + dir);
            continue;
        }
        if (!factory) {
            if (problems) problems->push_back(std::string(focusName(f)) + ": no embedder factory installed");
            continue;
        }
        try {
            if (auto e = factory(f, dir)) out[f] = std::move(e);
            else if (problems) problems->push_back(std::string(focusName(f)) + ": no usable model in " + dir);
        } catch (const std::exception& e) {
            if (problems) problems->push_back(std::string(focusName(f)) + ": " + e.what());
        }
    }
    return out;
}

}  // namespace stemscope
