#pragma once
// A test corpus's clean stems embedded the way the engine embeds a track: each song's stem for the
// focus (mix.flac for the mix focus) through the embedder's own segment grid and features
// (SegmentEmbeddingReader: log-mel, constant-Q, or a joined model's parts), the first
// `maxSegments` non-silent segments per song. What `stemscope-cli evaluate` scores (Table 1).
#include <atomic>
#include <string>

#include "embedding/Embedder.h"
#include "embedding/Focus.h"
#include "embedding/TrackEmbedding.h"
#include "instrsim/Evaluation.h"

namespace stemscope {

// Decodes `audioFile` (22050 Hz mono) and embeds its first `maxSegments` (0: all) non-silent
// segments through the engine's front end. Throws AudioError when it cannot be decoded.
TrackEmbedding embedTrack(const std::string& audioFile, const Embedder& embedder, int maxSegments = 0);
// Same for a song folder laid out as the corpus (mix.flac, drums.flac, ...): picks the focus's file;
// throws std::runtime_error when there is none.
TrackEmbedding embedSongFocus(const std::string& songDir, Focus focus, const Embedder& embedder, int maxSegments = 0);

// Songs without a stem for the focus, or with nothing but silence, have no rows. Throws
// std::runtime_error when the corpus folder is missing or a stem cannot be decoded (named).
EmbeddedCorpus embedCorpusStems(const std::string& corpusDir, Focus focus, const Embedder& embedder, int maxSegments,
                                const std::atomic<bool>* cancel = nullptr);

}  // namespace stemscope
