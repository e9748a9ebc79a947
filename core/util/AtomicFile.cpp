#include "util/AtomicFile.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

#include <unistd.h>

namespace stemscope {
namespace fs = std::filesystem;

namespace {
// Unique across the threads of this process (counter) and across processes (pid, random salt).
std::string temporaryName(const std::string& path)
{
    static const unsigned salt = std::random_device{}();
    static std::atomic<unsigned long long> counter{0};
    return path + "." + std::to_string(::getpid()) + "-" + std::to_string(salt) + "-" + std::to_string(counter++) +
           ".tmp";
}
}  // namespace

void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& body)
{
    const std::string tmp = temporaryName(path);
    std::error_code ec;
    try {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error("cannot write " + path);
        body(out);
        out.close();
        if (!out) throw std::runtime_error("write failed: " + path);
    } catch (...) {
        fs::remove(tmp, ec);
        throw;
    }
    fs::rename(tmp, path, ec);
    if (ec) {
        const std::string why = ec.message();
        fs::remove(tmp, ec);
        throw std::runtime_error("cannot replace " + path + ": " + why);
    }
}

}  // namespace stemscope
