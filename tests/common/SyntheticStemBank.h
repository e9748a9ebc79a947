#pragma once
// A small StemBank built in memory for the mix-model tests: song s, track k holds a steady tone
// (power in band (3 s + 5 k) mod bands, pulsing with a per-song rate), so every (song, part) has its
// own spectrum and silence stays out of the way.
#include <cmath>

#include "mixfocus/StemBank.h"

namespace stemscope::test {

inline StemBank syntheticStemBank(int songs = 8, int frames = 200, int bands = 16)
{
    StemBank bank;
    bank.bands = bands;
    for (int s = 0; s < songs; ++s) {
        StemBankSong song;
        song.name = "synthetic/song" + std::to_string(s);
        song.frames = frames;
        for (int k = 0; k < 6; ++k) song.power[size_t(k)].assign(size_t(frames) * size_t(bands), 1e-6f);
        for (int k = 0; k < kBankStems; ++k)
            for (int t = 0; t < frames; ++t) {
                const float pulse = (t / (2 + s % 4)) % 2 == 0 ? 1.f : 0.3f;
                float* row = song.power[size_t(k)].data() + size_t(t) * size_t(bands);
                row[(3 * s + 5 * k) % bands] += pulse;
                row[(3 * s + 5 * k + 1) % bands] += 0.5f * pulse;
                float* mix = song.power[kBankMix].data() + size_t(t) * size_t(bands);
                for (int b = 0; b < bands; ++b) mix[b] += row[b];
            }
        bank.songs.push_back(std::move(song));
    }
    return bank;
}

}  // namespace stemscope::test
