#include "corpus/CorpusStats.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include "corpus/CorpusTypes.h"
#include "corpus/SongRenderer.h"
#include "util/JsonFile.h"

namespace fs = std::filesystem;

namespace stemscope::corpus {

namespace {

std::string fmt(double v, int decimals)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string histogram(const std::map<std::string, int>& counts, int total, size_t maxRows = 40)
{
    std::vector<std::pair<std::string, int>> rows(counts.begin(), counts.end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string out;
    size_t shown = 0;
    for (const auto& [k, n] : rows) {
        if (shown++ == maxRows) {
            out += "| ... (" + std::to_string(rows.size() - maxRows) + " more) | |\n";
            break;
        }
        out += "| " + k + " | " + std::to_string(n) + " (" + fmt(100.0 * n / std::max(1, total), 0) + "%) |\n";
    }
    return out;
}

struct Summary {
    std::vector<double> v;
    void add(double x) { v.push_back(x); }
    std::string line(int d) const
    {
        if (v.empty()) return "n/a";
        auto s = v;
        std::sort(s.begin(), s.end());
        double mean = 0;
        for (double x : s) mean += x;
        mean /= double(s.size());
        return fmt(s.front(), d) + " / " + fmt(mean, d) + " / " + fmt(s[s.size() / 2], d) + " / " + fmt(s.back(), d);
    }
};

}  // namespace

std::string corpusStatsReport(const std::string& dir)
{
    std::vector<fs::path> songs;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.is_directory() && e.path().filename().string()[0] != '.' && songFolderComplete(e.path().string()))
            songs.push_back(e.path());
    if (ec) throw CorpusError("cannot read " + dir + ": " + ec.message());
    if (songs.empty()) throw CorpusError("no complete song folders (with meta.json) in " + dir);
    std::sort(songs.begin(), songs.end());

    Summary duration, tempo, attempts, segments;
    std::array<Summary, kNumStemClasses> rms, activeFrac, activeSegs;
    std::array<int, kNumStemClasses> present{}, audible{};
    std::map<std::string, int> families, keys, modes, fonts, grooves, tempoBins, splits, kits, sources;
    double totalSeconds = 0;
    int melody = 0;
    // Lenient reads: a missing member counts as 0 / "" / false, as it always did.
    const auto num = [](const nlohmann::ordered_json& o, const char* k) { return jsonNumber(jsonMember(o, k)); };
    const auto text = [](const nlohmann::ordered_json& o, const char* k) { return jsonText(jsonMember(o, k)); };
    const auto flag = [](const nlohmann::ordered_json& o, const char* k) { return jsonBool(jsonMember(o, k)); };
    for (const auto& song : songs) {
        const auto meta = readJsonFile((song / "meta.json").string());
        const double d = num(meta, "durationSeconds");
        duration.add(d);
        totalSeconds += d;
        ++splits[text(meta, "split").empty() ? "(none)" : text(meta, "split")];
        ++sources[text(meta, "source")];
        attempts.add(num(meta, "attempt") + 1);
        const auto& classes = jsonMember(meta, "classes");
        for (int c = 0; c < kNumStemClasses; ++c) {
            const auto& cl = jsonMember(classes, stemClassNames()[size_t(c)]);
            if (cl.is_null()) continue;
            if (flag(cl, "present")) {
                ++present[size_t(c)];
                rms[size_t(c)].add(num(cl, "rmsDb"));
            }
            if (flag(cl, "audible")) ++audible[size_t(c)];
            activeFrac[size_t(c)].add(num(cl, "activeFraction"));
            activeSegs[size_t(c)].add(num(cl, "activeSegments"));
            if (c == 0) segments.add(num(cl, "segments"));
        }
        const auto& tags = jsonMember(meta, "tags");
        if (tags.is_object() && tags.contains("family")) {
            ++families[text(tags, "family")];
            ++keys[text(tags, "key")];
            ++modes[text(tags, "mode")];
            ++fonts[text(tags, "soundfont")];
            ++grooves[text(tags, "groove")];
            ++kits[std::to_string(int(num(tags, "drumKit")))];
            const int t = int(num(tags, "tempo"));
            tempo.add(t);
            const int lo = t / 20 * 20;
            char bin[32];
            std::snprintf(bin, sizeof bin, "%03d-%03d", lo, lo + 19);
            ++tempoBins[bin];
            melody += flag(tags, "melody") ? 1 : 0;
        }
    }
    const int n = int(songs.size());
    std::ostringstream o;
    o << "## Corpus statistics: " << dir << "\n\n";
    o << "- songs: " << n << ", total audio " << fmt(totalSeconds / 60.0, 1) << " min\n";
    o << "- duration s (min / mean / median / max): " << duration.line(1) << "\n";
    o << "- 3 s segments at 1.5 s hop per song (min / mean / median / max): " << segments.line(0) << "\n";
    o << "- recipe attempts per song (1 = first draw qualified): " << attempts.line(2) << "\n";
    if (!families.empty()) o << "- songs with a melody line (other): " << melody << " (" << fmt(100.0 * melody / n, 0) << "%)\n";
    o << "\n| class | present | audible (>= " << fmt(100 * 0.75, 0)
      << "% active segments) | RMS dBFS (min / mean / median / max) | active segments (min / mean / median / max) | active fraction mean |\n";
    o << "| --- | --- | --- | --- | --- | --- |\n";
    for (int c = 0; c < kNumStemClasses; ++c) {
        double meanFrac = 0;
        for (double x : activeFrac[size_t(c)].v) meanFrac += x;
        meanFrac /= std::max<size_t>(1, activeFrac[size_t(c)].v.size());
        o << "| " << stemClassNames()[size_t(c)] << " | " << present[size_t(c)] << " | " << audible[size_t(c)] << " | "
          << rms[size_t(c)].line(1) << " | " << activeSegs[size_t(c)].line(0) << " | " << fmt(meanFrac, 3) << " |\n";
    }
    auto table = [&](const char* title, const std::map<std::string, int>& m) {
        if (m.empty()) return;
        o << "\n| " << title << " | songs |\n| --- | --- |\n" << histogram(m, n);
    };
    table("split", splits);
    table("source", sources);
    table("style family", families);
    if (!tempo.v.empty()) o << "\ntempo BPM (min / mean / median / max): " << tempo.line(0) << "\n";
    table("tempo (BPM)", tempoBins);
    table("key", keys);
    table("mode", modes);
    table("soundfont", fonts);
    table("drum kit (GM bank 128 program)", kits);
    if (!grooves.empty()) o << "\ndistinct groove files: " << grooves.size() << "\n";
    table("groove file", grooves);
    return o.str();
}

}  // namespace stemscope::corpus
