// stemscope-cli: the headless front door to the engine.
#include <algorithm>
#include <iostream>
#include <sstream>

#include "audio/AudioError.h"
#include "cli/CliArgs.h"
#include "cli/CliCommands.h"

namespace stemscope::cli {
std::vector<Command>& commands()
{
    static std::vector<Command> all;
    return all;
}
}  // namespace stemscope::cli

using namespace stemscope::cli;

static void printOverview()
{
    auto cmds = commands();
    std::sort(cmds.begin(), cmds.end(), [](const Command& a, const Command& b) { return a.name < b.name; });
    std::cout << "usage: stemscope-cli <command> [options]\n\ncommands:\n";
    for (const auto& c : cmds) std::cout << "  " << c.name << std::string(std::max<size_t>(2, 22 - c.name.size()), ' ') << c.summary << "\n";
    std::cout << "\nstemscope-cli help <command> shows a command's options.\n";
}

int main(int argc, char** argv)
{
    std::vector<std::string> words(argv + 1, argv + argc);
    if (words.empty() || words[0] == "--help" || words[0] == "-h") {
        printOverview();
        return words.empty() ? 2 : 0;
    }
    const bool help = words[0] == "help";
    if (help) words.erase(words.begin());

    // Longest match of leading words against command names ("corpus render" before "corpus").
    const Command* best = nullptr;
    size_t bestWords = 0;
    for (const auto& c : commands()) {
        std::istringstream in(c.name);
        std::string w;
        size_t i = 0;
        bool ok = true;
        while (in >> w) {
            if (i >= words.size() || words[i] != w) { ok = false; break; }
            ++i;
        }
        if (ok && i > bestWords) { best = &c; bestWords = i; }
    }
    if (!best && !words.empty()) {
        // A command group ("corpus", "library", ...): list its subcommands.
        std::vector<Command> group;
        for (const auto& c : commands())
            if (c.name.rfind(words[0] + " ", 0) == 0) group.push_back(c);
        std::sort(group.begin(), group.end(), [](const Command& a, const Command& b) { return a.name < b.name; });
        if (!group.empty()) {
            std::ostream& out = help ? std::cout : std::cerr;
            out << "stemscope-cli " << words[0] << " <subcommand> [options]\n\nsubcommands:\n";
            for (const auto& c : group)
                out << "  " << c.name << std::string(std::max<size_t>(2, 22 - c.name.size()), ' ') << c.summary << "\n";
            out << "\nstemscope-cli help " << words[0] << " <subcommand> shows its options.\n";
            return help ? 0 : 2;
        }
    }
    if (!best) {
        std::cerr << "stemscope-cli: unknown command '" << (words.empty() ? "" : words[0]) << "'\n";
        printOverview();
        return 2;
    }
    if (help) {
        std::cout << best->usage << "\n";
        return 0;
    }
    const int offset = 1 + int(bestWords);
    try {
        return best->run(argc - offset, argv + offset);
    } catch (const UsageError& e) {
        std::cerr << "stemscope-cli " << best->name << ": " << e.what() << "\n\n" << best->usage << "\n";
        return 2;
    } catch (const stemscope::AudioError& e) {
        std::cerr << "stemscope-cli " << best->name << ": " << e.what() << "\n";
        return 3;
    } catch (const std::exception& e) {
        std::cerr << "stemscope-cli " << best->name << ": error: " << e.what() << "\n";
        return 1;
    }
}
