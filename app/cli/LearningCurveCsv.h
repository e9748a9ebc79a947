#pragma once
// The learning_curve.csv a training command writes (step, wall seconds, ...): a new file with its
// header, or, when a run is resumed, the existing one opened for appending, with the wall time its
// last row reached, so the seconds column keeps counting across calls.
#include <fstream>
#include <string>

namespace stemscope::cli {

struct LearningCurveCsv {
    std::ofstream out;
    double secondsBefore = 0;  // wall seconds of earlier calls (0 for a new file)
};

// `header` without the newline. Creates the parent folder.
LearningCurveCsv openLearningCurve(const std::string& path, bool resume, const std::string& header);

}  // namespace stemscope::cli
