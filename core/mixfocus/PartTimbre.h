#pragma once
// Which instrument sound plays each part of a corpus song, as a key for mining: songs whose guitar
// is the same patch of the same soundfont share the guitar key. Read from the song's meta.json tags
// (soundfont, drumKit, bassProgram, pianoProgram, guitarProgram, otherProgram: written by the
// corpus renderer); -1 where a song has no meta.json or no such tag (users' own stems). And which
// music it plays, as a key for pairing renders of one song (readRecipeKeys).
#include <array>
#include <string>
#include <vector>

#include "mixfocus/StemBank.h"

namespace stemscope {

// Per bank song (its name is "<corpus folder>/<song folder>"; the folder is looked up among
// `corpusDirs` by name), per part drums..other.
std::vector<std::array<int, kBankStems>> readPartTimbres(const StemBank& bank, const std::vector<std::string>& corpusDirs);

// Which music a corpus song plays: "<songSeed>/<attempt>" from its meta.json (the recipe's seed;
// equal keys, equal grooves, chords, tempo and programs, whatever the soundfont); empty where
// unknown. Real sound pairs (bankTwins) are only paired where the keys agree: the renderer redraws
// a recipe whose parts are inaudible, and with another soundfont it may redraw another one.
std::vector<std::string> readRecipeKeys(const StemBank& bank, const std::vector<std::string>& corpusDirs);

}  // namespace stemscope
