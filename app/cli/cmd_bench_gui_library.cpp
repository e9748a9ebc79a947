// `stemscope-cli bench gui-library`: writes a library of N synthetic tracks (SyntheticLibrary.h)
// with their stored track maps, so the window's open time, map drawing and pan/zoom can be measured
// at 10k-100k tracks (`stemscope --library LIB --benchmark-map`), and times the track-level t-SNE.
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "library/SyntheticLibrary.h"
#include "session/LibrarySession.h"

namespace stemscope::cli {
namespace {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int run(int argc, char** argv)
{
    CliArgs args(argc, argv, {"no-map", "append"});
    const std::string out = args.get("out");
    if (out.empty()) throw UsageError("--out LIB.sqlite is required (a new file)");
    const bool append = args.has("append");
    if (!append && fs::exists(fs::u8path(out))) throw UsageError("'" + out + "' exists already: give a new file (or --append)");
    if (append && !fs::exists(fs::u8path(out))) throw UsageError("--append: no library at '" + out + "'");
    SyntheticLibraryOptions o;
    o.tracks = args.getInt("tracks", o.tracks);
    o.segmentsPerTrack = args.getInt("segments", o.segmentsPerTrack);
    o.genres = args.getInt("genres", o.genres);
    o.seed = uint64_t(args.getInt("seed", 1));
    std::vector<Focus> focuses;
    for (const auto& n : splitList(args.get("focus", "mix,drums"))) {
        const auto f = focusFromName(n);
        if (!f) throw UsageError("unknown focus '" + n + "'");
        focuses.push_back(*f);
    }
    LibrarySession session(out, LibraryStore::Access::ReadWrite,
                           append ? LibrarySession::OpenMode::ExistingOnly : LibrarySession::OpenMode::CreateNew);
    if (append) {
        o.firstIndex = int(session.store()->tracks().size());
        o.seed += uint64_t(o.firstIndex);  // new tracks, not copies of the first ones
    }
    // Stored under the installed models' ids, so the window shows them as current results.
    session.loadInstalledModels(args.get("models"));
    const auto embedders = session.embedders();
    for (Focus f : focuses) {
        SyntheticModel m{std::string("synthetic:") + focusName(f), 64};
        if (auto it = embedders.find(f); it != embedders.end() && it->second)
            m = {it->second->modelId(), it->second->dimension()};
        o.models[f] = m;
    }
    const auto t0 = Clock::now();
    const auto r = writeSyntheticLibrary(*session.store(), o, [&](int done, int total) {
        std::cerr << "\rtracks " << done << "/" << total << std::flush;
    });
    std::cerr << "\n";
    std::cout << "wrote " << out << ": " << r.tracks << " tracks, " << r.segments << " segment embeddings in "
              << std::fixed << std::setprecision(1) << since(t0) << " s; "
              << double(fs::file_size(fs::u8path(out))) / (1 << 20) << " MiB\n";
    if (args.has("no-map")) return 0;
    session.invalidate();
    for (Focus f : focuses) {
        const auto t1 = Clock::now();
        const auto points = session.trackMap(f);
        std::cout << focusName(f) << " track map: " << points.size() << " tracks in " << since(t1) << " s ("
                  << session.mapProvenance(f, MapLevel::Track) << ")\n";
    }
    return 0;
}

const CommandRegistration reg(
    {"bench gui-library", "write a library of N synthetic tracks (with stored track maps) for GUI benchmarks",
     "stemscope-cli bench gui-library --tracks N --out LIB.sqlite [--segments 24] [--focus mix,drums]\n"
     "                                [--genres 16] [--seed 1] [--models DIR] [--no-map] [--append]\n"
     "  Tracks with realistic segment embeddings (genre > track > segment clusters on the unit sphere)\n"
     "  under the installed models' ids, then each focus's track map (t-SNE, timed) stored as the window\n"
     "  would. --append adds N more tracks to LIB and updates its stored maps (new tracks are placed into\n"
     "  them while they are at most a quarter of the library). Open it with:\n"
     "  stemscope --library LIB.sqlite [--benchmark-map]",
     run});

}  // namespace
}  // namespace stemscope::cli
