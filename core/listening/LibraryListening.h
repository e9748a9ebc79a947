#pragma once
// The listening test on a real library: neighbours from NeighbourSearch (track centroids of each
// focus's model), anchors = tracks analysed in the focus space and its negative space(s), excerpt
// starts from the track durations, stem files for instrument focuses (corpus stems / the stem
// cache; the mix with a note when none exists), sessions and answers in the library file.
// Thread-safe; every call may be slow (run it off the GUI thread).
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "listening/Excerpts.h"
#include "listening/ListeningSession.h"
#include "listening/ListeningStore.h"
#include "listening/SetGenerator.h"

namespace stemscope {
class LibraryStore;
class NeighbourSearch;
}  // namespace stemscope

namespace stemscope::listening {

struct NewSessionRequest {
    SessionSpec spec;          // listener, mode, focus, seed, excerpt length
    int trials = 20;
    int trainingTrials = 2;
    int64_t reuseSetsOf = 0;   // > 0: same trial plan as that session (several listeners, same sets)
};

struct NewSessionResult {
    int64_t sessionId = 0;     // 0 on failure (see message)
    std::vector<Trial> trials;
    std::string message;       // warning or error
};

struct TrialAudio {
    std::string x, a, b;       // loudness-matched WAV files
    std::string note;          // e.g. "no drums stem for ...: playing the mix"
};

class LibraryListening {
public:
    // `modelIds`: the model id per focus ("" or missing: the model with most stored results).
    LibraryListening(std::shared_ptr<LibraryStore> store, std::map<Focus, std::string> modelIds = {});
    ~LibraryListening();

    ListeningStore& store() { return *listeningStore_; }
    std::string modelId(Focus focus);

    // Ranked neighbour track ids (searches cached per focus); empty when the track or focus has
    // no analysis.
    std::vector<int64_t> neighbours(int64_t trackId, Focus space, int k);
    // Tracks with a result in `focus` and in its negative space(s).
    std::vector<int64_t> anchors(Focus focus, const std::vector<Focus>& instrumentSpaces);

    NewSessionResult createSession(const NewSessionRequest& request);
    // Writes the trial's three matched excerpts into `dir` (created).
    TrialAudio prepareTrial(const Trial& trial, double excerptSeconds, const std::string& dir);

    // The file to play for a track under a focus: its stem, else the mix (*isStem false).
    std::string playablePath(int64_t trackId, Focus focus, bool* isStem = nullptr);
    std::string trackName(int64_t trackId);  // tags title, else file name

private:
    std::shared_ptr<NeighbourSearch> search(Focus focus);

    std::shared_ptr<LibraryStore> library_;
    std::map<Focus, std::string> modelIds_;
    std::unique_ptr<ListeningStore> listeningStore_;
    std::mutex mutex_;
    std::map<Focus, std::shared_ptr<NeighbourSearch>> searches_;
};

}  // namespace stemscope::listening
