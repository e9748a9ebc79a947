#pragma once
// Minimal argument parsing for subcommands: positionals plus --key value / --flag options.
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace stemscope::cli {

class CliArgs {
public:
    CliArgs(int argc, char** argv, const std::vector<std::string>& flags = {});
    const std::vector<std::string>& positional() const { return positional_; }
    bool has(const std::string& key) const { return options_.count(key) > 0; }
    std::string get(const std::string& key, const std::string& fallback = "") const;
    double getDouble(const std::string& key, double fallback) const;
    int getInt(const std::string& key, int fallback) const;

private:
    std::vector<std::string> positional_;
    std::map<std::string, std::string> options_;
};

// "a,b,,c" -> {"a", "b", "c"}: the comma lists of options such as --focus and --corpus.
std::vector<std::string> splitList(const std::string& s);

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace stemscope::cli
