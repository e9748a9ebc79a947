#include "analysis/TrackAnalyzer.h"

#include <cstdio>

#include <filesystem>
#include <set>
#include <stdexcept>

#include "analysis/SegmentEmbeddingReader.h"
#include "analysis/SegmentFeatures.h"
#include "analysis/StemCache.h"
#include "audio/AudioDecoder.h"
#include "audio/AudioError.h"
#include "jobs/JobEngine.h"
#include "library/LibraryStore.h"
#include "separation/ChunkedSeparation.h"
#include "separation/Separator.h"

namespace stemscope {

TrackAnalyzer::TrackAnalyzer(std::shared_ptr<LibraryStore> store, EmbedderSet embedders,
                             std::shared_ptr<const AudioDecoder> decoder, AnalysisOptions options)
    : store_(std::move(store)), embedders_(std::move(embedders)), decoder_(std::move(decoder)), options_(std::move(options))
{
    for (const auto& [f, e] : embedders_)
        if (!e) throw std::invalid_argument(std::string("null embedder for focus ") + focusName(f));
}

std::vector<Focus> TrackAnalyzer::focuses() const
{
    std::vector<Focus> out;
    for (Focus f : kAllFocuses) {
        if (!embedders_.count(f)) continue;
        if (!options_.focuses.empty() &&
            std::find(options_.focuses.begin(), options_.focuses.end(), f) == options_.focuses.end())
            continue;
        out.push_back(f);
    }
    return out;
}

bool TrackAnalyzer::focusNeedsWork(const std::map<Focus, std::string>& done, Focus f) const
{
    auto it = done.find(f);
    if (it == done.end() || options_.redo) return true;
    if (it->second == analysis_status::kError) return options_.retryErrors;
    if (it->second == analysis_status::kSkipped) return options_.retrySkipped;
    return false;
}

namespace {
// A partially decoded track keeps its "partial: ..." note whatever its status becomes.
std::string partialNoteOf(const TrackRecord& t) { return t.error.rfind("partial:", 0) == 0 ? t.error : std::string(); }
// A decoding error of a track overwritten by garbage keeps saying so, so that a rescan that finds
// the file restored clears it (TrackImporter).
std::string keepCause(const TrackRecord& t, const std::string& what)
{
    return contentChangedUnreadable(t) ? track_status::kContentChangedPrefix + what : what;
}
}  // namespace

bool TrackAnalyzer::needsWork(const std::string& trackStatus, const std::map<Focus, std::string>& done) const
{
    if (trackStatus == track_status::kMissing) return false;
    if (trackStatus == track_status::kError) return options_.retryErrors;
    for (Focus f : focuses())
        if (focusNeedsWork(done, f)) return true;
    return false;
}

std::string TrackAnalyzer::statusFor(const std::map<Focus, std::string>& done) const
{
    bool all = true, skipped = false;
    for (Focus f : focuses()) {
        auto it = done.find(f);
        if (it == done.end()) all = false;
        else if (it->second == analysis_status::kSkipped || it->second == analysis_status::kError) skipped = true;
    }
    if (!all) return track_status::kNew;
    return skipped ? track_status::kPartial : track_status::kAnalysed;
}

namespace {

struct FocusSignal {
    std::vector<float> owned;                     // stem signals live here...
    const std::vector<float>* borrowed = nullptr; // ...the mix is borrowed (no copy of long tracks)
    const std::vector<float>& samples() const { return borrowed ? *borrowed : owned; }
    std::string source;          // mix | corpus-stem | separator | separator-cache
    std::string unavailable;     // non-empty: why this focus has no signal
    bool error = false;          // unavailable because of a failure (vs. simply absent)
};

}  // namespace

TrackAnalysisResult TrackAnalyzer::analyze(int64_t trackId, JobContext* ctx) const
{
    TrackAnalysisResult result;
    const auto trk = store_->track(trackId);
    if (!trk) throw std::runtime_error("no track " + std::to_string(trackId));
    auto progress = [&](double f, const std::string& what) {
        if (ctx) {
            ctx->checkpoint();
            ctx->setProgress(f, what);
        }
    };

    // Which focuses still need a result?
    std::map<Focus, std::string> done;
    for (const auto& a : store_->analyses(trackId))
        if (embedders_.count(a.focus) && a.modelId == embedders_.at(a.focus)->modelId()) done[a.focus] = a.status;
    std::vector<Focus> todo;
    for (Focus f : focuses())
        if (focusNeedsWork(done, f)) todo.push_back(f);
    // A file that cannot be read: missing or in error, with its cause kept.
    auto unreadable = [&](const AudioError& e) {
        result.trackStatus = e.kind() == AudioErrorKind::FileNotFound ? track_status::kMissing : track_status::kError;
        result.error = keepCause(*trk, e.what());
        store_->setTrackStatus(trackId, result.trackStatus, result.error);
        return result;
    };
    if (todo.empty()) {
        // Retried without work left: an error track is settled only if its file reads again (one
        // overwritten by garbage keeps its results and its error).
        if (trk->status == track_status::kError) {
            try {
                decoder_->probe(trk->path);
            } catch (const AudioError& e) {
                return unreadable(e);
            }
        }
        result.trackStatus = statusFor(done);
        if (trk->status != result.trackStatus) store_->setTrackStatus(trackId, result.trackStatus, partialNoteOf(*trk));
        return result;
    }

    // 1. Decode the mix (needed for the mix focus and by a separator).
    progress(0.02, "decoding");
    MonoAudio mix;
    try {
        DecodeOptions d;
        d.targetSampleRate = kAnalysisSampleRate;
        mix = decoder_->decodeMono(trk->path, d);
    } catch (const AudioError& e) {
        return unreadable(e);
    }
    result.audioSeconds = mix.source.durationSeconds();
    const std::string note = mix.source.partialNote();  // kept with the track's status below
    if (mix.source.durationSeconds() < options_.segments.lengthSeconds) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "too short: %.2f s is shorter than one %.0f s segment", mix.source.durationSeconds(),
                      options_.segments.lengthSeconds);
        result.trackStatus = track_status::kError;
        // A truncated file is usually why it is short: say both.
        result.error = note.empty() ? std::string(buf) : std::string(buf) + " (" + note + ")";
        store_->setTrackStatus(trackId, result.trackStatus, result.error);
        return result;
    }
    if (trk->duration <= 0 || trk->format.empty())
        store_->setTrackInfo(trackId, mix.source.durationSeconds(), mix.source.format, mix.source.sampleRate,
                             mix.source.channels);

    // Stem files of the user's multitrack, and separator outputs cached by an earlier analysis. A cache
    // made by another separator model than the configured one is ignored (and replaced below).
    std::map<std::string, std::string> corpusStems, cachedStems;
    for (const auto& [name, file] : store_->stemFiles(trackId)) {
        if (file.source != "separator")
            corpusStems[name] = file.path;
        else if (!options_.separator || file.modelId == options_.separator->modelId())
            cachedStems[name] = file.path;
    }
    std::map<std::string, std::vector<float>> separated;
    std::set<std::string> separatedNow;  // cached by this analysis (source "separator", not "-cache")
    bool separationTried = false;
    std::string separationError;

    // Separation runs window by window: with a stem cache the stems stream to their files and a
    // focus that needs one reads it back, so memory never holds five whole-track stems.
    auto separateOnce = [&] {
        if (separationTried) return;
        separationTried = true;
        const auto checkpoint = [&] {
            if (ctx) ctx->checkpoint();
        };
        if (!options_.stemCacheDir.empty()) {
            try {
                const StemCache cache(store_, options_.separator, options_.stemCacheDir);
                for (const auto& [name, path] : cache.fill(trackId, mix.samples, checkpoint)) {
                    cachedStems[name] = path;
                    separatedNow.insert(name);
                }
                return;
            } catch (const JobCancelled&) {
                throw;
            } catch (const std::exception&) {
                // A full disk or read-only cache costs the cache, not the analysis: separate in memory.
                cachedStems.clear();
            }
        }
        try {
            separateInChunks(
                *options_.separator, mix.samples, kAnalysisSampleRate,
                [&](const std::map<std::string, std::vector<float>>& block, size_t) {
                    for (const auto& [name, x] : block) separated[name].insert(separated[name].end(), x.begin(), x.end());
                },
                {}, checkpoint);
        } catch (const JobCancelled&) {
            throw;
        } catch (const std::exception& e) {
            separationError = e.what();
        }
    };

    auto decodeStem = [&](const std::string& path) {
        DecodeOptions d;
        d.targetSampleRate = kAnalysisSampleRate;
        return decoder_->decodeMono(path, d).samples;
    };

    auto signalFor = [&](Focus f) -> FocusSignal {
        FocusSignal s;
        // The mix model listens to the mix for every focus: no stems, no separation.
        if (!focusHasStem(f) || embedders_.at(f)->input() == EmbedderInput::Mix) {
            s.borrowed = &mix.samples;
            s.source = "mix";
            return s;
        }
        const std::string name = focusName(f);
        if (auto it = corpusStems.find(name); it != corpusStems.end()) {
            try {
                s.owned = decodeStem(it->second);
                s.source = "corpus-stem";
            } catch (const AudioError& e) {
                s.unavailable = std::string("stem file: ") + e.what();
                s.error = true;
            }
            return s;
        }
        if (auto it = cachedStems.find(name); it != cachedStems.end() && corpusStems.empty()) {
            try {
                s.owned = decodeStem(it->second);
                s.source = separatedNow.count(name) ? "separator" : "separator-cache";
                return s;
            } catch (const AudioError&) {
                // Vanished or damaged cache file: fall through and separate again.
            }
        }
        if (!corpusStems.empty() && !options_.separator) {
            s.unavailable = "no " + name + " stem in the corpus folder";
            return s;
        }
        if (!options_.separator) {
            s.unavailable = "no stems: no stem files next to the track and no separator configured";
            return s;
        }
        separateOnce();
        if (!separationError.empty()) {
            s.unavailable = "separation failed: " + separationError;
            s.error = true;
        } else if (auto it = separated.find(name); it != separated.end()) {
            s.owned = std::move(it->second);
            s.source = "separator";
        } else if (auto c = cachedStems.find(name); c != cachedStems.end()) {
            try {
                s.owned = decodeStem(c->second);
                s.source = "separator";
            } catch (const AudioError& e) {
                s.unavailable = std::string("separated stem: ") + e.what();
                s.error = true;
            }
        } else {
            s.unavailable = "separator yields no " + name + " stem";
        }
        return s;
    };

    // 2. One focus at a time, each committed on its own.
    SignalCqtCache cqtCache;  // CQT models hearing the same signal share its transform
    for (size_t k = 0; k < todo.size(); ++k) {
        const Focus f = todo[k];
        const auto& emb = *embedders_.at(f);
        const double base = 0.05 + 0.95 * double(k) / double(todo.size());
        const double span = 0.95 / double(todo.size());
        progress(base, std::string(focusName(f)) + ": preparing");
        FocusSignal sig = signalFor(f);
        if (!sig.unavailable.empty()) {
            store_->saveAnalysisOutcome(trackId, f, emb.modelId(),
                                        sig.error ? analysis_status::kError : analysis_status::kSkipped, sig.unavailable);
            done[f] = sig.error ? analysis_status::kError : analysis_status::kSkipped;
            continue;
        }
        const SegmentConfig grid = segmentConfigFor(emb, options_.segments);
        const auto plan = planSegments(sig.samples(), kAnalysisSampleRate, grid);
        if (plan.segments.empty()) {
            char what[96];
            std::snprintf(what, sizeof what, "no non-silent %.3g s segment", grid.lengthSeconds);
            store_->saveAnalysisOutcome(trackId, f, emb.modelId(), analysis_status::kSilent, what, sig.source);
            done[f] = analysis_status::kSilent;
            ++result.focusesDone;
            continue;
        }
        Matrix all(0, emb.dimension());
        std::vector<double> starts;
        std::vector<float> weights, w;
        const size_t batch = size_t(std::max(1, options_.batchSegments));
        SegmentEmbeddingReader embeddings(sig.samples(), plan, emb, &cqtCache);
        for (size_t first = 0; first < plan.segments.size(); first += batch) {
            progress(base + span * double(first) / double(plan.segments.size()),
                     std::string(focusName(f)) + ": embedding " + std::to_string(first) + "/" +
                         std::to_string(plan.segments.size()));
            const Matrix e = embeddings.read(first, batch, &w);
            all.data.insert(all.data.end(), e.data.begin(), e.data.end());
            all.rows += e.rows;
            weights.insert(weights.end(), w.begin(), w.end());
            for (size_t i = first; i < first + size_t(e.rows); ++i) starts.push_back(plan.segments[i].startSeconds(kAnalysisSampleRate));
        }
        if (ctx) ctx->checkpoint();  // a cancel now discards this focus: nothing half-written
        store_->saveAnalysis(trackId, f, emb.modelId(), sig.source, all, starts, weights);
        done[f] = analysis_status::kDone;
        ++result.focusesDone;
        result.segments += all.rows;
    }
    result.trackStatus = statusFor(done);
    store_->setTrackStatus(trackId, result.trackStatus, note);
    progress(1.0, "done");
    return result;
}

}  // namespace stemscope
