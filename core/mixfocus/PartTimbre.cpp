#include "mixfocus/PartTimbre.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>

#include <nlohmann/json.hpp>

namespace stemscope {
namespace fs = std::filesystem;

namespace {
// Per bank song, its meta.json (null where the song's corpus is not among `corpusDirs` or the file
// is missing or unreadable: users' own stems).
std::vector<nlohmann::json> readBankMeta(const StemBank& bank, const std::vector<std::string>& corpusDirs)
{
    std::map<std::string, fs::path> corpusByName;
    for (const auto& d : corpusDirs) corpusByName[bankCorpusName(d)] = fs::u8path(d);
    std::vector<nlohmann::json> out(bank.songs.size());
    for (size_t i = 0; i < bank.songs.size(); ++i) {
        const std::string& name = bank.songs[i].name;
        const auto slash = name.find('/');
        const auto corpus = corpusByName.find(name.substr(0, slash));
        if (slash == std::string::npos || corpus == corpusByName.end()) continue;
        std::ifstream in(corpus->second / fs::u8path(name.substr(slash + 1)) / "meta.json");
        auto meta = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
        if (meta.is_object()) out[i] = std::move(meta);
    }
    return out;
}
}  // namespace

std::vector<std::array<int, kBankStems>> readPartTimbres(const StemBank& bank, const std::vector<std::string>& corpusDirs)
{
    static const std::array<const char*, kBankStems> kTags{"drumKit", "bassProgram", "pianoProgram", "guitarProgram",
                                                           "otherProgram"};
    const auto metas = readBankMeta(bank, corpusDirs);
    std::vector<std::array<int, kBankStems>> keys(bank.songs.size());
    for (size_t i = 0; i < bank.songs.size(); ++i) {
        keys[i].fill(-1);
        const auto& meta = metas[i];
        if (!meta.contains("tags") || !meta["tags"].is_object()) continue;
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

std::vector<std::string> readRecipeKeys(const StemBank& bank, const std::vector<std::string>& corpusDirs)
{
    const auto metas = readBankMeta(bank, corpusDirs);
    std::vector<std::string> keys(bank.songs.size());
    for (size_t i = 0; i < bank.songs.size(); ++i) {
        const auto& meta = metas[i];
        const auto seed = meta.find("songSeed"), attempt = meta.find("attempt");
        if (meta.is_object() && seed != meta.end() && attempt != meta.end() && seed->is_number_integer() &&
            attempt->is_number_integer())
            keys[i] = std::to_string(seed->get<uint64_t>()) + "/" + std::to_string(attempt->get<int>());
    }
    return keys;
}

}  // namespace stemscope
