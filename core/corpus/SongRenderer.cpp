#include "corpus/SongRenderer.h"

#include <cmath>
#include <filesystem>

#include "corpus/CorpusJson.h"
#include "corpus/FluidRenderer.h"
#include "corpus/MmaRunner.h"
#include "corpus/StemMixer.h"
#include "corpus/TrackRouting.h"

namespace fs = std::filesystem;

namespace stemscope::corpus {

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
    json::Value rejected = json::Value::array();
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
                json::Value r = json::Value::object();
                r.set("attempt", attempt);
                r.set("groove", recipe.grooveFile);
                r.set("reason", "not audible over most of the song: " + missing);
                rejected.push(r);
                continue;
            }
            writeStemFiles(tmp.string(), rendered.stems, mix.mix, job.sampleRate);

            json::Value meta = json::Value::object();
            meta.set("format", kCorpusFormat);
            meta.set("name", job.name);
            meta.set("split", job.split);
            meta.set("songSeed", job.seed);
            meta.set("attempt", attempt);
            meta.set("source", "mma+fluidsynth");
            json::Value tags = json::Value::object();
            tags.set("family", recipe.family);
            tags.set("groove", recipe.grooveFile);
            tags.set("tempo", recipe.tempo);
            tags.set("key", recipe.key + (recipe.mode == "minor" ? "m" : ""));
            tags.set("mode", recipe.mode);
            tags.set("soundfont", fs::path(recipe.soundfont).filename().string());
            tags.set("pianoProgram", recipe.pianoProgram);
            tags.set("guitarProgram", recipe.guitarProgram);
            tags.set("bassProgram", recipe.bassProgram);
            tags.set("otherProgram", recipe.otherProgram);
            tags.set("drumKit", rendered.drumKitUsed);
            tags.set("melody", recipe.melody);
            meta.set("tags", tags);
            meta.set("sampleRate", job.sampleRate);
            meta.set("durationSeconds", std::round(duration * 1000.0) / 1000.0);
            meta.set("gainDb", std::round(mix.gainDb * 100.0) / 100.0);
            meta.set("mixRmsDb", std::round(mix.mixRmsDb * 100.0) / 100.0);
            meta.set("mixPeak", std::round(mix.mixPeak * 10000.0) / 10000.0);
            json::Value classes = json::Value::object();
            for (int c = 0; c < kNumStemClasses; ++c)
                classes.set(stemClassNames()[size_t(c)], levelToJson(levels[size_t(c)], present[size_t(c)]));
            meta.set("classes", classes);
            meta.set("recipe", recipeToJson(recipe));
            meta.set("tracks", routingToJson(routed));
            meta.set("rejectedAttempts", rejected);
            json::writeFile((tmp / "meta.json").string(), meta);

            fs::remove_all(finalDir, ec);
            fs::rename(tmp, finalDir);
            res.ok = true;
            res.audioSeconds = duration;
            return res;
        } catch (const std::exception& e) {
            json::Value r = json::Value::object();
            r.set("attempt", attempt);
            r.set("reason", e.what());
            rejected.push(r);
            res.error = e.what();
        }
    }
    fs::remove_all(tmp, ec);
    res.error = job.name + ": no qualifying recipe in " + std::to_string(job.maxAttempts) + " attempts (last: " +
                (rejected.items().empty() ? std::string("?") : rejected.items().back()["reason"].text()) + ")";
    return res;
}

}  // namespace stemscope::corpus
