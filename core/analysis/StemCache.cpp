#include "analysis/StemCache.h"

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>
#include <stdexcept>

#include "analysis/SegmentFeatures.h"
#include "audio/AudioDecoder.h"
#include "audio/AudioWriter.h"
#include "library/LibraryStore.h"
#include "separation/ChunkedSeparation.h"
#include "separation/Separator.h"

namespace stemscope {
namespace fs = std::filesystem;

namespace {
// Tracks being written, process-wide: the analysis, the listening job and an urgent playback
// request each hold their own StemCache.
std::mutex gInFlightMutex;
std::condition_variable gInFlightDone;
std::set<std::string> gInFlight;

class TrackLock {
public:
    explicit TrackLock(std::string key) : key_(std::move(key))
    {
        std::unique_lock<std::mutex> lock(gInFlightMutex);
        gInFlightDone.wait(lock, [&] { return !gInFlight.count(key_); });
        gInFlight.insert(key_);
    }
    ~TrackLock()
    {
        {
            std::lock_guard<std::mutex> lock(gInFlightMutex);
            gInFlight.erase(key_);
        }
        gInFlightDone.notify_all();
    }

private:
    std::string key_;
};
}  // namespace

StemCache::StemCache(std::shared_ptr<LibraryStore> store, std::shared_ptr<const Separator> separator, std::string dir)
    : store_(std::move(store)), separator_(std::move(separator))
{
    if (!store_ || !separator_ || dir.empty()) throw std::invalid_argument("StemCache needs a library, a separator and a folder");
    // The library records these paths: relative ones would break as soon as the working folder changes.
    dir_ = fs::absolute(fs::u8path(dir)).lexically_normal().u8string();
}

namespace {
bool anyOwnStem(const std::map<std::string, LibraryStore::StemFile>& files)
{
    for (const auto& [name, file] : files)
        if (file.source != "separator") return true;
    return false;
}
}  // namespace

bool StemCache::hasOwnStems(int64_t trackId) const { return anyOwnStem(store_->stemFiles(trackId)); }

bool StemCache::needed(int64_t trackId) const
{
    const auto files = store_->stemFiles(trackId);  // one read serves both questions
    if (anyOwnStem(files)) return false;
    std::error_code ec;
    for (const auto& name : separator_->stemNames()) {
        auto it = files.find(name);
        if (it == files.end() || it->second.modelId != separator_->modelId() || !fs::exists(fs::u8path(it->second.path), ec))
            return true;
    }
    return false;
}

std::map<std::string, std::string> StemCache::fill(int64_t trackId, const std::vector<float>& mix,
                                                   const std::function<void()>& checkpoint,
                                                   const std::function<void(double)>& progress) const
{
    const auto dir = fs::u8path(dir_) / std::to_string(trackId);
    fs::create_directories(dir);
    std::map<std::string, std::unique_ptr<AudioStreamWriter>> writers;
    std::map<std::string, std::string> paths, partial;
    // Written under other names and renamed once whole: a cancel or a crash never leaves a
    // truncated file where an earlier separator's stem was recorded.
    const auto removePartial = [&] {
        std::error_code ec;
        writers.clear();
        for (const auto& [name, p] : partial) fs::remove(fs::u8path(p), ec);
    };
    try {
        for (const auto& name : separator_->stemNames()) {
            paths[name] = (dir / (name + ".flac")).u8string();
            partial[name] = (dir / (".partial-" + name + ".flac")).u8string();
            writers[name] = openAudioWriter(partial[name], kAnalysisSampleRate, 1);
        }
        separateInChunks(
            *separator_, mix, kAnalysisSampleRate,
            [&](const std::map<std::string, std::vector<float>>& block, size_t offset) {
                for (const auto& [name, x] : block) {
                    auto it = writers.find(name);
                    if (it == writers.end()) continue;
                    const float* ch = x.data();
                    it->second->append(&ch, int(x.size()));
                }
                if (progress && !mix.empty()) progress(double(offset) / double(mix.size()));
            },
            {}, checkpoint);
        for (auto& [name, w] : writers) w->close();
        if (checkpoint) checkpoint();  // cancelled during the last window: nothing replaced
        for (const auto& [name, path] : paths) fs::rename(fs::u8path(partial.at(name)), fs::u8path(path));
    } catch (...) {
        removePartial();
        throw;
    }
    for (const auto& [name, path] : paths) store_->setStem(trackId, name, path, "separator", separator_->modelId());
    return paths;
}

bool StemCache::fillTrack(int64_t trackId, const AudioDecoder& decoder, const std::function<void()>& checkpoint,
                          const std::function<void(double)>& progress) const
{
    TrackLock lock(dir_ + "\n" + std::to_string(trackId));
    if (!needed(trackId)) return false;  // filled meanwhile by whoever held the lock
    const auto track = store_->track(trackId);
    if (!track) throw std::runtime_error("no track " + std::to_string(trackId));
    DecodeOptions d;
    d.targetSampleRate = kAnalysisSampleRate;
    const MonoAudio mix = decoder.decodeMono(track->path, d);
    if (checkpoint) checkpoint();
    fill(trackId, mix.samples, checkpoint, progress);
    return true;
}

}  // namespace stemscope
