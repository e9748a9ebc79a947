#include "mixfocus/StemBank.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

#include "analysis/SegmentFeatures.h"
#include "audio/AudioDecoder.h"
#include "dsp/Cqt.h"
#include "dsp/MelSpectrogram.h"
#include "embedding/TrackEmbedding.h"
#include "instrsim/FeatureSet.h"
#include "util/AtomicFile.h"
#include "util/ParallelFor.h"

namespace stemscope {
namespace fs = std::filesystem;

std::string bankCorpusName(const std::string& corpusDir)
{
    auto p = fs::u8path(corpusDir);
    if (!p.has_filename()) p = p.parent_path();  // "corpus/" names "corpus" too
    return p.filename().u8string();
}

const float* StemBankSong::frame(int track, int t) const
{
    const size_t bands = frames > 0 ? power[size_t(track)].size() / size_t(frames) : 0;
    return power[size_t(track)].data() + size_t(t) * bands;
}

namespace {

// The corpus part of a bank song's name (bankCorpusName) is how a cached bank is matched to the
// corpora a run names.
std::string bankCorpusOf(const StemBankSong& song) { return song.name.substr(0, song.name.find('/')); }
std::string songFolderOf(const StemBankSong& song) { return song.name.substr(song.name.find('/') + 1); }
std::set<std::string> corpusNames(const std::vector<std::string>& dirs)
{
    std::set<std::string> names;
    for (const auto& d : dirs) names.insert(bankCorpusName(d));
    return names;
}

std::string stemPath(const fs::path& song, const std::string& name)
{
    for (const char* ext : {".flac", ".wav", ".ogg"}) {
        const auto p = song / (name + ext);
        if (fs::exists(p)) return p.string();
    }
    return {};
}

// Fills `out` (false: a required stem is missing). `spectrum` returns a power spectrogram.
bool loadSong(const fs::path& dir, const std::function<Matrix(const std::vector<float>&)>& spectrum, StemBankSong& out)
{
    std::array<std::vector<float>, 6> audio;
    size_t length = 0;
    for (size_t k = 0; k < kBankTracks.size(); ++k) {
        const std::string file = stemPath(dir, kBankTracks[k]);
        if (file.empty()) {
            if (k < 4) return false;
            continue;  // other or mix: made below
        }
        DecodeOptions d;
        d.targetSampleRate = kAnalysisSampleRate;
        audio[k] = defaultAudioDecoder()->decodeMono(file, d).samples;
        length = std::max(length, audio[k].size());
    }
    for (auto& a : audio) a.resize(length, 0.f);
    if (stemPath(dir, "mix").empty())
        for (int k = 0; k < kBankStems; ++k)
            for (size_t i = 0; i < length; ++i) audio[kBankMix][i] += audio[size_t(k)][i];
    for (size_t k = 0; k < kBankTracks.size(); ++k) {
        const Matrix m = spectrum(audio[k]);
        out.frames = m.rows;
        out.power[k] = m.data;
    }
    return true;
}

template <typename T> void put(std::ostream& o, T v) { o.write(reinterpret_cast<const char*>(&v), sizeof v); }
template <typename T> T take(std::ifstream& in)
{
    T v{};
    in.read(reinterpret_cast<char*>(&v), sizeof v);
    if (!in) throw std::runtime_error("stem bank: truncated file");
    return v;
}

}  // namespace

StemBank buildStemBank(const std::vector<std::string>& corpusDirs, int bands, int threads,
                       const StemBankProgress& progress, const std::atomic<bool>* cancel, EmbedderFeatures features)
{
    CqtConfig cq = cqtConfigAt(kAnalysisSampleRate);
    cq.toDb = false;
    if (features == EmbedderFeatures::Cqt && bands != cq.nBins)
        throw std::invalid_argument("a CQT stem bank has " + std::to_string(cq.nBins) + " bins, not " + std::to_string(bands));
    std::vector<fs::path> dirs;
    std::vector<std::string> names;
    for (const auto& corpus : corpusDirs)
        for (const auto& s : listCorpusSongs(corpus)) {
            dirs.push_back(fs::path(corpus) / s);
            names.push_back(bankCorpusName(corpus) + "/" + s);
        }
    MelConfig c;
    c.sampleRate = kAnalysisSampleRate;
    c.nMels = bands;
    c.toDb = false;
    // Only the transform the bank holds is built (its filterbank or kernels take a while).
    std::function<Matrix(const std::vector<float>&)> spectrum;
    if (features == EmbedderFeatures::Cqt) {
        auto cqt = std::make_shared<const Cqt>(cq);
        spectrum = [cqt](const std::vector<float>& x) { return cqt->compute(x); };
    } else {
        auto mel = std::make_shared<const MelSpectrogram>(c);
        spectrum = [mel](const std::vector<float>& x) { return mel->compute(x); };
    }
    std::vector<StemBankSong> songs(dirs.size());
    std::vector<char> ok(dirs.size(), 0);
    parallelForEach(
        dirs.size(), threads,
        [&](size_t i) {
            songs[i].name = names[i];
            ok[i] = loadSong(dirs[i], spectrum, songs[i]);
        },
        [&](size_t i) { return names[i]; },
        [&](size_t done, size_t i) {
            if (progress) progress(int(done), int(dirs.size()), names[i]);
        },
        cancel);
    if (cancel && *cancel) throw std::runtime_error("cancelled");
    StemBank bank;
    bank.bands = bands;
    bank.features = features;
    for (size_t i = 0; i < songs.size(); ++i)
        if (ok[i]) bank.songs.push_back(std::move(songs[i]));
    return bank;
}

void saveStemBank(const StemBank& bank, const std::string& path)
{
    if (fs::path(path).has_parent_path()) fs::create_directories(fs::path(path).parent_path());
    // Atomic, through a temporary of its own: two trainings may build the same bank at once.
    writeFileAtomically(path, [&](std::ostream& o) {
        o.write("SSSTEM02", 8);
        put<int32_t>(o, bank.bands);
        put<int32_t>(o, int32_t(bank.features));
        put<int32_t>(o, int32_t(bank.songs.size()));
        for (const auto& s : bank.songs) {
            put<int32_t>(o, int32_t(s.name.size()));
            o.write(s.name.data(), std::streamsize(s.name.size()));
            put<int32_t>(o, s.frames);
        }
        for (const auto& s : bank.songs)
            for (const auto& t : s.power) o.write(reinterpret_cast<const char*>(t.data()), std::streamsize(t.size() * 4));
    });
}

StemBank loadStemBank(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    char magic[8];
    in.read(magic, 8);
    const std::string m(magic, in ? 8 : 0);
    if (m != "SSSTEM01" && m != "SSSTEM02") throw std::runtime_error(path + ": not a stem bank");
    StemBank bank;
    bank.bands = take<int32_t>(in);
    if (m == "SSSTEM02") {
        const int f = take<int32_t>(in);
        if (f != int(EmbedderFeatures::LogMel) && f != int(EmbedderFeatures::Cqt))
            throw std::runtime_error(path + ": unknown feature kind");
        bank.features = EmbedderFeatures(f);
    }
    const int n = take<int32_t>(in);
    if (bank.bands <= 0 || n < 0) throw std::runtime_error(path + ": bad header");
    bank.songs.resize(size_t(n));
    for (auto& s : bank.songs) {
        const int len = take<int32_t>(in);
        if (len < 0 || len > 4096) throw std::runtime_error(path + ": bad song name");
        s.name.resize(size_t(len));
        in.read(s.name.data(), len);
        s.frames = take<int32_t>(in);
    }
    for (auto& s : bank.songs)
        for (auto& t : s.power) {
            t.resize(size_t(s.frames) * size_t(bank.bands));
            in.read(reinterpret_cast<char*>(t.data()), std::streamsize(t.size() * 4));
            if (!in) throw std::runtime_error(path + ": truncated data");
        }
    return bank;
}

StemBank cachedStemBank(const std::vector<std::string>& corpusDirs, int bands, const std::string& cachePath,
                        int threads, const StemBankProgress& progress, EmbedderFeatures features)
{
    if (!cachePath.empty() && fs::exists(cachePath)) {
        StemBank b = loadStemBank(cachePath);
        if (b.bands != bands || b.features != features) {
            // Not rebuilt in place: a bank takes tens of minutes and gigabytes to make again.
            auto what = [](int n, EmbedderFeatures f) {
                return std::to_string(n) + (f == EmbedderFeatures::Cqt ? " CQT bins" : " mel bands");
            };
            throw std::runtime_error(cachePath + " holds " + what(b.bands, b.features) + "; this model reads " +
                                     what(bands, features) + " (give another bank file)");
        }
        // The bank serves exactly the corpora asked for: a corpus it lacks is built and appended
        // (the file grows, nothing is rebuilt), songs of corpora not asked for are left out.
        std::set<std::string> held, wanted;
        for (const auto& s : b.songs) held.insert(bankCorpusOf(s));
        std::vector<std::string> missing;
        for (const auto& dir : corpusDirs) {
            const auto name = bankCorpusName(dir);
            wanted.insert(name);
            if (!held.count(name)) missing.push_back(dir);
        }
        if (!missing.empty()) {
            StemBank extra = buildStemBank(missing, bands, threads, progress, nullptr, features);
            for (auto& s : extra.songs) b.songs.push_back(std::move(s));
            saveStemBank(b, cachePath);
        }
        std::vector<StemBankSong> kept;
        for (auto& s : b.songs)
            if (wanted.count(bankCorpusOf(s))) kept.push_back(std::move(s));
        b.songs = std::move(kept);
        return b;
    }
    StemBank b = buildStemBank(corpusDirs, bands, threads, progress, nullptr, features);
    if (!cachePath.empty()) saveStemBank(b, cachePath);
    return b;
}

std::vector<int> bankSongsExcept(const StemBank& bank, const std::vector<std::string>& heldOut)
{
    const std::set<std::string> skip(heldOut.begin(), heldOut.end());
    std::vector<int> out;
    for (size_t i = 0; i < bank.songs.size(); ++i)
        if (!skip.count(songFolderOf(bank.songs[i]))) out.push_back(int(i));
    return out;
}

std::vector<std::vector<int>> bankTwins(const StemBank& bank, const std::vector<std::string>& twinDirs,
                                        const std::vector<std::string>& recipeKeys)
{
    if (recipeKeys.size() != bank.songs.size()) throw std::invalid_argument("recipe keys: one per bank song");
    const auto twinCorpora = corpusNames(twinDirs);
    std::map<std::string, std::vector<int>> bySong;
    for (size_t i = 0; i < bank.songs.size(); ++i)
        if (twinCorpora.count(bankCorpusOf(bank.songs[i]))) bySong[songFolderOf(bank.songs[i])].push_back(int(i));
    std::vector<std::vector<int>> out(bank.songs.size());
    for (size_t i = 0; i < bank.songs.size(); ++i)
        if (!twinCorpora.count(bankCorpusOf(bank.songs[i])))
            if (auto it = bySong.find(songFolderOf(bank.songs[i])); it != bySong.end() && !recipeKeys[i].empty())
                for (int twin : it->second)
                    if (recipeKeys[size_t(twin)] == recipeKeys[i]) out[i].push_back(twin);
    return out;
}

std::vector<int> bankSongsOutside(const StemBank& bank, const std::vector<int>& songs, const std::vector<std::string>& corpusDirs)
{
    const auto skip = corpusNames(corpusDirs);
    std::vector<int> out;
    for (int s : songs)
        if (!skip.count(bankCorpusOf(bank.songs.at(size_t(s))))) out.push_back(s);
    return out;
}

}  // namespace stemscope
