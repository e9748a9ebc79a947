#pragma once
// Statistics of a rendered or imported corpus folder, from its meta.json files: durations,
// per-class presence / RMS / active segments, tag distributions (style family, tempo, key,
// soundfont, groove). Used for docs/corpus.md (`stemscope-cli corpus stats DIR`).
#include <string>

namespace stemscope::corpus {

// Markdown report. Throws CorpusError when `dir` holds no song folders with meta.json.
std::string corpusStatsReport(const std::string& dir);

}  // namespace stemscope::corpus
