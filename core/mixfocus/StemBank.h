#pragma once
// Training material of the multi-focus mix model: for every song of one or more corpora, the whole
// track's mel (or constant-Q) POWER spectrogram (not dB) of each stem and of the mix. Pseudo-mixes are built from it
// on the fly (PseudoMixSampler): sources that do not share a phase add in power on average, so a
// mix of stems from different songs costs a few additions instead of an STFT. Computed once and
// kept in a binary cache file.
#include <array>
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "embedding/Embedder.h"

namespace stemscope {

// Stem classes of a bank, in this order; kBankMix is the song's real mix.
inline constexpr std::array<const char*, 6> kBankTracks{"drums", "bass", "piano", "guitar", "other", "mix"};
inline constexpr int kBankStems = 5;  // drums..other: the parts a pseudo-mix is summed from
inline constexpr int kBankMix = 5;
inline constexpr int kBankGuitar = 3;  // the part that gets overdrive

struct StemBankSong {
    std::string name;                          // "<corpus folder>/<song folder>"
    int frames = 0;                            // STFT frames (hop 512 at 22050 Hz)
    std::array<std::vector<float>, 6> power;   // per track: frames x bands, row-major
    const float* frame(int track, int t) const;
};

struct StemBank {
    int bands = 64;
    // LogMel: `bands` Slaney mel bands of the analysis STFT. Cqt: the analysis CQT (cqtConfigAt at
    // 22050 Hz; bands = its bins), same hop, so frames line up with the mel's.
    EmbedderFeatures features = EmbedderFeatures::LogMel;
    std::vector<StemBankSong> songs;
};

using StemBankProgress = std::function<void(int done, int total, const std::string& song)>;

// A bank song's name is "<corpus folder>/<song folder>"; this is the corpus folder part for a
// corpus directory (what building a bank, matching a cached one and reading meta.json share).
std::string bankCorpusName(const std::string& corpusDir);

// Every song folder (listCorpusSongs) of every corpus in `corpusDirs` that has all five stems.
// A song missing `other` gets a silent one; a song missing any of drums/bass/piano/guitar is skipped.
// For Cqt, `bands` must equal the analysis CQT's bin count (std::invalid_argument otherwise).
StemBank buildStemBank(const std::vector<std::string>& corpusDirs, int bands, int threads = 2,
                       const StemBankProgress& progress = {}, const std::atomic<bool>* cancel = nullptr,
                       EmbedderFeatures features = EmbedderFeatures::LogMel);

// Indices of the bank's songs whose song folder is not one of `heldOut` (folder names, e.g. the
// validation corpus's songs): training never sees a song the validation curve scores.
std::vector<int> bankSongsExcept(const StemBank& bank, const std::vector<std::string>& heldOut);

// Real sound pairs: `twinDirs` are corpora whose songs are songs of the bank's other corpora
// rendered again with other instrument sounds (the same song folder names; `corpus render
// --soundfont-shift`). Per bank song, the bank songs that are its twins: same folder name and the
// same non-empty `recipeKeys` entry (per bank song, readRecipeKeys); none for the songs of
// `twinDirs` themselves.
std::vector<std::vector<int>> bankTwins(const StemBank& bank, const std::vector<std::string>& twinDirs,
                                        const std::vector<std::string>& recipeKeys);

// `songs` less those of the corpora `corpusDirs` (matched by corpus folder name).
std::vector<int> bankSongsOutside(const StemBank& bank, const std::vector<int>& songs,
                                  const std::vector<std::string>& corpusDirs);

// "SSSTEM02", int32 bands, int32 features, int32 songs, per song (int32 name length, name, int32
// frames), then the float32 data song by song, track by track ("SSSTEM01" files, without the
// features entry, are log-mel). Throws std::runtime_error on I/O errors.
void saveStemBank(const StemBank& bank, const std::string& path);
StemBank loadStemBank(const std::string& path);

// Loads `cachePath` if it exists, else builds and writes it (empty path: no cache). A cache of other
// features or bands is an error (std::runtime_error), not overwritten. A cache is matched to the
// corpora by folder name: a corpus it lacks is built and appended to the file, and only the songs
// of `corpusDirs` are returned.
StemBank cachedStemBank(const std::vector<std::string>& corpusDirs, int bands, const std::string& cachePath,
                        int threads = 2, const StemBankProgress& progress = {},
                        EmbedderFeatures features = EmbedderFeatures::LogMel);

}  // namespace stemscope
