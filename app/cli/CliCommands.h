#pragma once
// The subcommand registry. Each subcommand lives in its own cmd_<name>.cpp and registers itself
// with a static CommandRegistration, so adding one never touches a shared file.
#include <functional>
#include <string>
#include <vector>

namespace stemscope::cli {

struct Command {
    std::string name;    // e.g. "decode" or "corpus render" (space-separated words)
    std::string summary; // one line for the overview
    std::string usage;   // full help text
    std::function<int(int argc, char** argv)> run; // argv excludes the command words
};

std::vector<Command>& commands();

struct CommandRegistration {
    explicit CommandRegistration(Command c) { commands().push_back(std::move(c)); }
};

}  // namespace stemscope::cli
