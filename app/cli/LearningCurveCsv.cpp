#include "cli/LearningCurveCsv.h"

#include <filesystem>

namespace stemscope::cli {

LearningCurveCsv openLearningCurve(const std::string& path, bool resume, const std::string& header)
{
    namespace fs = std::filesystem;
    LearningCurveCsv c;
    const bool fresh = !resume || !fs::exists(path);
    if (!fresh) {
        std::ifstream in(path);
        std::string line, last;
        while (std::getline(in, line))
            if (!line.empty()) last = line;
        if (const auto a = last.find(','); a != std::string::npos) {
            try {
                c.secondsBefore = std::stod(last.substr(a + 1));
            } catch (const std::exception&) {  // a header-only file: nothing before
            }
        }
    }
    if (fs::path(path).has_parent_path()) fs::create_directories(fs::path(path).parent_path());
    c.out.open(path, fresh ? std::ios::trunc : std::ios::app);
    if (fresh) c.out << header << "\n";
    return c;
}

}  // namespace stemscope::cli
