#pragma once
// A tiny library for the listening-test tests: 8 corpus-style tracks with mix and drums
// embeddings arranged so that the mix and drums neighbourhoods differ.
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "TestSignals.h"
#include "audio/AudioDecoder.h"
#include "library/LibraryStore.h"

namespace stemscope::test {

// A 1 x n embedding matrix.
inline Matrix oneRow(const std::vector<float>& v)
{
    Matrix m(1, int(v.size()));
    for (size_t j = 0; j < v.size(); ++j) m(0, int(j)) = v[j];
    return m;
}

// Writes root/song<i>/mix.wav (sine at 200 + 50 i Hz, amplitude mixAmp0 + mixAmpStep * i) and
// drums.wav (100 + 30 i Hz, amplitude 0.3; none for song `noDrums`), `seconds` long at 22.05 kHz,
// for i = 0..7, adds them to `lib` (content hash "i") with one-segment embeddings: mix on a
// circle (neighbours i +- 1, model "mix-m"), drums at 3 i mod 8 on it (neighbours i +- 3,
// model "drums-m"). Returns the track ids in song order.
inline std::vector<int64_t> addListeningTracks(LibraryStore& lib, const std::string& root, double seconds,
                                               double mixAmp0, double mixAmpStep, int noDrums = -1)
{
    std::vector<int64_t> ids;
    for (int i = 0; i < 8; ++i) {
        const std::string folder = root + "/song" + std::to_string(i);
        std::filesystem::create_directories(folder);
        const std::string mix = folder + "/mix.wav";
        writeMonoAudio(mix, sine(200 + 50 * i, 22050, seconds, mixAmp0 + mixAmpStep * i), 22050);
        if (i != noDrums) writeMonoAudio(folder + "/drums.wav", sine(100 + 30 * i, 22050, seconds, 0.3), 22050);
        TrackRecord r;
        r.path = mix;
        r.contentHash = std::to_string(i);
        r.duration = seconds;
        ids.push_back(lib.insertTrack(r));
        const double am = 2 * M_PI * i / 8, ad = 2 * M_PI * ((i * 3) % 8) / 8;
        lib.saveAnalysis(ids.back(), Focus::Mix, "mix-m", "mix", oneRow({float(std::cos(am)), float(std::sin(am)), 0.f}),
                         {0});
        lib.saveAnalysis(ids.back(), Focus::Drums, "drums-m", "corpus-stem",
                         oneRow({float(std::cos(ad)), float(std::sin(ad)), 0.f}), {0});
    }
    return ids;
}

}  // namespace stemscope::test
