#pragma once
// Brings files into a library: walks folders, hashes every audio file (ContentHash), skips
// duplicates, follows moved files (same hash at a new path while the old path is gone), marks
// vanished files missing, probes the rest and records per-file errors without stopping.
// Corpus stem files (drums.wav next to mix.wav) are attached to their mix, not imported.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "jobs/JobEngine.h"

namespace stemscope {

class AudioDecoder;
class LibraryStore;

struct ImportOptions {
    bool recursive = true;
    bool markMissing = true;  // check every known track's file afterwards
};

struct ImportReport {
    int scanned = 0;     // audio files looked at
    int added = 0;       // new tracks (including ones recorded with an error)
    int failed = 0;      // of `added`/changed: recorded with status error
    int duplicates = 0;  // same content as a track already present elsewhere
    int moved = 0;       // known content at a new path: path updated
    int changed = 0;     // known path, new content: re-probed, old analyses dropped
    int unchanged = 0;
    int missing = 0;     // tracks newly marked missing
    // Paths given to import that do not exist (as normalised). Not repeated in `messages`: a front end
    // words them, since a rescanned folder that is gone (an unplugged drive) means something else.
    std::vector<std::string> notFound;
    std::vector<std::string> messages;  // "path: what happened" for failures and notable events
};

class TrackImporter {
public:
    TrackImporter(LibraryStore& store, std::shared_ptr<const AudioDecoder> decoder);
    // Imports files and folder trees. Honours ctx (progress, pause, cancel) when given.
    ImportReport run(const std::vector<std::string>& paths, const ImportOptions& options = {}, JobContext* ctx = nullptr);
    // Marks tracks whose file is gone as missing (and brings back ones that reappeared).
    int refreshMissing(ImportReport* report = nullptr);

private:
    void importFile(const std::string& path, ImportReport& r);
    void recordProbe(int64_t trackId, const std::string& path, ImportReport& r);
    LibraryStore& store_;
    std::shared_ptr<const AudioDecoder> decoder_;
};

// Runs an import as a background job; `done` receives the report (from the worker thread).
JobId submitImport(JobEngine& engine, std::shared_ptr<LibraryStore> store, std::vector<std::string> paths,
                   std::function<void(const ImportReport&)> done = {}, ImportOptions options = {}, int priority = 10);

}  // namespace stemscope
