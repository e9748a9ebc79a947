#include "library/TrackImporter.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "audio/AudioDecoder.h"
#include "audio/AudioError.h"
#include "audio/FileTags.h"
#include "library/LibraryStore.h"
#include "library/StemLocator.h"
#include "util/ContentHash.h"
#include "util/AsciiLower.h"

namespace stemscope {
namespace fs = std::filesystem;

namespace {

std::string normalise(const std::string& path)
{
    std::error_code ec;
    auto p = fs::weakly_canonical(fs::absolute(fs::u8path(path), ec), ec);
    return p.u8string();
}

bool exists(const std::string& path)
{
    std::error_code ec;
    return fs::is_regular_file(fs::u8path(path), ec);
}

// Errors that a rescan clears by itself when the file is back as it was: the earlier results were kept.
constexpr const char* kUnreadablePrefix = "Unreadable: ";
bool clearsOnRestore(const std::string& error)
{
    return error.rfind(kUnreadablePrefix, 0) == 0 || track_status::contentChangedUnreadable(error);
}

}  // namespace

TrackImporter::TrackImporter(LibraryStore& store, std::shared_ptr<const AudioDecoder> decoder)
    : store_(store), decoder_(std::move(decoder))
{
}

ImportReport TrackImporter::run(const std::vector<std::string>& inputs, const ImportOptions& options, JobContext* ctx)
{
    ImportReport r;
    std::set<std::string> exts;
    for (const auto& e : decoder_->supportedExtensions()) exts.insert(asciiLower(e));

    // 1. Collect the files (sorted: imports are deterministic).
    if (ctx) ctx->setProgress(0.0, "scanning folders");
    std::vector<std::string> files;
    for (const auto& input : inputs) {
        const auto root = normalise(input);
        std::error_code ec;
        const auto p = fs::u8path(root);
        if (fs::is_directory(p, ec)) {
            store_.addImportRoot(root);
            auto opts = fs::directory_options::skip_permission_denied;
            auto visit = [&](const fs::directory_entry& entry) {
                std::error_code e2;
                if (entry.is_regular_file(e2) && exts.count(asciiLower(entry.path().extension().u8string())))
                    files.push_back(entry.path().u8string());
            };
            if (options.recursive) {
                for (fs::recursive_directory_iterator it(p, opts, ec), end; !ec && it != end; it.increment(ec)) visit(*it);
            } else {
                for (fs::directory_iterator it(p, opts, ec), end; !ec && it != end; it.increment(ec)) visit(*it);
            }
            if (ec) r.messages.push_back(root + ": " + ec.message());
            if (ctx) ctx->checkpoint();
        } else if (fs::exists(p, ec)) {
            files.push_back(root);
        } else {
            r.notFound.push_back(root);
        }
    }
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());

    // 2. One file at a time; per-file failures are recorded, never fatal.
    for (size_t i = 0; i < files.size(); ++i) {
        if (ctx) {
            ctx->checkpoint();
            ctx->setProgress(double(i) / double(files.size() + 1),
                             "importing " + std::to_string(i + 1) + "/" + std::to_string(files.size()));
        }
        if (isCorpusStem(files[i])) continue;  // belongs to its mix
        ++r.scanned;
        importFile(files[i], r);
    }
    if (options.markMissing) refreshMissing(&r);
    if (ctx) ctx->setProgress(1.0, "imported " + std::to_string(r.added) + " new tracks");
    return r;
}

void TrackImporter::importFile(const std::string& path, ImportReport& r)
{
    uint64_t size = 0;
    std::string hash;
    std::string hashError;
    try {
        hash = hashToHex(fileContentHash(path, &size));
    } catch (const std::exception& e) {
        hashError = e.what();
    }

    if (auto known = store_.trackByPath(path)) {
        if (!hashError.empty()) {
            store_.setTrackStatus(known->id, track_status::kError, kUnreadablePrefix + hashError);
            ++r.failed;
            r.messages.push_back(path + ": " + hashError);
            return;
        }
        if (known->contentHash == hash) {
            // Back as it was analysed (the results were kept): the next analysis settles its status.
            const bool restored = known->status == track_status::kError && clearsOnRestore(known->error);
            if (known->status == track_status::kMissing || restored) store_.setTrackStatus(known->id, track_status::kNew);
            // An import killed between the insert and the probe left the track without its info; a
            // restored file gets its info (and a "partial" note) back.
            if ((known->format.empty() && known->status == track_status::kNew) || restored) recordProbe(known->id, path, r);
            ++r.unchanged;
            return;
        }
        // Same path, new content. Overwritten by something unreadable: keep the old results (the
        // file may come back) and say why; otherwise forget them and start over.
        if (!store_.analyses(known->id).empty()) {
            try {
                decoder_->probe(path);
            } catch (const AudioError& e) {
                store_.setTrackStatus(known->id, track_status::kError, track_status::kContentChangedPrefix + std::string(e.what()));
                ++r.failed;
                r.messages.push_back(path + ": content changed and cannot be read (earlier results kept): " + e.what());
                return;
            }
        }
        store_.deleteAnalyses(known->id);
        store_.updateTrackContent(known->id, hash, int64_t(size));
        store_.setTrackStatus(known->id, track_status::kNew);
        ++r.changed;
        r.messages.push_back(path + ": content changed, will be re-analysed");
        recordProbe(known->id, path, r);
        return;
    }

    if (!hashError.empty()) {
        TrackRecord t;
        t.path = path;
        t.status = track_status::kError;
        t.error = kUnreadablePrefix + hashError;
        store_.insertTrack(t);
        ++r.added;
        ++r.failed;
        r.messages.push_back(path + ": " + t.error);
        return;
    }

    // Every empty file has the same hash: they are not copies of each other, each gets its own error.
    for (const auto& other : size == 0 ? std::vector<TrackRecord>{} : store_.tracksByHash(hash)) {
        if (other.path == path) continue;
        if (exists(other.path)) {
            // Its stored hash is that of content its file no longer holds (kept for a restore): not a twin.
            if (contentChangedUnreadable(other)) continue;
            ++r.duplicates;
            // A copy of a broken file is broken too: name the problem, not only the twin.
            const std::string why = other.status == track_status::kError ? " (which is in error: " + other.error + ")" : "";
            r.messages.push_back(path + ": duplicate of " + other.path + why + ", skipped");
            return;
        }
        // Same content, old location gone: the file moved.
        store_.updateTrackPath(other.id, path);
        if (other.status == track_status::kMissing || (other.status == track_status::kError && clearsOnRestore(other.error)))
            store_.setTrackStatus(other.id, track_status::kNew);
        const auto stems = findCorpusStems(path);
        for (const auto& [stem, stemPath] : stems) store_.setStem(other.id, stem, stemPath, "corpus");
        ++r.moved;
        r.messages.push_back(path + ": moved from " + other.path);
        return;
    }

    TrackRecord t;
    t.path = path;
    t.contentHash = hash;
    t.sizeBytes = int64_t(size);
    const int64_t id = store_.insertTrack(t);
    ++r.added;
    for (const auto& [stem, stemPath] : findCorpusStems(path)) store_.setStem(id, stem, stemPath, "corpus");
    recordProbe(id, path, r);
}

void TrackImporter::recordProbe(int64_t id, const std::string& path, ImportReport& r)
{
    try {
        const auto info = decoder_->probe(path);
        store_.setTrackInfo(id, info.durationSeconds(), info.format, info.sampleRate, info.channels);
        // The file's own tags name the track (and let neighbour lists hide the same artist/album).
        if (const FileTags tags = readFileTags(path); !tags.empty()) {
            nlohmann::json j = nlohmann::json::object();
            for (const auto& [key, value] : {std::pair{"title", tags.title}, {"artist", tags.artist}, {"album", tags.album}, {"genre", tags.genre}})
                if (!value.empty()) j[key] = value;
            store_.setTrackTags(id, j.dump());
        }
        if (info.partial()) {
            // Analysed up to the damage, like a player plays what is there; the note stays visible.
            store_.setTrackStatus(id, track_status::kNew, info.partialNote());
            r.messages.push_back(path + ": " + info.partialNote());
        }
    } catch (const AudioError& e) {
        store_.setTrackStatus(id, track_status::kError, e.what());
        ++r.failed;
        r.messages.push_back(path + ": " + e.what());
    }
}

int TrackImporter::refreshMissing(ImportReport* report)
{
    int marked = 0;
    for (const auto& t : store_.tracks()) {
        const bool present = exists(t.path);
        if (!present && t.status != track_status::kMissing) {
            store_.setTrackStatus(t.id, track_status::kMissing, "file not found");
            ++marked;
            if (report) report->messages.push_back(t.path + ": missing");
        } else if (present && t.status == track_status::kMissing) {
            store_.setTrackStatus(t.id, track_status::kNew);
        }
    }
    if (report) report->missing += marked;
    return marked;
}

JobId submitImport(JobEngine& engine, std::shared_ptr<LibraryStore> store, std::vector<std::string> paths,
                   std::function<void(const ImportReport&)> done, ImportOptions options, int priority)
{
    return engine.submit(
        "import", [store, paths = std::move(paths), done = std::move(done), options](JobContext& ctx) {
            TrackImporter importer(*store, defaultAudioDecoder());
            const auto report = importer.run(paths, options, &ctx);
            if (done) done(report);
        },
        priority);
}

}  // namespace stemscope
