#pragma once
// Scores a Separator on a multitrack corpus held in memory: per song and source, BSS Eval SDR and
// SI-SDR of the estimate separated from the song's mix (the sum of its stems). Sources whose
// reference is quieter than -60 dB RMS (a song without that part) are NaN, so medians skip them.
// One routine for `separation evaluate` and the training validation curve.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "separation/SeparationData.h"
#include "separation/Separator.h"

namespace stemscope {

struct SongSeparationScore {
    std::string song;
    std::map<std::string, double> sdr, siSdr, referenceRmsDb;
};

struct SeparationScores {
    std::vector<SongSeparationScore> songs;
    double audioSeconds = 0, separationSeconds = 0;
    double medianSdr(const std::string& source) const;
    double medianSiSdr(const std::string& source) const;
    double realTimeFactor() const { return separationSeconds > 0 ? audioSeconds / separationSeconds : 0; }
};

// `maxSeconds` > 0 scores only each song's first maxSeconds. `songDone` is called after each song.
SeparationScores scoreSeparator(const Separator& separator, const SeparationData& data, double maxSeconds = 0,
                                const std::function<void(const SongSeparationScore&)>& songDone = {});

}  // namespace stemscope
