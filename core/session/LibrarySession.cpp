#include "session/LibrarySession.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "audio/AudioDecoder.h"
#include "analysis/SegmentFeatures.h"
#include "analysis/StemCache.h"
#include "audio/AudioWriter.h"
#include "separation/ChunkedSeparation.h"
#include "index/NeighbourIndex.h"
#include "instrsim/SimilarityMetrics.h"
#include "library/Playlist.h"
#include "library/TrackMetadata.h"
#include "projection/Pca.h"
#include "projection/NeighbourPlacement.h"
#include "projection/Tsne.h"
#include "separation/TorchSeparator.h"
#include "util/AsciiLower.h"

namespace stemscope {
namespace {
namespace fs = std::filesystem;

std::shared_ptr<LibraryStore> openStore(const std::string& path, LibraryStore::Access access, LibrarySession::OpenMode mode)
{
    std::error_code ec;
    const auto p = fs::u8path(path);
    const bool exists = fs::exists(p, ec);
    if (mode == LibrarySession::OpenMode::ExistingOnly && !exists) throw SessionError("no library at '" + path + "'");
    if (mode == LibrarySession::OpenMode::CreateNew && exists) throw SessionError("'" + path + "' already exists");
    if (fs::is_directory(p, ec)) throw SessionError("'" + path + "' is a folder, not a library file");
    return std::make_shared<LibraryStore>(path, access);
}

}  // namespace

std::string FocusModel::describe(Focus focus) const
{
    std::string s = focusName(focus);
    if (modelId.empty()) return s + ": no model installed and nothing analysed";
    s += ": " + modelId;
    if (!installed) s += " (stored results; this model is not installed: analyse again to use the installed one)";
    else if (!hasResults) s += " (installed; nothing analysed yet)";
    return s;
}

LibrarySession::LibrarySession(const std::string& path, LibraryStore::Access access, OpenMode mode)
    : store_(openStore(path, access, mode))
{
}

// ------------------------------------------------------------------ models

void LibrarySession::loadInstalledModels(const std::string& root, std::vector<Focus> focuses)
{
    ModelsRootSearch where;
    if (root.empty()) where = findModelsRoot();
    else {
        where.root = root;
        where.searched = {root};
        where.found = holdsModels(root);
    }
    if (focuses.empty()) focuses.assign(kAllFocuses.begin(), kAllFocuses.end());
    std::vector<std::string> problems;
    EmbedderSet set = loadEmbedders(where.root, focuses, &problems);
    std::lock_guard<std::mutex> lock(mutex_);
    embedders_ = std::move(set);
    problems_ = std::move(problems);
    modelsRoot_ = std::move(where);
    modelsLoaded_ = true;
    resolved_.clear();
    searches_.clear();
}

void LibrarySession::useEmbedders(EmbedderSet embedders)
{
    std::lock_guard<std::mutex> lock(mutex_);
    embedders_ = std::move(embedders);
    problems_.clear();
    modelsRoot_ = {};
    modelsLoaded_ = true;
    resolved_.clear();
    searches_.clear();
}

EmbedderSet LibrarySession::embedders() const
{
    std::lock_guard<std::mutex> lock(mutex_);
    return embedders_;
}

double LibrarySession::segmentSeconds(Focus focus) const
{
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = embedders_.find(focus);
    return it != embedders_.end() && it->second ? segmentConfigFor(*it->second).lengthSeconds : SegmentConfig{}.lengthSeconds;
}

std::vector<std::string> LibrarySession::modelProblems() const
{
    std::lock_guard<std::mutex> lock(mutex_);
    return problems_;
}

std::string LibrarySession::modelsDescription() const
{
    std::lock_guard<std::mutex> lock(mutex_);
    if (!modelsLoaded_) return "models not loaded";
    std::string s = modelsRoot_.searched.empty() ? std::string("models given by the caller") : modelsRoot_.describe();
    for (const auto& p : problems_) s += "\n" + p;
    return s;
}

FocusModel LibrarySession::modelFor(Focus focus) const
{
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = resolved_.find(focus); it != resolved_.end()) return it->second;
    FocusModel m;
    const auto stored = store_->analysedModels(focus);  // most results first
    if (auto it = pinned_.find(focus); it != pinned_.end()) {
        const bool has = std::find(stored.begin(), stored.end(), it->second) != stored.end();
        const auto e = embedders_.find(focus);
        return resolved_[focus] = {it->second, e != embedders_.end() && e->second->modelId() == it->second, has};
    }
    if (auto it = embedders_.find(focus); it != embedders_.end()) {
        const std::string installed = it->second->modelId();
        const bool has = std::find(stored.begin(), stored.end(), installed) != stored.end();
        if (has || stored.empty()) m = {installed, true, has};
    }
    if (m.modelId.empty() && !stored.empty()) m = {stored.front(), false, true};
    if (m.modelId.empty()) {
        // Registered but nothing finished yet (e.g. an analysis still running under another front end).
        const auto registered = store_->models(focus);
        if (!registered.empty()) m = {registered.back(), false, false};
    }
    resolved_[focus] = m;
    return m;
}

void LibrarySession::pinModel(Focus focus, const std::string& modelId)
{
    std::lock_guard<std::mutex> lock(mutex_);
    pinned_[focus] = modelId;
    resolved_.erase(focus);
    searches_.erase(focus);
}

std::map<Focus, std::string> LibrarySession::modelIds() const
{
    std::map<Focus, std::string> out;
    for (Focus f : kAllFocuses) out[f] = modelFor(f).modelId;
    return out;
}

// ------------------------------------------------------------------ jobs

JobId LibrarySession::submitImport(JobEngine& engine, std::vector<std::string> paths,
                                   std::function<void(const ImportReport&)> done, ImportOptions options, int priority)
{
    return stemscope::submitImport(engine, store_, std::move(paths), std::move(done), options, priority);
}

JobId LibrarySession::submitDemoRender(JobEngine& engine, const std::string& folder, int threads,
                                       std::shared_ptr<corpus::CorpusReport> report, int priority)
{
    std::error_code ec;
    fs::create_directories(fs::u8path(folder), ec);
    if (ec) throw SessionError("cannot create the folder '" + folder + "': " + ec.message());
    return engine.submit(
        "demo library",
        [folder, report, threads](JobContext& ctx) {
            std::atomic<bool> cancel{false};
            *report = corpus::renderDemoLibrary(
                folder,
                [&ctx, &cancel](const corpus::CorpusProgress& p) {
                    if (ctx.cancelled()) cancel = true;
                    const double f = p.total > 0 ? double(p.done + p.skipped + p.failed) / p.total : -1.0;
                    ctx.setProgress(std::max(0.0, f), p.stage + (p.lastSong.empty() ? std::string() : ": " + p.lastSong));
                },
                &cancel, std::max(1, threads));
            ctx.checkpoint();
            if (report->rendered + report->skipped == 0 && !report->errors.empty()) throw std::runtime_error(report->errors.front());
        },
        priority);
}

std::vector<std::string> LibrarySession::demoMixes(const std::string& folder)
{
    std::vector<fs::path> songs;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(fs::u8path(folder), ec))
        if (e.is_directory(ec)) songs.push_back(e.path());
    std::sort(songs.begin(), songs.end());
    std::vector<std::string> mixes;
    for (const auto& song : songs) {
        std::vector<std::string> here;
        for (const auto& f : fs::directory_iterator(song, ec))
            if (f.is_regular_file(ec) && f.path().stem() == "mix") here.push_back(f.path().u8string());
        std::sort(here.begin(), here.end());
        mixes.insert(mixes.end(), here.begin(), here.end());
    }
    return mixes;
}

JobId LibrarySession::submitStemExport(JobEngine& engine, int64_t trackId, std::vector<std::string> stems, std::string folder,
                                       std::function<void(const std::vector<std::string>&)> done,
                                       std::shared_ptr<const Separator> separator)
{
    const auto track = store_->track(trackId);
    if (!track) throw SessionError("no track " + std::to_string(trackId) + " in the library");
    std::error_code ec;
    fs::create_directories(fs::u8path(folder), ec);
    if (ec) throw SessionError("cannot create the folder '" + folder + "': " + ec.message());
    auto store = store_;
    if (!separator) separator = defaultSeparator();
    std::string title = trackMetadata(*track).title;
    for (char& c : title)
        if (c == '/' || c == '\\' || (unsigned char)c < 0x20) c = '_';
    return engine.submit(
        "export stems",
        [=](JobContext& ctx) mutable {
            std::vector<std::string> written, started;
            auto target = [&](const std::string& stem) {
                started.push_back((fs::u8path(folder) / (title + " - " + stem + ".flac")).u8string());
                return started.back();
            };
            try {
                // Stems the library already has, read through the decoder (any format) and written as FLAC.
                auto known = store->stemFiles(trackId);
                std::shared_ptr<const Separator> sep = separator;
                std::vector<std::string> wanted = stems;
                if (wanted.empty()) {
                    if (sep) wanted = sep->stemNames();
                    else
                        for (const auto& [name, f] : known) wanted.push_back(name);
                }
                std::vector<std::string> toSeparate;
                for (size_t i = 0; i < wanted.size(); ++i) {
                    ctx.checkpoint();
                    ctx.setProgress(0.5 * double(i) / double(wanted.size()), "exporting " + wanted[i]);
                    auto it = known.find(wanted[i]);
                    const bool usable = it != known.end() && fs::exists(fs::u8path(it->second.path)) &&
                                        (it->second.source != "separator" || (sep && it->second.modelId == sep->modelId()));
                    if (!usable) {
                        toSeparate.push_back(wanted[i]);
                        continue;
                    }
                    const MonoAudio a = defaultAudioDecoder()->decodeMono(it->second.path, DecodeOptions{0.0});
                    const std::string out = target(wanted[i]);
                    writeAudio(out, {a.samples}, a.sampleRate, 24);
                    written.push_back(out);
                }
                if (!toSeparate.empty()) {
                    if (!sep) throw std::runtime_error("no separator installed, and the track has no " + toSeparate.front() + " stem");
                    ctx.setProgress(0.5, "decoding the mix");
                    DecodeOptions d;
                    d.targetSampleRate = sep->sampleRate();
                    const MonoAudio mix = defaultAudioDecoder()->decodeMono(track->path, d);
                    std::map<std::string, std::unique_ptr<AudioStreamWriter>> writers;
                    std::map<std::string, std::string> outs;
                    for (const auto& name : toSeparate) {
                        outs[name] = target(name);
                        writers[name] = openAudioWriter(outs[name], sep->sampleRate(), 1, 24);
                    }
                    separateInChunks(
                        *sep, mix.samples, sep->sampleRate(),
                        [&](const std::map<std::string, std::vector<float>>& block, size_t offset) {
                            for (auto& [name, w] : writers) {
                                auto b = block.find(name);
                                if (b == block.end()) throw std::runtime_error("the separator yields no " + name + " stem");
                                const float* ch = b->second.data();
                                w->append(&ch, int(b->second.size()));
                            }
                            ctx.setProgress(0.5 + 0.5 * double(offset) / double(std::max<size_t>(1, mix.samples.size())),
                                            "separating");
                        },
                        {}, [&] { ctx.checkpoint(); });
                    for (const auto& name : toSeparate) {  // in the order asked for
                        writers[name]->close();
                        written.push_back(outs[name]);
                    }
                }
                ctx.checkpoint();  // cancelled during the last window: still nothing left behind
            } catch (...) {
                // Nothing half-written stays behind, whatever stopped the export.
                std::error_code rm;
                for (const auto& f : started) fs::remove(fs::u8path(f), rm);
                throw;
            }
            if (done) done(written);
        },
        5);
}

namespace {

// One slice of the stems-for-listening work: tracks from `first` on, until the slice's time is up;
// then the rest goes to a new job at the same priority.
struct ListeningStemsWork {
    std::shared_ptr<const StemCache> cache;
    std::shared_ptr<LibraryStore> store;
    std::vector<int64_t> tracks;
    LibrarySession::ListeningStemsOptions options;
    std::function<void(const LibrarySession::ListeningStemsReport&)> done;
    LibrarySession::ListeningStemsReport report;  // carried from slice to slice
};

// Tracks whose file is there and readable: the ones stems for listening are made for.
std::vector<int64_t> playableTracks(LibraryStore& store)
{
    std::vector<int64_t> ids;
    for (const auto& t : store.tracks())
        if (t.status != track_status::kMissing && t.status != track_status::kError) ids.push_back(t.id);
    return ids;
}

JobId submitListeningStemsSlice(JobEngine& engine, std::shared_ptr<ListeningStemsWork> work, size_t first)
{
    return engine.submit(
        "stems for listening",
        [&engine, work, first](JobContext& ctx) {
            const auto decoder = defaultAudioDecoder();
            const auto start = std::chrono::steady_clock::now();
            const auto& tracks = work->tracks;
            auto& report = work->report;
            ctx.setProgress(double(first) / double(tracks.size()), "separating");
            for (size_t i = first; i < tracks.size(); ++i) {
                ctx.checkpoint();
                if (i > first && std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >=
                                     work->options.sliceSeconds) {
                    const JobId next = submitListeningStemsSlice(engine, work, i);
                    if (work->options.continued) work->options.continued(next);
                    if (ctx.cancelled()) engine.cancel(next);  // cancelled while handing over
                    return;
                }
                const double base = double(i) / double(tracks.size()), span = 1.0 / double(tracks.size());
                const auto track = work->store->track(tracks[i]);
                if (!track) continue;  // removed meanwhile
                const std::string label = std::to_string(i + 1) + "/" + std::to_string(tracks.size()) + ": " +
                                          trackMetadata(*track).title;
                ctx.setProgress(base, "separating " + label);
                try {
                    const bool did = work->cache->fillTrack(tracks[i], *decoder, [&] { ctx.checkpoint(); },
                                                            [&](double f) { ctx.setProgress(base + span * f, "separating " + label); });
                    if (did) {
                        ++report.separated;
                        report.audioSeconds += track->duration;
                    } else {
                        ++report.alreadyCached;
                    }
                } catch (const JobCancelled&) {
                    throw;
                } catch (const std::exception& e) {
                    report.failures.push_back(track->path + ": " + e.what());
                }
            }
            ctx.setProgress(1.0, "done");
            if (work->done) work->done(report);
        },
        work->options.priority);
}

}  // namespace

JobId LibrarySession::submitListeningStems(JobEngine& engine, std::vector<int64_t> tracks,
                                          std::function<void(const ListeningStemsReport&)> done, ListeningStemsOptions options)
{
    if (!options.separator) {
        std::string why;
        options.separator = defaultSeparator(&why);
        if (!options.separator) throw SessionError("no separator to make stems for listening: " + why);
    }
    auto work = std::make_shared<ListeningStemsWork>();
    work->cache = std::make_shared<const StemCache>(store_, options.separator, store_->path() + ".stems");
    if (tracks.empty()) tracks = playableTracks(*store_);
    tracks.erase(std::remove_if(tracks.begin(), tracks.end(), [&](int64_t id) { return !work->cache->needed(id); }),
                 tracks.end());
    if (tracks.empty()) return 0;
    work->store = store_;
    work->tracks = std::move(tracks);
    work->options = std::move(options);
    work->done = std::move(done);
    return submitListeningStemsSlice(engine, std::move(work), 0);
}

LibrarySession::ListeningStemsStatus LibrarySession::listeningStemsStatus() const
{
    std::string why;
    const auto separator = defaultSeparator(&why);
    if (!separator) throw SessionError("no separator: " + why);
    const StemCache cache(store_, separator, store_->path() + ".stems");
    ListeningStemsStatus status;
    status.separatorId = separator->modelId();
    for (int64_t id : playableTracks(*store_)) {
        if (cache.hasOwnStems(id)) ++status.multitracks;
        else if (cache.needed(id)) ++status.missing;
        else ++status.cached;
    }
    return status;
}

std::shared_ptr<const Separator> LibrarySession::defaultSeparator(std::string* why) const
{
    // Only a loaded model is kept: one installed while the library is open is found next time.
    std::lock_guard<std::mutex> lock(separatorMutex_);
    if (!separator_) {
        std::string whyNot;
        separator_ = loadDefaultSeparator(&whyNot);
        if (!separator_ && why) *why = whyNot;
    }
    return separator_;
}

AnalysisOptions LibrarySession::defaultAnalysisOptions(std::string* why) const
{
    AnalysisOptions options;
    options.separator = defaultSeparator(why);
    options.stemCacheDir = store_->path() + ".stems";
    return options;
}

AnalysisBatch LibrarySession::submitAnalysis(JobEngine& engine, AnalysisOptions options,
                                             std::function<void(const BatchProgress&)> onProgress, int priority)
{
    bool loaded;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        loaded = modelsLoaded_;
    }
    if (!loaded) loadInstalledModels();
    EmbedderSet set = embedders();
    if (set.empty())
        throw SessionError("No focus model could be loaded, so nothing can be analysed: " + modelsDescription());
    // Every writer of analyses registers its models: the library then says what produced them.
    for (const auto& [focus, e] : set) store_->registerModel(e->modelId(), focus, "", e->dimension());
    {
        std::lock_guard<std::mutex> lock(mutex_);
        resolved_.clear();
    }
    auto analyzer = std::make_shared<TrackAnalyzer>(store_, std::move(set), defaultAudioDecoder(), std::move(options));
    AnalysisBatch batch;
    batch.scheduler = std::make_shared<AnalysisScheduler>(analyzer);
    batch.jobs = batch.scheduler->submit(engine, *store_, std::move(onProgress), priority);
    return batch;
}

// ------------------------------------------------------------------ queries

void LibrarySession::invalidate()
{
    std::lock_guard<std::mutex> lock(mutex_);
    resolved_.clear();
    searches_.clear();
}

void LibrarySession::setIndexOptions(const IndexOptions& options)
{
    std::lock_guard<std::mutex> lock(mutex_);
    indexOptions_ = options;
    searches_.clear();
}

void LibrarySession::setTrackRanking(TrackRanking ranking)
{
    std::lock_guard<std::mutex> lock(mutex_);
    trackRanking_ = ranking;
    searches_.clear();
}

std::shared_ptr<const NeighbourSearch> LibrarySession::search(Focus focus)
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (auto it = searches_.find(focus); it != searches_.end()) return it->second;
    }
    const FocusModel model = modelFor(focus);
    if (model.modelId.empty() || !model.hasResults)
        throw SessionError(std::string("No ") + focusName(focus) + " model has analysed this library yet.");
    IndexOptions options;
    TrackRanking ranking;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        options = indexOptions_;
        ranking = trackRanking_;
    }
    options.cancel = &cancelQueries_;
    auto s = std::make_shared<const NeighbourSearch>(NeighbourSearch::load(*store_, focus, model.modelId, options, ranking));
    std::lock_guard<std::mutex> lock(mutex_);
    return searches_.emplace(focus, std::move(s)).first->second;
}

std::vector<TrackNeighbour> LibrarySession::neighbours(int64_t trackId, Focus focus, int k, const NeighbourExclusions& exclusions)
{
    const auto s = search(focus);
    if (!s->contains(trackId)) throw SessionError(whyNotSearchable(trackId, focus));
    if (!exclusions.any()) return s->similarTracks(trackId, k);
    const auto query = store_->track(trackId);
    const TrackMetadata q = query ? trackMetadata(*query) : TrackMetadata{};
    std::vector<std::string> hidden;
    for (const auto& t : exclusions.hiddenTags) hidden.push_back(asciiLower(t));
    auto excluded = [&](int64_t id) {
        const auto t = store_->track(id);
        if (!t) return true;
        const TrackMetadata m = trackMetadata(*t);
        if (exclusions.sameArtist && !q.artist.empty() && asciiLower(m.artist) == asciiLower(q.artist)) return true;
        if (exclusions.sameAlbum && !q.album.empty() && asciiLower(m.album) == asciiLower(q.album)) return true;
        for (const auto& tag : m.tags)
            if (std::find(hidden.begin(), hidden.end(), asciiLower(tag)) != hidden.end()) return true;
        return false;
    };
    // Ask for more until k pass the filter or the whole library was seen.
    std::vector<TrackNeighbour> out;
    for (int want = std::max(k, 1) * 2;; want *= 4) {
        out.clear();
        const auto hits = s->similarTracks(trackId, want);
        for (const auto& h : hits)
            if (!excluded(h.trackId) && int(out.size()) < k) out.push_back(h);
        if (int(out.size()) >= k || int(hits.size()) < want || want >= s->trackCount()) return out;
    }
}

void LibrarySession::exportPlaylist(const std::string& path, const std::string& title, const std::vector<int64_t>& trackIds)
{
    std::vector<PlaylistEntry> entries;
    for (int64_t id : trackIds)
        if (const auto t = store_->track(id)) {
            const TrackMetadata m = trackMetadata(*t);
            entries.push_back({t->path, m.title, m.artist, m.album, t->duration});
        }
    try {
        writePlaylist(path, title, entries);
    } catch (const std::exception& e) {
        throw SessionError(e.what());
    }
}

std::vector<SegmentNeighbour> LibrarySession::segmentNeighbours(int64_t trackId, Focus focus, double atSeconds, int k)
{
    const auto s = search(focus);
    if (!s->contains(trackId)) throw SessionError(whyNotSearchable(trackId, focus));
    return s->similarSegments(trackId, atSeconds, k);
}

std::string LibrarySession::whyNotSearchable(int64_t trackId, Focus focus)
{
    // The stored reason, so the user reads "too short: ..." rather than a list of guesses.
    const std::string f = focusName(focus);
    const auto t = store_->track(trackId);
    if (!t) return "No such track (removed from the library?).";
    if (t->status == track_status::kMissing) return "This track's file is missing: " + t->path;
    if (t->status == track_status::kError) return "This track could not be analysed: " + t->error;
    const auto a = store_->analysis(trackId, focus, modelFor(focus).modelId);
    if (!a) return "This track has no " + f + " analysis yet: the next library analysis makes it.";
    if (a->status == analysis_status::kSilent) return "This track is silent in the " + f + " focus: no segment to compare.";
    if (a->status == analysis_status::kSkipped) return "This track has no " + f + " analysis: " + a->error;
    if (a->status == analysis_status::kError) return "The " + f + " analysis of this track failed: " + a->error;
    return "This track's " + f + " analysis is not in the index yet (refresh: it was analysed after the index was built).";
}

SegmentMatchResult LibrarySession::matchingSegment(int64_t queryTrack, double queryAtSeconds, int64_t neighbourTrack, Focus focus)
{
    SegmentMatchResult out;
    const auto s = search(focus);
    if (!s->contains(queryTrack) || !s->contains(neighbourTrack))
        throw SessionError("No " + std::string(focusName(focus)) + " segments for this pair of tracks yet.");
    const std::string model = modelFor(focus).modelId;
    const SegmentEmbeddings query = store_->segments(queryTrack, focus, model);
    if (query.startSeconds.empty()) throw SessionError("The query track has no analysed segments.");
    // The query's segments to match: the one at queryAtSeconds, or all of them.
    std::vector<double> starts;
    if (queryAtSeconds >= 0) {
        double best = query.startSeconds.front();
        for (double at : query.startSeconds)
            if (std::abs(at - queryAtSeconds) < std::abs(best - queryAtSeconds)) best = at;
        starts.push_back(best);
    } else {
        starts = query.startSeconds;
    }
    // Segment-level neighbours of each query segment, closest first: the first hit on the
    // neighbour track is that segment's best match. Big libraries (approximate index) may not
    // reach the neighbour within k; then the two tracks' segments are compared directly.
    const int k = std::min(s->segmentCount(), 5000);
    for (double at : starts)
        for (const auto& n : s->similarSegments(queryTrack, at, k))
            if (n.trackId == neighbourTrack) {
                if (!out.found || n.distance < out.distance) out = {true, at, n.startSeconds, n.distance};
                break;
            }
    if (!out.found) {
        const SegmentEmbeddings other = store_->segments(neighbourTrack, focus, model);
        for (int i = 0; i < query.vectors.rows; ++i) {
            const double at = query.startSeconds[size_t(i)];
            if (std::find(starts.begin(), starts.end(), at) == starts.end()) continue;
            for (int j = 0; j < other.vectors.rows && other.vectors.cols == query.vectors.cols; ++j) {
                const float d = float(cosineDistance(query.vectors.row(i), other.vectors.row(j), query.vectors.cols));
                if (!out.found || d < out.distance) out = {true, at, other.startSeconds[size_t(j)], d};
            }
        }
    }
    return out;
}

CentroidDistances LibrarySession::centroidDistances(Focus focus, const std::vector<int64_t>& only, int maxTracks)
{
    const FocusModel model = modelFor(focus);
    if (!model.hasResults) throw SessionError("Nothing analysed under this focus yet.");
    const FocusEmbeddings e = store_->loadFocus(focus, model.modelId, false);
    std::vector<int> rows;
    if (!only.empty()) {
        for (int64_t id : only) {
            const auto it = std::find(e.trackIds.begin(), e.trackIds.end(), id);
            const int r = int(it - e.trackIds.begin());
            if (it != e.trackIds.end() && std::find(rows.begin(), rows.end(), r) == rows.end()) rows.push_back(r);
        }
    } else {
        const int n = std::min<int>(int(e.trackIds.size()), std::max(1, maxTracks));
        for (int r = 0; r < n; ++r) rows.push_back(r);
    }
    CentroidDistances out;
    const size_t n = rows.size();
    out.values.assign(n * n, 0.f);
    for (size_t i = 0; i < n; ++i) {
        out.trackIds.push_back(e.trackIds[size_t(rows[i])]);
        for (size_t j = i + 1; j < n; ++j)
            out.values[i * n + j] = out.values[j * n + i] =
                float(cosineDistance(e.centroids.row(rows[i]), e.centroids.row(rows[j]), e.centroids.cols));
    }
    return out;
}

namespace {

const char* mapLevelName(MapLevel level) { return level == MapLevel::Track ? "track" : "segment"; }

std::vector<SegmentMapPoint> pointsOf(const StoredMap& m)
{
    std::vector<SegmentMapPoint> out(m.size());
    for (size_t i = 0; i < m.size(); ++i) out[i] = {m.trackIds[i], m.starts[i], m.x[i], m.y[i]};
    return out;
}

// Rows of `e.segments` to map: at most `budget`, evenly spread over `rows`.
std::vector<int> spread(const std::vector<int>& rows, int budget)
{
    const int n = std::min<int>(int(rows.size()), std::max(1, budget));
    std::vector<int> out;
    const double step = double(rows.size()) / std::max(1, n);
    for (int i = 0; i < n; ++i) out.push_back(rows[size_t(i * step)]);
    return out;
}

Matrix rowsOf(const Matrix& m, const std::vector<int>& rows)
{
    Matrix x(int(rows.size()), m.cols);
    for (size_t i = 0; i < rows.size(); ++i) std::copy(m.row(rows[i]), m.row(rows[i]) + m.cols, x.row(int(i)));
    return x;
}

}  // namespace

std::vector<SegmentMapPoint> LibrarySession::segmentMap(Focus focus, int maxPoints, const std::function<bool()>& cancelled,
                                                       const MapProgress& progress)
{
    return storedMap(focus, MapLevel::Segment, maxPoints, cancelled, progress);
}

std::vector<SegmentMapPoint> LibrarySession::trackMap(Focus focus, const std::function<bool()>& cancelled,
                                                     const MapProgress& progress)
{
    return storedMap(focus, MapLevel::Track, 0, cancelled, progress);
}

std::vector<SegmentMapPoint> LibrarySession::storedMap(Focus focus, MapLevel level, int maxPoints,
                                                      const std::function<bool()>& cancelled, const MapProgress& progress)
{
    const std::string levelName = mapLevelName(level);
    const FocusModel model = modelFor(focus);
    if (!model.hasResults) throw SessionError("Nothing analysed under this focus yet.");
    // Fast path: the stored map still covers exactly the analysed tracks.
    const FocusEmbeddings tracksOnly = store_->loadFocus(focus, model.modelId, false);
    const std::set<int64_t> current(tracksOnly.trackIds.begin(), tracksOnly.trackIds.end());
    auto stored = store_->map(focus, model.modelId, levelName);
    nlohmann::json params = nlohmann::json::object();
    if (stored) params = nlohmann::json::parse(stored->params, nullptr, false);
    const bool sameBudget = stored && params.is_object() && params.value("max_points", -1) == maxPoints;
    std::set<int64_t> mapped;
    if (stored) mapped.insert(stored->trackIds.begin(), stored->trackIds.end());
    if (sameBudget && mapped == current) return pointsOf(*stored);

    // The rows to map: every segment, or every track's centroid (unit length: cosine geometry).
    const bool segments = level == MapLevel::Segment;
    FocusEmbeddings e = segments ? store_->loadFocus(focus, model.modelId, true) : tracksOnly;
    Matrix X = segments ? std::move(e.segments) : std::move(e.centroids);
    std::vector<int64_t> rowTrack = segments ? std::move(e.segmentTrack) : e.trackIds;
    std::vector<double> rowStart = segments ? std::move(e.segmentStart) : std::vector<double>(e.trackIds.size(), -1.0);
    if (!segments) normaliseRows(X);
    if (X.rows == 0) throw SessionError("Nothing analysed under this focus yet.");
    if (cancelled && cancelled()) return {};
    projection::TsneOptions options;
    std::atomic<bool> stop{false};
    options.cancel = &stop;
    options.threads = 2;
    options.progressEvery = 10;
    int total = options.iterations;  // 300 for a placement (set below)
    options.progress = [&](int done, double) {
        if (progress) progress(std::min(1.0, double(done) / std::max(1, total)));
        if (cancelled && cancelled()) stop = true;
    };
    StoredMap out;
    out.focus = focus;
    out.modelId = model.modelId;
    out.level = levelName;

    // Incremental: keep every stored point of a track still analysed, place the new tracks' segments.
    std::vector<int> oldRows, newRows;
    std::map<std::pair<int64_t, double>, int> rowOf;
    for (int r = 0; r < X.rows; ++r) rowOf[{rowTrack[size_t(r)], rowStart[size_t(r)]}] = r;
    std::vector<size_t> keep;
    if (sameBudget)
        for (size_t i = 0; i < stored->size(); ++i)
            if (auto it = rowOf.find({stored->trackIds[i], stored->starts[i]}); it != rowOf.end()) {
                keep.push_back(i);
                oldRows.push_back(it->second);
            }
    size_t added = 0;
    for (int64_t id : current) added += mapped.count(id) ? 0 : 1;
    const bool incremental = sameBudget && oldRows.size() >= 5 && added * 4 <= current.size();
    if (incremental) {
        std::vector<int> candidates;
        for (int r = 0; r < X.rows; ++r)
            if (!mapped.count(rowTrack[size_t(r)])) candidates.push_back(r);
        // The same share of each new track's segments as the stored map has of the old ones.
        const double share = double(stored->size()) / std::max<size_t>(1, size_t(X.rows) - candidates.size());
        newRows = candidates.empty() ? std::vector<int>{} : spread(candidates, int(std::ceil(share * candidates.size())));
        Matrix yOld(int(keep.size()), 2);
        for (size_t i = 0; i < keep.size(); ++i) {
            yOld(int(i), 0) = stored->x[keep[i]];
            yOld(int(i), 1) = stored->y[keep[i]];
        }
        projection::TsneResult placed;
        if (!newRows.empty()) {
            total = 300;  // placeNewPoints' default
            placed = projection::placeNewPoints(rowsOf(X, oldRows), yOld, rowsOf(X, newRows), options);
            if (placed.cancelled) return {};
        }
        for (size_t i = 0; i < keep.size(); ++i) {
            out.trackIds.push_back(stored->trackIds[keep[i]]);
            out.starts.push_back(stored->starts[keep[i]]);
            out.x.push_back(stored->x[keep[i]]);
            out.y.push_back(stored->y[keep[i]]);
        }
        for (size_t i = 0; i < newRows.size(); ++i) {
            out.trackIds.push_back(rowTrack[size_t(newRows[i])]);
            out.starts.push_back(rowStart[size_t(newRows[i])]);
            out.x.push_back(float(placed.embedding(int(i), 0)));
            out.y.push_back(float(placed.embedding(int(i), 1)));
        }
        params["placed_incrementally"] = params.value("placed_incrementally", 0) + int(newRows.size());
        params["tracks"] = int(current.size());
    } else {
        std::vector<int> all(size_t(X.rows));
        for (int r = 0; r < X.rows; ++r) all[size_t(r)] = r;
        const std::vector<int> rows = maxPoints > 0 ? spread(all, maxPoints) : all;
        // Under 5 points t-SNE has no neighbourhoods to keep: the principal plane shows them as they are.
        const bool tiny = rows.size() < 5;
        projection::TsneResult result;
        if (tiny) result.embedding = rows.size() > 1 ? projection::pcaProject(rowsOf(X, rows), 2) : Matrix(int(rows.size()), 2);
        else result = projection::runTsne(rowsOf(X, rows), options);
        if (result.cancelled) return {};
        for (size_t i = 0; i < rows.size(); ++i) {
            out.trackIds.push_back(rowTrack[size_t(rows[i])]);
            out.starts.push_back(rowStart[size_t(rows[i])]);
            out.x.push_back(float(result.embedding(int(i), 0)));
            out.y.push_back(float(result.embedding(int(i), 1)));
        }
        params = {{"method", tiny ? std::string("PCA (fewer than 5 points)")
                                  : std::string("t-SNE (") + projection::methodName(result.method) + ")"},
                  {"perplexity", options.perplexity},
                  {"seed", options.seed},
                  {"iterations", result.iterations},
                  {"max_points", maxPoints},
                  {"level", levelName},
                  {"rows_total", X.rows},
                  {"tracks", int(current.size())},
                  {"placed_incrementally", 0}};
    }
    out.params = params.dump();
    // A read-only library (or a busy one) still gets its map, just not stored.
    try {
        store_->saveMap(out);
    } catch (const std::exception&) {
    }
    return pointsOf(out);
}

std::vector<SegmentMapPoint> LibrarySession::trackSegmentsOnMap(Focus focus, int64_t trackId, int neighbours)
{
    const FocusModel model = modelFor(focus);
    if (!model.hasResults) throw SessionError("Nothing analysed under this focus yet.");
    const std::string level = mapLevelName(MapLevel::Track);
    const auto header = store_->map(focus, model.modelId, level, false);
    if (!header) throw SessionError("No track map for this focus yet: compute it first.");
    const std::string stamp = std::to_string(header->id) + "|" + header->createdAt + "|" + header->params;
    std::shared_ptr<const MapReferences> refs;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (mapRefs_ && mapRefs_->focus == focus && mapRefs_->modelId == model.modelId && mapRefs_->stamp == stamp) refs = mapRefs_;
    }
    if (!refs) {
        // The references: mapped tracks whose centroids are still stored, at their map positions.
        const auto stored = store_->map(focus, model.modelId, level);
        if (!stored || stored->size() == 0) throw SessionError("No track map for this focus yet: compute it first.");
        const FocusEmbeddings e = store_->loadFocus(focus, model.modelId, false);
        std::unordered_map<int64_t, int> rowOfTrack;
        for (size_t r = 0; r < e.trackIds.size(); ++r) rowOfTrack.emplace(e.trackIds[r], int(r));
        std::vector<int> refRows;
        std::vector<size_t> mapIndex;
        for (size_t i = 0; i < stored->size(); ++i)
            if (auto it = rowOfTrack.find(stored->trackIds[i]); it != rowOfTrack.end()) {
                refRows.push_back(it->second);
                mapIndex.push_back(i);
            }
        if (refRows.empty()) throw SessionError("The stored track map no longer matches the analyses: recompute the map.");
        auto made = std::make_shared<MapReferences>();
        made->focus = focus;
        made->modelId = model.modelId;
        made->stamp = stamp;
        made->refs = rowsOf(e.centroids, refRows);
        normaliseRows(made->refs);
        made->xy = Matrix(int(refRows.size()), 2);
        for (size_t i = 0; i < mapIndex.size(); ++i) {
            made->xy(int(i), 0) = stored->x[mapIndex[i]];
            made->xy(int(i), 1) = stored->y[mapIndex[i]];
        }
        refs = made;
        std::lock_guard<std::mutex> lock(mutex_);
        mapRefs_ = made;
    }
    const SegmentEmbeddings seg = store_->segments(trackId, focus, model.modelId);
    if (seg.vectors.rows == 0) throw SessionError("That track has no analysed segments under this focus.");
    if (seg.vectors.cols != refs->refs.cols)
        throw SessionError("The stored track map no longer matches the analyses: recompute the map.");
    Matrix queries = seg.vectors;
    normaliseRows(queries);
    const auto placed = projection::placeByNeighbours(refs->refs, refs->xy, queries, neighbours);
    std::vector<size_t> order(size_t(queries.rows));
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return seg.startSeconds[a] < seg.startSeconds[b]; });
    std::vector<SegmentMapPoint> out;
    out.reserve(order.size());
    for (size_t i : order)
        out.push_back({trackId, seg.startSeconds[i], placed.positions(int(i), 0), placed.positions(int(i), 1)});
    return out;
}

std::string LibrarySession::mapProvenance(Focus focus, MapLevel level)
{
    const FocusModel model = modelFor(focus);
    const auto m = store_->map(focus, model.modelId, mapLevelName(level));
    return m ? m->params : std::string();
}

void LibrarySession::forgetMap(Focus focus) { store_->deleteMaps(focus); }

int LibrarySession::removeTracks(const std::vector<int64_t>& trackIds)
{
    // Cached separator outputs inside this library's stem cache: known before the rows go.
    std::vector<fs::path> cached;
    std::error_code ec;
    const fs::path cacheDir = fs::weakly_canonical(fs::u8path(store_->path() + ".stems"), ec);
    for (int64_t id : trackIds)
        for (const auto& [name, file] : store_->stemFiles(id)) {
            if (file.source != "separator") continue;
            const fs::path p = fs::weakly_canonical(fs::u8path(file.path), ec);
            const auto rel = p.lexically_relative(cacheDir);
            if (!ec && !rel.empty() && *rel.begin() != "..") cached.push_back(p);
        }
    const int removed = store_->removeTracks(trackIds);
    for (const auto& p : cached) {
        fs::remove(p, ec);               // a file already gone is fine
        fs::remove(p.parent_path(), ec); // the track's cache folder, once empty
    }
    invalidate();
    return removed;
}

int64_t LibrarySession::resolveTrack(const std::string& ref)
{
    if (!ref.empty() && ref.size() < 19 && ref.find_first_not_of("0123456789") == std::string::npos)
        if (store_->track(std::stoll(ref))) return std::stoll(ref);
    if (auto t = store_->trackByPath(ref)) return t->id;
    std::error_code ec;
    const auto canon = fs::weakly_canonical(fs::absolute(fs::u8path(ref), ec), ec).u8string();
    if (auto t = store_->trackByPath(canon)) return t->id;
    throw SessionError("no track '" + ref + "' in the library (give its id or path)");
}

}  // namespace stemscope
