#include "analysis/ModelsRoot.h"

#include <cstdlib>
#include <filesystem>

namespace stemscope {
namespace fs = std::filesystem;

std::string ModelsRootSearch::describe() const
{
    if (found) return "models from " + root;
    std::string s = "no models found (looked in ";
    for (size_t i = 0; i < searched.size(); ++i) s += (i ? ", " : "") + searched[i];
    return s + "; set STEMSCOPE_MODELS to a models folder)";
}

bool holdsModels(const std::string& dir)
{
    std::error_code ec;
    const auto root = fs::u8path(dir);
    if (!fs::is_directory(root, ec)) return false;
    if (fs::exists(root / "pipelines.json", ec)) return true;
    for (const auto& e : fs::directory_iterator(root, ec))
        if (e.is_directory(ec) && fs::exists(e.path() / "model.pt", ec)) return true;
    return false;
}

std::string executableDir()
{
    std::error_code ec;
    const auto exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : exe.parent_path().u8string();
}

ModelsRootSearch findModelsRoot()
{
    ModelsRootSearch out;
    if (const char* env = std::getenv("STEMSCOPE_MODELS"); env && *env) {
        // An explicit choice is never second-guessed by other places.
        out.searched.push_back(env);
        out.root = env;
        out.found = holdsModels(env);
        return out;
    }
    if (const auto exe = executableDir(); !exe.empty())
        out.searched.push_back((fs::u8path(exe).parent_path() / "share" / "stemscope" / "models").lexically_normal().u8string());
#ifdef STEMSCOPE_SOURCE_DIR
    out.searched.push_back(std::string(STEMSCOPE_SOURCE_DIR) + "/models");
#endif
    for (const auto& dir : out.searched)
        if (holdsModels(dir)) {
            out.root = dir;
            out.found = true;
            return out;
        }
    out.root = out.searched.empty() ? std::string("models") : out.searched.front();
    return out;
}

}  // namespace stemscope
