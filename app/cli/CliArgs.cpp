#include "cli/CliArgs.h"

#include <algorithm>
#include <sstream>

namespace stemscope::cli {

CliArgs::CliArgs(int argc, char** argv, const std::vector<std::string>& flags)
{
    for (int i = 0; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) == 0 && a.size() > 2) {
            std::string key = a.substr(2), value = "1";
            const auto eq = key.find('=');
            if (eq != std::string::npos) {
                value = key.substr(eq + 1);
                key = key.substr(0, eq);
            } else if (std::find(flags.begin(), flags.end(), key) == flags.end()) {
                if (i + 1 >= argc) throw UsageError("option --" + key + " needs a value");
                value = argv[++i];
            }
            options_[key] = value;
        } else {
            positional_.push_back(a);
        }
    }
}

std::string CliArgs::get(const std::string& key, const std::string& fallback) const
{
    auto it = options_.find(key);
    return it == options_.end() ? fallback : it->second;
}

double CliArgs::getDouble(const std::string& key, double fallback) const
{
    if (!has(key)) return fallback;
    try {
        return std::stod(get(key));
    } catch (...) {
        throw UsageError("option --" + key + " expects a number, got '" + get(key) + "'");
    }
}

int CliArgs::getInt(const std::string& key, int fallback) const
{
    if (!has(key)) return fallback;
    try {
        return std::stoi(get(key));
    } catch (...) {
        throw UsageError("option --" + key + " expects an integer, got '" + get(key) + "'");
    }
}

std::vector<std::string> splitList(const std::string& s)
{
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ','))
        if (!item.empty()) out.push_back(item);
    return out;
}

}  // namespace stemscope::cli
