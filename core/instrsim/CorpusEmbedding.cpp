#include "instrsim/CorpusEmbedding.h"

#include <filesystem>
#include <stdexcept>

#include "analysis/SegmentEmbeddingReader.h"
#include "audio/AudioDecoder.h"
#include "audio/AudioError.h"
#include "instrsim/FeatureSet.h"

namespace stemscope {
namespace fs = std::filesystem;

TrackEmbedding embedTrack(const std::string& audioFile, const Embedder& embedder, int maxSegments)
{
    DecodeOptions d;
    d.targetSampleRate = kAnalysisSampleRate;
    const auto audio = defaultAudioDecoder()->decodeMono(audioFile, d);
    return embedSignal(audio.samples, embedder, maxSegments);
}

TrackEmbedding embedSongFocus(const std::string& songDir, Focus focus, const Embedder& embedder, int maxSegments)
{
    const std::string file = stemFileFor(songDir, focus);
    if (file.empty()) throw std::runtime_error(songDir + ": no audio for focus " + focusName(focus));
    return embedTrack(file, embedder, maxSegments);
}

EmbeddedCorpus embedCorpusStems(const std::string& corpusDir, Focus focus, const Embedder& embedder, int maxSegments,
                                const std::atomic<bool>* cancel)
{
    EmbeddedCorpus out;
    out.embeddings = Matrix(0, embedder.dimension());
    for (const auto& song : listCorpusSongs(corpusDir)) {
        if (cancel && *cancel) throw std::runtime_error("cancelled");
        const std::string dir = (fs::u8path(corpusDir) / fs::u8path(song)).u8string();
        if (stemFileFor(dir, focus).empty()) continue;
        TrackEmbedding e;
        try {
            e = embedSongFocus(dir, focus, embedder, maxSegments);
        } catch (const AudioError& err) {
            throw std::runtime_error(stemFileFor(dir, focus) + ": " + err.what());
        }
        if (e.segments.rows == 0) continue;
        const int id = int(out.songs.size());
        out.songs.push_back(song);
        out.embeddings.data.insert(out.embeddings.data.end(), e.segments.data.begin(), e.segments.data.end());
        out.embeddings.rows += e.segments.rows;
        out.songOf.insert(out.songOf.end(), size_t(e.segments.rows), id);
    }
    return out;
}

}  // namespace stemscope
