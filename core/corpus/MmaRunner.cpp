#include "corpus/MmaRunner.h"

#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "corpus/CorpusTypes.h"

extern char** environ;

namespace stemscope::corpus {

std::string defaultMmaLibraryDir()
{
    if (const char* env = std::getenv("STEMSCOPE_MMA_LIB")) return env;
    return "/usr/share/mma/lib/stdlib";
}

bool mmaAvailable()
{
    const char* path = std::getenv("PATH");
    std::stringstream ss(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(ss, dir, ':'))
        if (!dir.empty() && ::access((dir + "/mma").c_str(), X_OK) == 0) return true;
    return false;
}

void runMma(const std::string& mmaText, const std::string& mmaPath, const std::string& midiPath)
{
    {
        std::ofstream out(mmaPath, std::ios::binary | std::ios::trunc);
        out << mmaText;
        if (!out) throw CorpusError("cannot write " + mmaPath);
    }
    ::unlink(midiPath.c_str());
    const std::string logPath = midiPath + ".log";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<std::string> args{"mma", "-f", midiPath, mmaPath};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, "mma", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw CorpusError(std::string("cannot start mma (is the Debian package 'mma' installed?): ") +
                                   std::strerror(rc));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    struct stat st {};
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && ::stat(midiPath.c_str(), &st) == 0 &&
                    st.st_size > 0;
    std::string log;
    {
        std::ifstream in(logPath);
        std::stringstream ss;
        ss << in.rdbuf();
        log = ss.str();
    }
    ::unlink(logPath.c_str());
    if (!ok) {
        if (log.size() > 800) log = "..." + log.substr(log.size() - 800);
        throw CorpusError("mma failed on " + mmaPath + ": " + log);
    }
}

}  // namespace stemscope::corpus
