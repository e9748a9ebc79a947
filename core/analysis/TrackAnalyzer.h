#pragma once
// The per-track pipeline: decode the mix -> find each focus's signal (the mix when the focus's
// embedder listens to mixes; else the corpus stem file, else the Separator if one is configured,
// else "skipped: no stems") -> segment + log-mel -> embed ->
// commit. Each focus's result is one transaction, so an interruption at any point loses at most
// the focus in flight; running again picks up the focuses that have no result yet.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analysis/EmbedderRegistry.h"
#include "dsp/Segmenter.h"

namespace stemscope {

class AudioDecoder;
class JobContext;
class LibraryStore;
class Separator;

struct AnalysisOptions {
    std::vector<Focus> focuses;     // empty: every focus with an embedder
    std::vector<int64_t> tracks;    // empty: every track that needs work; else only these
    bool redo = false;              // recompute focuses that already have a result
    bool retryErrors = false;       // also analyse tracks/focuses recorded as errors
    bool retrySkipped = false;      // also retry focuses skipped for lack of stems
    int batchSegments = 32;         // segments per Embedder::embed call
    SegmentConfig segments;         // 3 s, 50 % overlap, silence below -60 dBFS dropped
    std::shared_ptr<const Separator> separator;  // optional
    // Non-empty: stems a focus separates are written to the library's stem cache (StemCache) so later
    // analyses and playback reuse them. Stems only for listening are not made here (the mix
    // models need none): LibrarySession::submitListeningStems does that after the embeddings.
    std::string stemCacheDir;
};

struct TrackAnalysisResult {
    int focusesDone = 0;
    int segments = 0;
    double audioSeconds = 0;
    std::string trackStatus;
    std::string error;  // why the track ended in error or missing (the message stored with it)
};

class TrackAnalyzer {
public:
    TrackAnalyzer(std::shared_ptr<LibraryStore> store, EmbedderSet embedders, std::shared_ptr<const AudioDecoder> decoder,
                  AnalysisOptions options = {});
    const EmbedderSet& embedders() const { return embedders_; }
    const AnalysisOptions& options() const { return options_; }
    std::vector<Focus> focuses() const;  // the focuses this analyzer will fill
    // Analyses the focuses of `trackId` that still need it. Throws JobCancelled when ctx says so.
    TrackAnalysisResult analyze(int64_t trackId, JobContext* ctx = nullptr) const;
    // Does this track still need work (given its recorded status and analyses)?
    bool needsWork(const std::string& trackStatus, const std::map<Focus, std::string>& done) const;
    // Track status implied by its analyses (analysed / partial / new).
    std::string statusFor(const std::map<Focus, std::string>& done) const;

private:
    bool focusNeedsWork(const std::map<Focus, std::string>& done, Focus f) const;
    std::shared_ptr<LibraryStore> store_;
    EmbedderSet embedders_;
    std::shared_ptr<const AudioDecoder> decoder_;
    AnalysisOptions options_;
};

}  // namespace stemscope
