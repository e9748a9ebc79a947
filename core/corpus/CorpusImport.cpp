#include "corpus/CorpusImport.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>

#include "audio/AudioDecoder.h"
#include "corpus/CorpusTypes.h"
#include "corpus/SongRenderer.h"
#include "corpus/StemMixer.h"
#include "util/JsonFile.h"
#include "util/AsciiLower.h"

namespace fs = std::filesystem;

namespace stemscope::corpus {

using Json = nlohmann::ordered_json;

namespace {

// Class (0..4) or 5 for the mix, -1 otherwise, from a file stem.
int roleOfStem(const std::string& stem)
{
    static const std::map<std::string, int> names = {
        {"drums", 0}, {"drum", 0},     {"bass", 1},  {"piano", 2}, {"keys", 2},    {"guitar", 3},
        {"guitars", 3}, {"other", 4}, {"others", 4}, {"mix", 5},   {"mixture", 5}};
    auto it = names.find(asciiLower(stem));
    return it == names.end() ? -1 : it->second;
}

std::map<int, fs::path> findStemFiles(const fs::path& dir, const std::vector<std::string>& exts)
{
    std::map<int, fs::path> found;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        const std::string ext = asciiLower(f.extension().string());
        if (std::find(exts.begin(), exts.end(), ext) == exts.end()) continue;
        const int role = roleOfStem(f.stem().string());
        if (role >= 0 && !found.count(role)) found[role] = f;
    }
    return found;
}

}  // namespace

double importSong(const std::string& songDir, const std::string& outSongDir,
                  const std::shared_ptr<const AudioDecoder>& decoder)
{
    const auto exts = decoder->supportedExtensions();
    const auto found = findStemFiles(songDir, exts);
    std::string missing;
    for (int c = 0; c < kNumRequiredClasses; ++c)
        if (!found.count(c)) missing += std::string(missing.empty() ? "" : ", ") + stemClassNames()[size_t(c)];
    if (!missing.empty()) {
        std::string extList;
        for (const auto& e : exts) extList += (extList.empty() ? "" : " ") + e;
        throw CorpusError("song '" + fs::path(songDir).filename().string() + "' (" + songDir +
                          "): missing stem file(s) for " + missing +
                          "; expected files named drums, bass, piano, guitar [, other, mix] with one of: " + extList);
    }
    constexpr double kRate = 44100.0;
    DecodeOptions opts;
    opts.targetSampleRate = kRate;
    StemArray stems;
    Json sources = Json::object();
    for (int c = 0; c < kNumStemClasses; ++c) {
        auto it = found.find(c);
        if (it == found.end()) continue;
        stems[size_t(c)] = decoder->decodeMono(it->second.string(), opts).samples;
        sources[stemClassNames()[size_t(c)]] = it->second.filename().string();
    }
    std::vector<float> providedMix;
    if (auto it = found.find(5); it != found.end()) {
        providedMix = decoder->decodeMono(it->second.string(), opts).samples;
        sources["mix"] = it->second.filename().string();
    }
    size_t len = providedMix.size();
    for (const auto& s : stems) len = std::max(len, s.size());
    for (auto& s : stems) s.resize(len, 0.0f);
    MixResult mix = normaliseStems(stems);
    if (!providedMix.empty()) {
        // Keep the user's own mix (mastering and all) at the common gain.
        const double gain = std::pow(10.0, mix.gainDb / 20.0);
        providedMix.resize(len, 0.0f);
        for (auto& v : providedMix) v = float(std::clamp(double(v) * gain, -1.0, 1.0));
        mix.mix = providedMix;
    }

    const fs::path finalDir(outSongDir);
    const fs::path tmp = finalDir.parent_path() / (".tmp-" + finalDir.filename().string());
    std::error_code ec;
    fs::remove_all(tmp, ec);
    fs::create_directories(tmp);
    writeStemFiles(tmp.string(), stems, mix.mix, kRate);
    Json meta = Json::object();
    meta["format"] = kCorpusFormat;
    meta["name"] = finalDir.filename().string();
    meta["split"] = "import";
    meta["source"] = "import";
    meta["sourceFolder"] = fs::absolute(songDir).string();
    meta["sourceFiles"] = sources;
    meta["mixSource"] = providedMix.empty() ? "sum of stems" : "provided";
    meta["tags"] = Json::object();
    meta["sampleRate"] = jsonReal(kRate);
    meta["durationSeconds"] = jsonReal(std::round(double(len) / kRate * 1000.0) / 1000.0);
    meta["gainDb"] = jsonReal(std::round(mix.gainDb * 100.0) / 100.0);
    meta["mixRmsDb"] = jsonReal(std::round(rmsDb(mix.mix) * 100.0) / 100.0);
    Json classes = Json::object();
    for (int c = 0; c < kNumStemClasses; ++c)
        classes[stemClassNames()[size_t(c)]] = levelToJson(measureLevel(stems[size_t(c)], kRate), found.count(c) > 0);
    meta["classes"] = classes;
    writeJsonFile((tmp / "meta.json").string(), meta);
    fs::remove_all(finalDir, ec);
    fs::rename(tmp, finalDir);
    return double(len) / kRate;
}

ImportReport importMultitracks(const std::string& srcDir, const std::string& outDir,
                               const std::function<void(int, int, const std::string&)>& progress,
                               const std::atomic<bool>* cancel, std::shared_ptr<const AudioDecoder> decoder)
{
    if (!decoder) decoder = defaultAudioDecoder();
    std::error_code ec;
    if (!fs::is_directory(srcDir, ec)) throw CorpusError("import source is not a folder: " + srcDir);
    std::vector<fs::path> songs;
    // SRC itself is one song when it directly holds stem files.
    if (!findStemFiles(srcDir, decoder->supportedExtensions()).empty()) {
        songs.push_back(fs::path(srcDir));
    } else {
        for (const auto& e : fs::directory_iterator(srcDir))
            if (e.is_directory() && e.path().filename().string()[0] != '.') songs.push_back(e.path());
        std::sort(songs.begin(), songs.end());
    }
    if (songs.empty()) throw CorpusError("no song folders in " + srcDir + " (expected one folder per song holding drums.*, bass.*, piano.*, guitar.*)");
    fs::create_directories(outDir);
    ImportReport report;
    int done = 0;
    for (const auto& song : songs) {
        if (cancel && cancel->load()) break;
        fs::path abs = fs::absolute(song).lexically_normal();
        if (abs.filename().empty()) abs = abs.parent_path();
        const fs::path dst = fs::path(outDir) / abs.filename();
        if (songFolderComplete(dst.string())) {
            ++report.skipped;
        } else {
            try {
                report.audioSeconds += importSong(song.string(), dst.string(), decoder);
                ++report.imported;
            } catch (const std::exception& e) {
                ++report.failed;
                report.errors.push_back(e.what());
            }
        }
        if (progress) progress(++done, int(songs.size()), song.filename().string());
    }
    return report;
}

}  // namespace stemscope::corpus
