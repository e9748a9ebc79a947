#include "embedding/TrackEmbedding.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "audio/AudioDecoder.h"
#include "dsp/MelSpectrogram.h"

namespace stemscope {
namespace {
std::shared_ptr<const MelSpectrogram> melFor(int bands)
{
    static std::mutex m;
    static std::map<int, std::shared_ptr<const MelSpectrogram>> cache;
    std::lock_guard<std::mutex> l(m);
    auto& slot = cache[bands];
    if (!slot) {
        MelConfig c;
        c.sampleRate = 22050.0;
        c.nMels = bands;
        slot = std::make_shared<MelSpectrogram>(c);
    }
    return slot;
}
}  // namespace

Matrix logMelSegments(const std::vector<float>& x, const SegmentFeatureOptions& o, std::vector<double>* starts)
{
    auto segs = segmentSignal(x, 22050.0, o.segments);
    if (o.maxSegments > 0 && int(segs.size()) > o.maxSegments) segs.resize(size_t(o.maxSegments));
    const auto mel = melFor(o.bands);
    Matrix out(int(segs.size()) * o.frames, o.bands);
    if (starts) starts->clear();
    for (size_t i = 0; i < segs.size(); ++i) {
        const auto& s = segs[i];
        std::vector<float> piece(x.begin() + s.startSample, x.begin() + s.startSample + s.lengthSamples);
        const Matrix m = mel->compute(piece);
        for (int r = 0; r < o.frames; ++r) {
            const int src = std::min(r, m.rows - 1);
            std::copy(m.row(src), m.row(src) + o.bands, out.row(int(i) * o.frames + r));
        }
        if (starts) starts->push_back(s.startSeconds(22050.0));
    }
    return out;
}

std::vector<Matrix> splitSegments(const Matrix& stacked, int frames)
{
    std::vector<Matrix> out;
    for (int first = 0; first + frames <= stacked.rows; first += frames) out.push_back(stacked.slice(first, frames));
    return out;
}

std::string stemFileFor(const std::string& songDir, Focus focus)
{
    namespace fs = std::filesystem;
    for (const char* ext : {".flac", ".wav", ".ogg"}) {
        const fs::path p = fs::path(songDir) / (std::string(focusName(focus)) + ext);
        if (fs::exists(p)) return p.string();
    }
    return {};
}

}  // namespace stemscope
