// `stemscope-cli library ...`: create, import, analyze, status, neighbours, export.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>

#include <unistd.h>

#include "analysis/AnalysisScheduler.h"
#include "cli/CliArgs.h"
#include "separation/TorchSeparator.h"
#include "cli/CliCommands.h"
#include "cli/LibraryCliSupport.h"
#include "index/NeighbourSearch.h"
#include "jobs/JobEngine.h"
#include "library/LibraryStore.h"
#include "library/TrackImporter.h"
#include "session/LibrarySession.h"
#include "util/JsonFile.h"

namespace stemscope::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

std::string libraryArg(const CliArgs& args, size_t minPositional = 1)
{
    if (args.positional().size() < minPositional) throw UsageError("missing arguments");
    return args.positional()[0];
}

LibrarySession openExisting(const std::string& path, LibraryStore::Access access)
{
    std::error_code ec;
    if (!fs::exists(fs::u8path(path), ec))
        throw std::runtime_error("no library at '" + path + "' (create one with: stemscope-cli library create " + path + ")");
    return LibrarySession(path, access, LibrarySession::OpenMode::ExistingOnly);
}

int workersArg(const CliArgs& args)
{
    const int w = args.getInt("workers", 0);
    return w > 0 ? w : int(std::max(1u, std::thread::hardware_concurrency()));
}

// ------------------------------------------------------------------ create
int create(int argc, char** argv)
{
    CliArgs args(argc, argv);
    const auto path = libraryArg(args);
    LibrarySession session(path, LibraryStore::Access::ReadWrite, LibrarySession::OpenMode::CreateNew);
    std::cout << "created library " << path << " (schema v" << session.store()->schemaVersion() << ")\n";
    return 0;
}

// ------------------------------------------------------------------ import
int import(int argc, char** argv)
{
    CliArgs args(argc, argv, {"no-recursive", "quiet", "rescan"});
    const bool rescan = args.has("rescan");
    if (args.positional().empty() || (args.positional().size() < 2 && !rescan))
        throw UsageError("need a library and at least one file or folder (or --rescan)");
    auto session = openExisting(args.positional()[0], LibraryStore::Access::ReadWrite);
    std::vector<std::string> paths(args.positional().begin() + 1, args.positional().end());
    std::vector<std::string> saved;
    if (rescan) {
        saved = session.importFolders();
        if (saved.empty() && paths.empty()) throw UsageError("no folders were imported into this library yet: nothing to rescan");
        paths.insert(paths.end(), saved.begin(), saved.end());
    }
    ImportOptions opts;
    opts.recursive = !args.has("no-recursive");
    JobEngine engine(1);
    ImportReport report;
    const auto id = session.submitImport(engine, paths, [&](const ImportReport& r) { report = r; }, opts);
    const bool quiet = args.has("quiet") || !::isatty(STDERR_FILENO);
    if (!quiet)
        engine.setListener([](const JobInfo& i) {
            if (i.state == JobState::Running && !i.status.empty() && i.status.rfind("importing", 0) == 0 &&
                (i.status.find("/") != std::string::npos))
                std::cerr << "\r" << i.status << "   " << std::flush;
        });
    const auto state = engine.wait(id);
    engine.setListener({});
    if (!quiet) std::cerr << "\r" << std::string(60, ' ') << "\r";
    if (state != JobState::Done) throw std::runtime_error("import " + std::string(toString(state)) + ": " + engine.info(id).error);
    std::vector<std::string> savedGone;
    for (const auto& p : report.notFound) {
        if (std::find(saved.begin(), saved.end(), p) != saved.end()) savedGone.push_back(p);
        else std::cout << p << ": no such file or folder\n";
    }
    for (const auto& m : report.messages) std::cout << m << "\n";
    std::cout << "scanned " << report.scanned << ": " << report.added << " added (" << report.failed
              << " with errors), " << report.duplicates << " duplicates, " << report.moved << " moved, " << report.changed
              << " changed, " << report.unchanged << " unchanged, " << report.missing << " newly missing\n";
    // A saved folder that is gone (an unplugged drive) is what a rescan is for: its tracks are now
    // missing, analyses kept. A path the user named that is not there means the command did not do
    // all it was asked.
    for (const auto& p : savedGone)
        std::cout << p << ": imported before, not there now (unplugged or moved?): its tracks are marked missing, their analyses kept\n";
    return report.notFound.size() > savedGone.size() ? 1 : 0;
}

// ------------------------------------------------------------------ analyze
int analyze(int argc, char** argv)
{
    CliArgs args(argc, argv, {"retry-errors", "retry-skipped", "redo", "quiet", "no-separator", "no-listening-stems"});
    auto session = openExisting(libraryArg(args), LibraryStore::Access::ReadWrite);
    chooseModels(session, args);
    AnalysisOptions opts;
    if (!args.has("no-separator")) {
        std::string why;
        opts = session.defaultAnalysisOptions(&why);
        if (args.has("separator")) opts.separator = std::make_shared<TorchSeparator>(args.get("separator"));
        if (!opts.separator && !args.has("quiet")) std::cerr << "no separator (" << why << "): tracks without stems get the mix focus only\n";
    }
    opts.retryErrors = args.has("retry-errors");
    opts.retrySkipped = args.has("retry-skipped");
    opts.redo = args.has("redo");
    // --tracks A,B (ids or paths): only these, every focus again (the window's "Analyse Again").
    for (const auto& ref : splitList(args.get("tracks"))) opts.tracks.push_back(session.resolveTrack(ref));
    if (!opts.tracks.empty()) opts.redo = true;
    const auto run = runAnalysis(session, workersArg(args), args.has("quiet"), opts);
    const auto& p = run.progress;
    std::cout << (run.interrupted ? "cancelled" : "done") << ": "
              << p.tracksFinished - p.tracksCancelled - p.tracksFailed << "/" << p.tracksTotal << " tracks analysed, "
              << p.tracksFailed << " failed, " << p.tracksCancelled << " cancelled, " << p.segments << " segments, " << std::fixed << std::setprecision(1) << p.audioSecondsDone
              << " s of audio in " << p.elapsedSeconds << " s";
    if (p.elapsedSeconds > 0) std::cout << " (" << p.audioSecondsDone / p.elapsedSeconds << "x real time)";
    std::cout << "\n";
    for (const auto& f : p.failures) std::cerr << "  " << f << "\n";
    if (run.interrupted) {
        std::cout << "run the same command again to resume\n";
        return 130;
    }
    // The embeddings are stored: now the stems the GUI plays (the mix models needed none).
    if (opts.separator && !args.has("no-listening-stems")) {
        const auto stems = runListeningStems(session, opts.separator, args.has("quiet"));
        const auto& r = stems.report;
        if (stems.interrupted) {
            std::cout << "stems for listening cancelled; run the same command again to go on\n";
            return 130;
        }
        if (r.separated == 0 && r.failures.empty())
            std::cout << "stems for listening: every track has them already\n";
        else
            std::cout << "stems for listening: " << r.separated << " tracks separated (" << std::fixed << std::setprecision(1)
                      << r.audioSeconds << " s of audio in " << stems.seconds << " s), " << r.failures.size() << " failed\n";
        for (const auto& f : r.failures) std::cerr << "  " << f << "\n";
    }
    return p.tracksFailed ? 1 : 0;
}

// ------------------------------------------------------------------ status
int status(int argc, char** argv)
{
    CliArgs args(argc, argv, {"errors"});
    auto session = openExisting(libraryArg(args), LibraryStore::Access::ReadOnly);
    chooseModels(session, args, false);
    auto store = session.store();
    const auto s = store->summary();
    int64_t total = 0;
    for (const auto& [k, v] : s.tracksByStatus) total += v;
    std::cout << "library " << store->path() << " (schema v" << s.schemaVersion << ")\n";
    std::cout << "tracks: " << total;
    for (const auto& [k, v] : s.tracksByStatus) std::cout << ", " << v << " " << k;
    int partial = 0;
    for (const auto& t : store->tracks()) partial += t.error.rfind("partial:", 0) == 0 ? 1 : 0;
    if (partial) std::cout << " (" << partial << " decoded only up to damage: see --errors)";
    std::cout << "\nsegment embeddings: " << s.segments << "\n";
    for (Focus f : kAllFocuses) {
        auto it = s.analyses.find(focusName(f));
        if (it == s.analyses.end()) continue;
        std::cout << "  " << std::left << std::setw(7) << focusName(f);
        for (const auto& [k, v] : it->second) std::cout << "  " << v << " " << k;
        std::cout << "\n";
    }
    // Which results each focus shows, and where the models came from (the GUI resolves the same way).
    std::cout << session.modelsDescription() << "\n";
    for (Focus f : kAllFocuses) {
        std::cout << "  " << session.modelFor(f).describe(f) << "\n";
        if (const auto made = session.mapProvenance(f, MapLevel::Track); !made.empty())
            std::cout << "    stored track map: " << made << "\n";
        if (const auto made = session.mapProvenance(f); !made.empty()) std::cout << "    stored segment map: " << made << "\n";
    }
    try {
        const auto stems = session.listeningStemsStatus();
        std::cout << "stems for listening (" << stems.separatorId << "): " << stems.cached << " separated, " << stems.missing
                  << " not yet (made by `library analyze`, or by the app in the background), " << stems.multitracks
                  << " multitracks with their own\n";
    } catch (const SessionError& e) {
        std::cout << "stems for listening: none can be made (" << e.what() << ")\n";
    }
    if (args.has("errors"))
        for (const auto& t : store->tracks())
            if (!t.error.empty()) std::cout << t.status << "\t" << t.path << "\t" << t.error << "\n";
    return 0;
}

// ------------------------------------------------------------------ neighbours
int neighbours(int argc, char** argv)
{
    CliArgs args(argc, argv, {"json"});
    if (args.positional().size() < 2) throw UsageError("need a library and a track (id or path)");
    auto session = openExisting(args.positional()[0], LibraryStore::Access::ReadOnly);
    const auto focus = focusFromName(args.get("focus", "mix"));
    if (!focus) throw UsageError("unknown focus '" + args.get("focus") + "'");
    chooseModels(session, args, false);
    if (args.has("model")) session.pinModel(*focus, args.get("model"));
    auto store = session.store();
    const int64_t trackId = session.resolveTrack(args.positional()[1]);
    IndexOptions io;
    io.approximateAbove = args.getInt("approximate-above", io.approximateAbove);
    session.setIndexOptions(io);
    TrackRanking ranking;
    ranking.hubnessK = args.getInt("hubness-k", ranking.hubnessK);
    if (ranking.hubnessK < 0) throw UsageError("--hubness-k takes 0 (plain cosine) or a number of neighbours");
    session.setTrackRanking(ranking);
    const int k = args.getInt("k", 10);
    const std::string model = session.modelFor(*focus).modelId;
    const auto search = session.search(*focus);
    const bool json = args.has("json");
    const auto self = store->track(trackId);
    auto pathOf = [&](int64_t id) {
        const auto t = store->track(id);
        return t ? t->path : std::string("?");
    };
    if (args.has("at")) {
        const auto hits = session.segmentNeighbours(trackId, *focus, args.getDouble("at", 0.0), k);
        Json rows = Json::array();
        for (const auto& h : hits) {
            if (json)
                rows.push_back({{"track", h.trackId}, {"path", pathOf(h.trackId)},
                                {"start", jsonRounded(h.startSeconds)}, {"distance", jsonRounded(h.distance)}});
            else
                std::cout << std::fixed << std::setprecision(4) << h.distance << "\t" << h.trackId << "\t"
                          << std::setprecision(1) << h.startSeconds << " s\t" << pathOf(h.trackId) << "\n";
        }
        if (json) std::cout << dumpJson(rows) << "\n";
        return 0;
    }
    NeighbourExclusions ex;
    for (const auto& e : splitList(args.get("exclude"))) {
        if (e == "same-artist") ex.sameArtist = true;
        else if (e == "same-album") ex.sameAlbum = true;
        else throw UsageError("--exclude takes same-artist and/or same-album, not '" + e + "'");
    }
    ex.hiddenTags = splitList(args.get("hide-tag"));
    const auto hits = session.neighbours(trackId, *focus, k, ex);
    for (const char* opt : {"m3u", "xspf", "playlist"})
        if (args.has(opt)) {
            // The query first, then its neighbours: "more like this one".
            std::vector<int64_t> ids{trackId};
            for (const auto& h : hits) ids.push_back(h.trackId);
            session.exportPlaylist(args.get(opt), std::string(focusName(*focus)) + " neighbours of " + self->path, ids);
            std::cerr << "wrote " << ids.size() << " tracks to " << args.get(opt) << "\n";
        }
    if (!json)
        std::cout << "# " << focusName(*focus) << " neighbours of " << self->path << " (" << model << ", "
                  << search->trackIndexKind() << " index; distance corrected for hubness, then cosine distance)\n";
    Json rows = Json::array();
    for (const auto& h : hits) {
        if (json)
            rows.push_back({{"track", h.trackId}, {"path", pathOf(h.trackId)}, {"distance", jsonRounded(h.distance)},
                            {"cosine_distance", jsonRounded(h.cosineDistance)}});
        else
            std::cout << std::fixed << std::setprecision(4) << h.distance << "\t" << h.cosineDistance << "\t" << h.trackId
                      << "\t" << pathOf(h.trackId) << "\n";
    }
    if (json) std::cout << dumpJson(rows) << "\n";
    return 0;
}

// ------------------------------------------------------------------ map
int map(int argc, char** argv)
{
    CliArgs args(argc, argv, {"recompute"});
    auto session = openExisting(libraryArg(args), LibraryStore::Access::ReadWrite);
    const auto focus = focusFromName(args.get("focus", "mix"));
    if (!focus) throw UsageError("unknown focus '" + args.get("focus") + "'");
    chooseModels(session, args, false);
    if (args.has("recompute")) session.forgetMap(*focus);
    const std::string levelArg = args.get("level", "segment");
    if (levelArg != "segment" && levelArg != "track") throw UsageError("--level takes segment or track, not '" + levelArg + "'");
    const MapLevel level = levelArg == "track" ? MapLevel::Track : MapLevel::Segment;
    const std::string segmentsOf = args.get("segments-of");
    if (!segmentsOf.empty() && level != MapLevel::Track) throw UsageError("--segments-of goes with --level track");
    auto points = level == MapLevel::Track ? session.trackMap(*focus) : session.segmentMap(*focus, args.getInt("max-points", 3000));
    std::cout << focusName(*focus) << " map: " << points.size() << (level == MapLevel::Track ? " tracks (" : " segments (")
              << session.modelFor(*focus).modelId << ")\nmade with: " << session.mapProvenance(*focus, level) << "\n";
    if (!segmentsOf.empty()) {
        // The window's overlay: that track's segments over the track map, which does not move.
        points = session.trackSegmentsOnMap(*focus, session.resolveTrack(segmentsOf));
        std::cout << "segments of track " << points.front().trackId << " over it: " << points.size() << "\n";
    }
    const auto outPath = args.get("out");
    if (!outPath.empty()) {
        std::ofstream out(fs::u8path(outPath), std::ios::binary);
        out << "track,path,start_seconds,x,y\n";
        for (const auto& p : points) {
            const auto t = session.store()->track(p.trackId);
            out << p.trackId << "," << csvField(t ? t->path : std::string()) << "," << p.startSeconds << "," << p.x << ","
                << p.y << "\n";
        }
        if (!out) throw std::runtime_error("cannot write '" + outPath + "'");
        std::cerr << "wrote " << points.size() << " points to " << outPath << "\n";
    }
    return 0;
}

// ------------------------------------------------------------------ export
Json orNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

// One track of `library export --format json`, its analyses included.
Json trackJson(LibraryStore& store, const TrackRecord& t, bool centroids)
{
    Json tags = Json::parse(t.tags.empty() ? std::string("{}") : toValidUtf8(t.tags), nullptr, false);
    if (tags.is_discarded()) tags = Json::object();
    Json analyses = Json::array();
    for (const auto& a : store.analyses(t.id)) {
        Json aj = {{"focus", focusName(a.focus)}, {"model", a.modelId},          {"status", a.status},
                   {"source", a.source},           {"segments", a.segmentCount}, {"error", orNull(a.error)}};
        if (centroids && !a.centroid.empty()) {
            Json c = Json::array();
            for (float v : a.centroid) c.push_back(jsonRounded(v));
            aj["centroid"] = std::move(c);
        }
        analyses.push_back(std::move(aj));
    }
    return {{"id", t.id},
            {"path", t.path},
            {"content_hash", t.contentHash},
            {"size_bytes", t.sizeBytes},
            {"duration", jsonRounded(t.duration)},
            {"format", t.format},
            {"sample_rate", jsonRounded(t.sampleRate)},
            {"channels", t.channels},
            {"tags", tags},
            {"status", t.status},
            {"error", orNull(t.error)},
            {"analyses", analyses}};
}

int exportLibrary(int argc, char** argv)
{
    CliArgs args(argc, argv, {"centroids"});
    auto session = openExisting(libraryArg(args), LibraryStore::Access::ReadOnly);
    auto store = session.store();
    const auto format = args.get("format", "csv");
    if (format != "csv" && format != "json") throw UsageError("--format must be csv or json");
    std::ofstream file;
    const auto outPath = args.get("out");
    if (!outPath.empty()) {
        file.open(fs::u8path(outPath), std::ios::binary);
        if (!file) throw std::runtime_error("cannot write '" + outPath + "'");
    }
    std::ostream& out = outPath.empty() ? std::cout : file;
    const bool centroids = args.has("centroids");
    const auto tracks = store->tracks();
    if (format == "csv") {
        out << "id,path,content_hash,size_bytes,duration,format,sample_rate,channels,status,error";
        for (Focus f : kAllFocuses) out << "," << focusName(f) << "_status," << focusName(f) << "_segments";
        out << "\n";
        for (const auto& t : tracks) {
            out << t.id << "," << csvField(t.path) << "," << t.contentHash << "," << t.sizeBytes << "," << t.duration << ","
                << csvField(t.format) << "," << t.sampleRate << "," << t.channels << "," << t.status << ","
                << csvField(t.error);
            std::map<Focus, AnalysisRecord> by;
            for (auto& a : store->analyses(t.id)) by[a.focus] = a;
            for (Focus f : kAllFocuses) {
                auto it = by.find(f);
                if (it == by.end()) out << ",,";
                else out << "," << it->second.status << "," << it->second.segmentCount;
            }
            out << "\n";
        }
    } else {
        // One track per line, streamed: a large library with centroids is never held whole.
        std::string head = dumpJson({{"library", store->path()}, {"schema", store->schemaVersion()}, {"tracks", Json::array()}});
        head.resize(head.size() - 2); // drop the empty list's "]}"
        out << head;
        for (size_t i = 0; i < tracks.size(); ++i)
            out << (i ? ",\n" : "\n") << dumpJson(trackJson(*store, tracks[i], centroids));
        out << "\n]}\n";
    }
    if (!outPath.empty()) std::cerr << "wrote " << tracks.size() << " tracks to " << outPath << "\n";
    return 0;
}

// ------------------------------------------------------------------ remove
int remove(int argc, char** argv)
{
    CliArgs args(argc, argv, {"missing"});
    if (args.positional().empty()) throw UsageError("need a library (and tracks, or --missing)");
    auto session = openExisting(args.positional()[0], LibraryStore::Access::ReadWrite);
    std::vector<int64_t> ids;
    for (size_t i = 1; i < args.positional().size(); ++i) ids.push_back(session.resolveTrack(args.positional()[i]));
    if (args.has("missing"))
        for (const auto& t : session.store()->tracks())
            if (t.status == track_status::kMissing) ids.push_back(t.id);
    if (ids.empty()) throw UsageError(args.has("missing") ? "no missing tracks to remove" : "name tracks to remove (id or path), or --missing");
    const int removed = session.removeTracks(ids);
    std::cout << "removed " << removed << " track(s) from " << session.path() << " (the audio files were not touched)\n";
    return 0;
}

const CommandRegistration regCreate({"library create", "create an empty library file",
                                     "stemscope-cli library create LIB.sqlite", create});
const CommandRegistration regImport(
    {"library import", "import files/folders (dedup by content hash, moves, missing files)",
     "stemscope-cli library import LIB.sqlite PATH... [--no-recursive] [--quiet]\n"
     "stemscope-cli library import LIB.sqlite --rescan   (every folder imported before: new, changed, moved, vanished)\n"
     "  Folders are walked recursively. A folder with mix.* next to drums/bass/piano/guitar.* is one\n"
     "  multitrack track whose stems are used directly. Unreadable files are recorded with their error.",
     import});
const CommandRegistration regRemove(
    {"library remove", "remove tracks from the library (their files stay on disk)",
     "stemscope-cli library remove LIB.sqlite [TRACK...] [--missing]\n"
     "  TRACK: id or path. --missing: every track whose file has vanished. Analyses, stored map\n"
     "  points and separator stems cached for them go too; listening-test answers are kept.",
     remove});
const CommandRegistration regAnalyze(
    {"library analyze", "embed pending tracks per focus (resumable, Ctrl-C cancels cleanly)",
     "stemscope-cli library analyze LIB.sqlite [--focus mix,drums,...] [--embedder models|baseline]\n"
     "                              [--models DIR] [--workers N] [--retry-errors] [--retry-skipped] [--redo] [--quiet]\n"
     "  --embedder models    the trained embedders in models/<focus>/ (default)\n"
     "  --embedder baseline  a model-free random projection of log-mel statistics (for trying things out)\n"
     "  --separator PATH     separator model for tracks without stem files (default models/separator);\n"
     "  --no-separator       analyse such tracks' mix focus only. Separated stems are cached in LIB.sqlite.stems/\n"
     "  --no-listening-stems do not separate plain tracks for listening after the embeddings (the GUI\n"
     "                       then separates a track when one of its stems is first played)\n"
     "  --tracks A,B         only these tracks (ids or paths), every focus again\n"
     "  Results are committed per track and focus; interrupting and re-running resumes.",
     analyze});
const CommandRegistration regStatus({"library status", "summarise a library (tracks, analyses, errors)",
                                     "stemscope-cli library status LIB.sqlite [--errors] [--models DIR]\n"
                                     "  Also says where the models were found (or looked for) and which model's results each\n"
                                     "  focus shows (the GUI resolves the same way).", status});
const CommandRegistration regNeighbours(
    {"library neighbours", "nearest tracks (or moments with --at) for a focus",
     "stemscope-cli library neighbours LIB.sqlite TRACK [--focus mix] [--k 10] [--at SECONDS] [--model ID]\n"
     "                                 [--models DIR] [--approximate-above ROWS] [--hubness-k 5] [--json]\n"
     "                                 [--exclude same-artist,same-album] [--hide-tag TAG,...]\n"
     "                                 [--m3u FILE | --xspf FILE | --playlist FILE.m3u8|.xspf]\n"
     "  --hubness-k K   rank by cosine distance less the two tracks' mean distance to their K nearest\n"
     "                  (hubness correction, the default K = 5); 0 ranks by plain cosine distance\n"
     "  --exclude / --hide-tag  leave out tracks by the query's artist, from its album, or with a tag\n"
     "  --m3u / --xspf  also write the query and its neighbours as a playlist (M3U8 or XSPF)\n"
     "  Without --model: the installed model's results, else the model with most stored results.\n"
     "  TRACK is a track id or path. Each track is listed with its ranking distance, then the plain\n"
     "  cosine distance between L2-normalised track centroids (with --at: cosine distances between the\n"
     "  segment starting nearest SECONDS and all other tracks' segments). The query itself is never listed.",
     neighbours});
const CommandRegistration regMap(
    {"library map", "the focus's stored track or segment map (computed, stored and grown like the window's)",
     "stemscope-cli library map LIB.sqlite [--focus mix] [--level segment|track] [--max-points 3000] [--recompute]\n"
     "                          [--segments-of TRACK] [--out map.csv] [--models DIR]\n"
     "  The same stored maps the window shows: computed once (t-SNE, seed 42) and kept in the library with\n"
     "  what made them; tracks analysed later are placed into them. --level track: one point per analysed\n"
     "  track (its centroid), every track; segment (default): at most --max-points segments.\n"
     "  --segments-of TRACK (id or path; with --level track): --out gets that track's segments placed over\n"
     "  the track map (each at the weighted mean of its 5 nearest tracks), as the window draws them.\n"
     "  --recompute starts afresh.",
     map});
const CommandRegistration regExport({"library export", "export tracks and analyses as CSV or JSON",
                                     "stemscope-cli library export LIB.sqlite [--format csv|json] [--out FILE] [--centroids]\n"
                                     "  --centroids  (json) include every analysis's track centroid vector",
                                     exportLibrary});

}  // namespace
}  // namespace stemscope::cli
