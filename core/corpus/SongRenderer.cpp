#include "corpus/SongRenderer.h"

#include <cmath>
#include <filesystem>

#include "corpus/FluidRenderer.h"
#include "corpus/MmaRunner.h"
#include "corpus/StemMixer.h"
#include "corpus/TrackRouting.h"
#include "util/JsonFile.h"

namespace fs = std::filesystem;

namespace stemscope::corpus {

using Json = nlohmann::ordered_json;

bool songFolderComplete(const std::string& dir)
{
    std::error_code ec;
    if (!fs::is_regular_file(fs::path(dir) / "meta.json", ec)) return false;
    for (const char* n : {"drums", "bass", "piano", "guitar", "other", "mix"})
        if (!fs::is_regular_file(fs::path(dir) / (std::string(n) + ".flac"), ec)) return false;
    return true;
}

SongResult renderSong(const SongJob& job)
{
    SongResult res;
    const fs::path finalDir = fs::path(job.outDir) / job.name;
    if (songFolderComplete(finalDir.string())) {
        res.skipped = res.ok = true;
        return res;
    }
    const fs::path tmp = fs::path(job.outDir) / (".tmp-" + job.name);
    std::error_code ec;
    fs::remove_all(tmp, ec);
    fs::create_directories(tmp);
    Json rejected = Json::array();
    for (int attempt = 0; attempt < job.maxAttempts; ++attempt) {
        res.attempts = attempt + 1;
        try {
            const SongRecipe recipe = drawRecipe(mixSeed(job.seed, uint64_t(attempt)), *job.grooves, job.recipe);
            const std::string mmaPath = (tmp / "song.mma").string(), midPath = (tmp / "song.mid").string();
            runMma(recipeToMma(recipe), mmaPath, midPath);
            const MidiSong midi = readMidiFile(midPath);
            const RoutedSong routed = routeSong(midi, recipe);
            RenderedStems rendered = renderWithFluidsynth(routed, recipe.soundfont, job.sampleRate);
            const MixResult mix = normaliseStems(rendered.stems);
            std::array<ClassLevel, kNumStemClasses> levels;
            std::array<bool, kNumStemClasses> present{};
            for (const auto& t : routed.tracks) present[size_t(t.cls)] = present[size_t(t.cls)] || t.noteCount > 0;
            std::string missing;
            for (int c = 0; c < kNumStemClasses; ++c) {
                levels[size_t(c)] = measureLevel(rendered.stems[size_t(c)], job.sampleRate);
                if (c < kNumRequiredClasses &&
                    (!levels[size_t(c)].audible() || levels[size_t(c)].activeSegments < job.minActiveSegments))
                    missing += std::string(missing.empty() ? "" : ", ") + stemClassNames()[size_t(c)];
            }
            const double duration = double(mix.mix.size()) / job.sampleRate;
            if (!missing.empty()) {
                Json r = Json::object();
                r["attempt"] = attempt;
                r["groove"] = recipe.grooveFile;
                r["reason"] = "not audible over most of the song: " + missing;
                rejected.push_back(r);
                continue;
            }
            writeStemFiles(tmp.string(), rendered.stems, mix.mix, job.sampleRate);

            Json meta = Json::object();
            meta["format"] = kCorpusFormat;
            meta["name"] = job.name;
            meta["split"] = job.split;
            meta["songSeed"] = job.seed;
            meta["attempt"] = attempt;
            meta["source"] = "mma+fluidsynth";
            Json tags = Json::object();
            tags["family"] = recipe.family;
            tags["groove"] = recipe.grooveFile;
            tags["tempo"] = recipe.tempo;
            tags["key"] = recipe.key + (recipe.mode == "minor" ? "m" : "");
            tags["mode"] = recipe.mode;
            tags["soundfont"] = fs::path(recipe.soundfont).filename().string();
            tags["pianoProgram"] = recipe.pianoProgram;
            tags["guitarProgram"] = recipe.guitarProgram;
            tags["bassProgram"] = recipe.bassProgram;
            tags["otherProgram"] = recipe.otherProgram;
            tags["drumKit"] = rendered.drumKitUsed;
            tags["melody"] = recipe.melody;
            meta["tags"] = tags;
            meta["sampleRate"] = jsonReal(job.sampleRate);
            meta["durationSeconds"] = jsonReal(std::round(duration * 1000.0) / 1000.0);
            meta["gainDb"] = jsonReal(std::round(mix.gainDb * 100.0) / 100.0);
            meta["mixRmsDb"] = jsonReal(std::round(mix.mixRmsDb * 100.0) / 100.0);
            meta["mixPeak"] = jsonReal(std::round(mix.mixPeak * 10000.0) / 10000.0);
            Json classes = Json::object();
            for (int c = 0; c < kNumStemClasses; ++c)
                classes[stemClassNames()[size_t(c)]] = levelToJson(levels[size_t(c)], present[size_t(c)]);
            meta["classes"] = classes;
            meta["recipe"] = recipeToJson(recipe);
            meta["tracks"] = routingToJson(routed);
            meta["rejectedAttempts"] = rejected;
            writeJsonFile((tmp / "meta.json").string(), meta);

            fs::remove_all(finalDir, ec);
            fs::rename(tmp, finalDir);
            res.ok = true;
            res.audioSeconds = duration;
            return res;
        } catch (const std::exception& e) {
            Json r = Json::object();
            r["attempt"] = attempt;
            r["reason"] = e.what();
            rejected.push_back(r);
            res.error = e.what();
        }
    }
    fs::remove_all(tmp, ec);
    res.error = job.name + ": no qualifying recipe in " + std::to_string(job.maxAttempts) + " attempts (last: " +
                (rejected.empty() ? std::string("?") : jsonText(jsonMember(rejected.back(), "reason"))) + ")";
    return res;
}

}  // namespace stemscope::corpus
