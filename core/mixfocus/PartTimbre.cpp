#include "mixfocus/PartTimbre.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>

#include <nlohmann/json.hpp>

namespace stemscope {
namespace fs = std::filesystem;

std::vector<std::array<int, kBankStems>> readPartTimbres(const StemBank& bank, const std::vector<std::string>& corpusDirs)
{
    std::map<std::string, fs::path> corpusByName;
    for (const auto& d : corpusDirs) corpusByName[fs::u8path(d).filename().u8string()] = fs::u8path(d);
    static const std::array<const char*, kBankStems> kTags{"drumKit", "bassProgram", "pianoProgram", "guitarProgram",
                                                           "otherProgram"};
    std::vector<std::array<int, kBankStems>> keys(bank.songs.size());
    for (size_t i = 0; i < bank.songs.size(); ++i) {
        keys[i].fill(-1);
        const std::string& name = bank.songs[i].name;
        const auto slash = name.find('/');
        const auto corpus = corpusByName.find(name.substr(0, slash));
        if (slash == std::string::npos || corpus == corpusByName.end()) continue;
        std::ifstream in(corpus->second / fs::u8path(name.substr(slash + 1)) / "meta.json");
        const auto meta = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
        if (!meta.is_object() || !meta.contains("tags") || !meta["tags"].is_object()) continue;
        const auto& tags = meta["tags"];
        const std::string font = tags.value("soundfont", std::string());
        for (int part = 0; part < kBankStems; ++part) {
            const auto tag = tags.find(kTags[size_t(part)]);
            if (tag == tags.end() || !tag->is_number_integer()) continue;
            // Soundfont and program in one non-negative key.
            keys[i][size_t(part)] = int((std::hash<std::string>{}(font) * 131 + size_t(tag->get<int>())) & 0x3fffffff);
        }
    }
    return keys;
}

}  // namespace stemscope
