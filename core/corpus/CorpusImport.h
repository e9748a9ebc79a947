#pragma once
// Imports a user's own multitrack collection into the corpus layout, so retraining on a personal
// collection uses the same code path as the synthetic corpus. SRC holds one folder per song
// (or is itself one song folder) with stem files named by class: drums.*, bass.*, piano.*,
// guitar.* (required), other.* and mix.* (optional); any format the decoder reads.
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace stemscope {
class AudioDecoder;
}

namespace stemscope::corpus {

struct ImportReport {
    int imported = 0, skipped = 0, failed = 0;
    double audioSeconds = 0.0;
    std::vector<std::string> errors; // one clear line per failed song
};

// Imports one song folder into `outSongDir` (temp folder + rename). Throws CorpusError naming the
// missing stems.
double importSong(const std::string& songDir, const std::string& outSongDir,
                  const std::shared_ptr<const AudioDecoder>& decoder);

// Imports every song folder under `srcDir` into `outDir/<folder name>`. Complete folders are
// skipped. Throws CorpusError when `srcDir` is not a folder or holds no song folders.
ImportReport importMultitracks(const std::string& srcDir, const std::string& outDir,
                               const std::function<void(int done, int total, const std::string& song)>& progress = {},
                               const std::atomic<bool>* cancel = nullptr,
                               std::shared_ptr<const AudioDecoder> decoder = nullptr);

}  // namespace stemscope::corpus
