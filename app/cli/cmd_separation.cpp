// `stemscope-cli separate` and `separation train|evaluate|apply`: the mask separator end to end.
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "audio/AudioDecoder.h"
#include "cli/CliArgs.h"
#include "cli/CliCommands.h"
#include "cli/CliDecode.h"
#include "cli/LearningCurveCsv.h"
#include "instrsim/FeatureSet.h"
#include "separation/SeparationBaselines.h"
#include "separation/SeparationData.h"
#include "separation/SeparationDataCache.h"
#include "separation/SeparationMetrics.h"
#include "separation/SeparationEvaluation.h"
#include "separation/SeparatorTrainer.h"
#include "separation/TorchSeparator.h"
#include "util/JsonFile.h"

namespace stemscope::cli {
namespace {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::atomic<bool> gCancel{false};
extern "C" void onSignal(int) { gCancel = true; }

double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string modelArg(const CliArgs& args) { return args.get("model", defaultSeparatorDir()); }

int runSeparate(int argc, char** argv)
{
    CliArgs args(argc, argv);
    if (args.positional().size() != 1) throw UsageError("expected one audio file");
    const std::string out = args.get("out");
    if (out.empty()) throw UsageError("--out DIR is required");
    const TorchSeparator sep(modelArg(args));
    DecodeOptions d;
    d.targetSampleRate = sep.sampleRate();
    const auto t0 = Clock::now();
    const auto mix = decodeReportingDamage(args.positional()[0], d).samples;
    const auto t1 = Clock::now();
    const auto stems = sep.separate(mix);
    const double sepS = secondsSince(t1);
    fs::create_directories(fs::u8path(out));
    for (const auto& [name, x] : stems) writeMonoAudio((fs::u8path(out) / (name + ".flac")).u8string(), x, sep.sampleRate());
    const double dur = double(mix.size()) / sep.sampleRate();
    std::printf("%s: %.1f s of audio, decode %.2f s, separation %.2f s (%.1fx real time) -> %s\n",
                args.positional()[0].c_str(), dur, std::chrono::duration<double>(t1 - t0).count(), sepS, dur / sepS,
                out.c_str());
    return 0;
}

int runTrain(int argc, char** argv)
{
    CliArgs args(argc, argv, {"resume", "quiet", "augment", "half-precision"});
    const auto corpora = splitList(args.get("corpus"));
    if (corpora.empty()) throw UsageError("--corpus DIR[,DIR...] is required");
    std::string out = args.get("out", defaultSeparatorDir());
    if (fs::path(out).extension() != ".pt") out = (fs::path(out) / "model.pt").string();
    SeparatorTrainConfig c;
    c.steps = args.getInt("steps", c.steps);
    c.batch = args.getInt("batch", c.batch);
    c.excerptSeconds = args.getDouble("excerpt", c.excerptSeconds);
    c.remixProbability = args.getDouble("remix", c.remixProbability);
    c.learningRate = args.getDouble("lr", c.learningRate);
    c.seed = uint64_t(args.getInt("seed", 1));
    c.threads = args.getInt("threads", 2);
    c.spec.hidden = args.getInt("hidden", c.spec.hidden);
    c.spec.blocks = args.getInt("blocks", c.spec.blocks);
    const std::string arch = args.get("arch", "tcn");
    if (arch == "bandsplit") c.spec.arch = SeparatorArch::BandSplit;
    else if (arch != "tcn") throw UsageError("--arch takes tcn or bandsplit, not '" + arch + "'");
    c.checkpointPath = args.get("checkpoint", out + ".ckpt");
    c.checkpointEvery = args.getInt("checkpoint-every", c.checkpointEvery);
    c.resume = args.has("resume");
    c.initModelPath = args.get("init");
    c.augment = args.has("augment");
    c.stopAfterSeconds = args.getDouble("stop-after-minutes", 0) * 60.0;
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);

    const auto t0 = Clock::now();
    std::vector<std::string> skipped;
    const std::string dataCache = args.get("data-cache");
    if (!dataCache.empty() && !args.has("half-precision")) throw UsageError("--data-cache holds half floats: add --half-precision");
    // Several corpora train as one set. Each has its own cache file (FILE, then FILE.2, FILE.3, ...),
    // mapped rather than read: the page cache holds the stems, so sets larger than memory train.
    SeparationData data;
    for (size_t k = 0; k < corpora.size(); ++k) {
        std::string cacheNote;
        const std::string cacheFile = k == 0 ? dataCache : dataCache + "." + std::to_string(k + 1);
        auto part = dataCache.empty()
                        ? loadSeparationData(corpora[k], c.spec.sources, c.spec.sampleRate, args.getInt("max-songs", 0),
                                             c.threads, {}, &skipped, &gCancel, args.has("half-precision"))
                        : loadSeparationDataCached(cacheFile, corpora[k], c.spec.sources, c.spec.sampleRate,
                                                   args.getInt("max-songs", 0), c.threads, &skipped, &gCancel, &cacheNote,
                                                   true);
        if (!cacheNote.empty()) std::cerr << cacheNote << "\n";
        data.sources = part.sources;
        data.sampleRate = part.sampleRate;
        for (auto& s : part.songs) data.songs.push_back(std::move(s));
    }
    for (const auto& s : skipped) std::cerr << "skipped " << s << "\n";
    double audio = 0;
    for (const auto& s : data.songs) audio += double(s.length()) / data.sampleRate;
    std::cerr << "loaded " << data.songs.size() << " songs, " << audio / 60 << " min of stems in " << secondsSince(t0)
              << " s\n";
    const bool quiet = args.has("quiet");

    // Validation curve: median SDR per source on held-out songs at every checkpoint (never the test split).
    const std::string valDir = args.get("validate");
    SeparationData val;
    if (!valDir.empty()) {
        val = loadSeparationData(valDir, c.spec.sources, c.spec.sampleRate, args.getInt("validate-songs", 16), c.threads);
        std::cerr << "validation: " << val.songs.size() << " songs of " << valDir << "\n";
    }
    const double valSeconds = args.getDouble("validate-seconds", 20.0);
    LearningCurveCsv curveFile;
    if (!val.songs.empty()) {
        std::string header = "step,seconds,loss";
        for (const auto& s : c.spec.sources) header += ",val_sdr_" + s;
        curveFile = openLearningCurve((fs::path(out).parent_path() / "learning_curve.csv").string(), c.resume, header);
    }
    std::ofstream& curve = curveFile.out;
    const double secondsBefore = curveFile.secondsBefore;
    const auto r = trainSeparator(
        data, c, out,
        [&](const SeparatorTrainProgress& p) {
            if (!quiet && (p.step % 50 == 0 || p.step == p.steps))
                std::fprintf(stderr, "step %d/%d  loss %.5f  %.0f s\n", p.step, p.steps, p.loss, p.elapsedSeconds);
            if (!p.checkpoint || val.songs.empty()) return;
            const TorchSeparator now(c.checkpointPath);  // the checkpoint loads as a model
            const auto scores = scoreSeparator(now, val, valSeconds);
            curve << p.step << "," << secondsBefore + p.elapsedSeconds << "," << p.loss;
            std::string line = "validation SDR at step " + std::to_string(p.step) + ":";
            for (const auto& s : c.spec.sources) {
                curve << "," << scores.medianSdr(s);
                char buf[64];
                std::snprintf(buf, sizeof buf, " %s %.2f", s.c_str(), scores.medianSdr(s));
                line += buf;
            }
            curve << std::endl;
            if (!quiet) std::cerr << line << " dB\n";
        },
        &gCancel);
    if (r.cancelled) {
        std::cerr << "stopped after step " << r.stepsDone << "; resume with --resume (checkpoint " << c.checkpointPath
                  << ")\n";
        return 130;
    }
    std::string corpusNames;  // comma-joined, as --corpus takes them
    for (const auto& k : corpora)
        corpusNames += (corpusNames.empty() ? "" : ",") + fs::weakly_canonical(fs::absolute(k)).string();
    nlohmann::ordered_json info{{"corpus", corpusNames},
                                {"songs", data.songs.size()},
                                {"audio_minutes", jsonRounded(audio / 60)},
                                {"steps", c.steps},
                                {"batch", c.batch},
                                {"excerpt_seconds", jsonReal(c.excerptSeconds)},
                                {"remix_probability", jsonReal(c.remixProbability)},
                                {"lr", jsonReal(c.learningRate)},
                                {"seed", c.seed},
                                {"threads", c.threads},
                                {"hidden", c.spec.hidden},
                                {"blocks", c.spec.blocks},
                                {"arch", separatorArchName(c.spec.arch)},
                                {"augment", c.augment},
                                {"resumed_from_step", r.resumedFromStep},
                                {"train_seconds_this_call", jsonRounded(r.seconds)},
                                {"loss_per_50_steps", nlohmann::ordered_json::array()}};
    for (double l : r.lossCurve) info["loss_per_50_steps"].push_back(jsonRounded(l));
    writeJsonFile(fs::path(out).replace_extension(".train.json").string(), info);
    fs::remove(c.checkpointPath);
    std::cout << "wrote " << out << " (" << r.stepsDone << " steps, " << r.seconds << " s)\n";
    return 0;
}

int runEvaluate(int argc, char** argv)
{
    CliArgs args(argc, argv);
    const std::string corpus = args.get("corpus");
    if (corpus.empty()) throw UsageError("--corpus DIR is required");
    TorchSeparator sep(modelArg(args));
    sep.setMaskPower(args.getDouble("mask-power", 1.0));
    const auto data = loadSeparationData(corpus, sep.spec().sources, sep.sampleRate(), args.getInt("max-songs", 0), 2);
    const std::string csv = args.get("csv");
    std::ofstream out;
    if (!csv.empty()) {
        out.open(csv);
        out << "song,source,sdr_db,si_sdr_db,reference_rms_db\n";
    }
    const auto scores = scoreSeparator(sep, data, args.getDouble("seconds", 0.0), [&](const SongSeparationScore& song) {
        for (const auto& name : data.sources)
            if (out)
                out << song.song << "," << name << "," << song.sdr.at(name) << "," << song.siSdr.at(name) << ","
                    << song.referenceRmsDb.at(name) << "\n";
        std::cerr << song.song << " done\n";
    });
    std::cout << "| source | songs | median SDR [dB] | median SI-SDR [dB] |\n| --- | --- | --- | --- |\n";
    std::cout << std::fixed << std::setprecision(2);
    for (const auto& name : data.sources) {
        int n = 0;
        for (const auto& song : scores.songs) n += std::isfinite(song.sdr.at(name));
        std::cout << "| " << name << " | " << n << " | " << scores.medianSdr(name) << " | " << scores.medianSiSdr(name)
                  << " |\n";
    }
    std::cout << "\n" << data.songs.size() << " songs, " << scores.audioSeconds / 60 << " min; separation "
              << scores.separationSeconds << " s (" << scores.realTimeFactor() << "x real time, " << sep.modelId() << ")\n";
    return 0;
}

// Every row of the report's table in one run: the mix as the estimate, the harmonic/percussive
// split (drums), the oracle ratio mask at the separator's STFT (the ceiling), and the separator.
int runBaselines(int argc, char** argv)
{
    CliArgs args(argc, argv);
    const std::string corpus = args.get("corpus");
    if (corpus.empty()) throw UsageError("--corpus DIR is required");
    const TorchSeparator sep(modelArg(args));
    const auto data = loadSeparationData(corpus, sep.spec().sources, sep.sampleRate(), args.getInt("max-songs", 0), 2);
    const double seconds = args.getDouble("seconds", 30.0);
    const StftConfig stftConfig{sep.spec().nFft, sep.spec().hop, true};
    const std::vector<std::string> methods{"mix as the estimate", "harmonic/percussive split (percussive part)",
                                           "oracle ratio mask (same STFT, mixture phase)", "ours (" + sep.modelId() + ")"};
    std::map<std::string, std::vector<std::vector<double>>> sdr;  // source -> method -> per song
    for (const auto& name : data.sources) sdr[name].assign(methods.size(), {});
    for (const auto& song : data.songs) {
        const size_t n = std::min(size_t(song.length()), size_t(seconds * data.sampleRate));
        std::vector<std::vector<float>> stems;
        for (int s = 0; s < song.stemCount(); ++s) {
            stems.emplace_back(n);
            song.copyStem(s, 0, (long long)n, 1.f, stems.back().data());
        }
        std::vector<float> mix(n, 0.f);
        for (const auto& s : stems)
            for (size_t i = 0; i < n; ++i) mix[i] += s[i];
        const auto oracle = oracleRatioMask(stems, stftConfig);
        const auto ours = sep.separate(mix);
        for (size_t k = 0; k < data.sources.size(); ++k) {
            const auto& name = data.sources[k];
            double e = 0;
            for (float v : stems[k]) e += double(v) * v;
            if (n == 0 || 10 * std::log10(e / double(n) + 1e-30) < -60) continue;  // no such part in this song
            auto& row = sdr[name];
            row[0].push_back(bssEvalSdr(stems[k], mix));
            if (name == "drums") row[1].push_back(bssEvalSdr(stems[k], hpssPercussive(mix, stftConfig)));
            row[2].push_back(bssEvalSdr(stems[k], oracle[k]));
            row[3].push_back(bssEvalSdr(stems[k], ours.at(name)));
        }
        std::cerr << song.name << " done\n";
    }
    std::ostringstream md;
    md << std::fixed << std::setprecision(2) << "| source | method | songs | median SDR [dB] | mean | range |\n| --- | --- | --- | --- | --- | --- |\n";
    for (const auto& name : data.sources)
        for (size_t m = 0; m < methods.size(); ++m) {
            const auto& v = sdr[name][m];
            if (v.empty()) continue;
            double sum = 0, lo = v[0], hi = v[0];
            for (double x : v) sum += x, lo = std::min(lo, x), hi = std::max(hi, x);
            md << "| " << name << " | " << methods[m] << " | " << v.size() << " | " << medianFinite(v) << " | "
               << sum / double(v.size()) << " | " << lo << " … " << hi << " |\n";
        }
    md << "\n" << data.songs.size() << " songs of " << corpus << ", first " << seconds << " s at " << data.sampleRate
       << " Hz; BSS Eval SDR (512-tap filter).\n";
    std::cout << md.str();
    if (args.has("out")) {
        std::ofstream o(args.get("out"));
        o << md.str();
        if (!o) throw std::runtime_error("cannot write " + args.get("out"));
    }
    return 0;
}

// Writes a corpus whose stems are the separator's output on each song's mix (the paper's
// "separated" condition); the mix and meta.json are copied so the layout stays a corpus.
int runApply(int argc, char** argv)
{
    CliArgs args(argc, argv);
    const std::string corpus = args.get("corpus"), out = args.get("out");
    if (corpus.empty() || out.empty()) throw UsageError("--corpus DIR and --out DIR are required");
    const TorchSeparator sep(modelArg(args));
    std::signal(SIGINT, onSignal);
    double audio = 0, sepSeconds = 0;
    int done = 0, skipped = 0;
    for (const auto& song : listCorpusSongs(corpus)) {
        if (gCancel) break;
        const fs::path src = fs::u8path(corpus) / fs::u8path(song), dst = fs::u8path(out) / fs::u8path(song);
        if (fs::exists(dst / "done")) {
            ++skipped;
            continue;
        }
        const std::string mixFile = sourceFile(src.u8string(), "mix");
        if (mixFile.empty()) continue;
        DecodeOptions d;
        d.targetSampleRate = sep.sampleRate();
        const auto mix = defaultAudioDecoder()->decodeMono(mixFile, d).samples;
        const auto t0 = Clock::now();
        const auto stems = sep.separate(mix);
        sepSeconds += secondsSince(t0);
        audio += double(mix.size()) / sep.sampleRate();
        fs::create_directories(dst);
        writeMonoAudio((dst / "mix.flac").u8string(), mix, sep.sampleRate());
        for (const auto& [name, x] : stems) writeMonoAudio((dst / (name + ".flac")).u8string(), x, sep.sampleRate());
        if (fs::exists(src / "meta.json")) fs::copy_file(src / "meta.json", dst / "meta.json", fs::copy_options::overwrite_existing);
        std::ofstream(dst / "done") << sep.modelId() << "\n";
        if (++done % 10 == 0) std::cerr << done << " songs\n";
    }
    std::cout << "separated " << done << " songs (" << skipped << " already done) -> " << out << "; " << audio / 60
              << " min in " << sepSeconds << " s (" << (sepSeconds > 0 ? audio / sepSeconds : 0) << "x real time)\n";
    return gCancel ? 130 : 0;
}

const CommandRegistration regSeparate({"separate", "separate a mix into drums, bass, piano, guitar and other",
                                       "stemscope-cli separate MIX --out DIR [--model DIR|FILE]\n"
                                       "  writes DIR/<source>.flac at 22050 Hz; default model: models/separator",
                                       runSeparate});
const CommandRegistration regTrain(
    {"separation train", "train the mask separator on a multitrack corpus (on-the-fly remixing)",
     "stemscope-cli separation train --corpus DIR[,DIR...] [--out DIR|FILE.pt] [options]\n"
     "  several corpora train as one set (--max-songs applies to each)\n"
     "  --steps N (2000)  --batch N (16)  --excerpt SECONDS (3)  --remix P (0.5)  --lr X (0.001)\n"
     "  --arch tcn|bandsplit (tcn: temporal convolutions over all bins; bandsplit: per-band features,\n"
     "                    convolutions over time and across bands)\n"
     "  --hidden N (256; bandsplit: features per band)  --blocks N (4)  --seed S (1)  --threads N (2)  --max-songs N (all)\n"
     "  --resume          continue from OUT.ckpt (written every 100 steps and on Ctrl-C)\n"
     "  --checkpoint-every N (100)  --stop-after-minutes M (checkpointed; --resume continues)\n"
     "  --init MODEL.pt   start from these weights (same shape), fresh optimiser; ignored with --resume\n"
     "  --augment         EQ, reverb, guitar overdrive and bus compression on the sources (targets stay exact)\n"
     "  --half-precision  hold the training stems as half floats (half the memory: the whole 984-song split\n"
     "                    in about 10 GB); validation and evaluation always use float\n"
     "  --data-cache FILE (with --half-precision) the decoded stems in one file: read when it matches the corpus\n"
     "                    (every stem file's size and time), else decoded and written; a resume then loads in seconds.\n"
     "                    The file is mapped, not read: the page cache holds the stems, so a set larger than\n"
     "                    memory trains. Further corpora use FILE.2, FILE.3, ...\n"
     "  --validate DIR    held-out songs: median SDR per source at every checkpoint into learning_curve.csv\n"
     "  --validate-songs N (16)  --validate-seconds T (20)",
     runTrain});
const CommandRegistration regEvaluate(
    {"separation evaluate", "SDR (BSS Eval) and SI-SDR per source on a test corpus",
     "stemscope-cli separation evaluate --corpus DIR [--model DIR|FILE] [--csv FILE] [--max-songs N] [--seconds T]\n"
     "                                  [--mask-power P]  (Wiener-style post-filter: m^P / sum m^P; 1 = none)\n"
     "  --seconds T   score each song's first T seconds only (default: whole songs)", runEvaluate});
const CommandRegistration regBaselines(
    {"separation baselines", "the report's table in one run: mix, HPSS (drums), oracle ratio mask, ours",
     "stemscope-cli separation baselines --corpus DIR [--model DIR|FILE] [--seconds 30] [--max-songs N] [--out FILE.md]\n"
     "  Per source: median, mean and range of BSS Eval SDR over the songs (first --seconds of each) for the\n"
     "  mix as the estimate, the percussive part of a median-filter HPSS (drums), the oracle ratio mask at\n"
     "  the separator's STFT (from the true stems: the ceiling of masking) and the separator.",
     runBaselines});
const CommandRegistration regApply(
    {"separation apply", "separate every song's mix of a corpus into a new corpus of separated stems",
     "stemscope-cli separation apply --corpus DIR --out DIR [--model DIR|FILE]   (resumable)", runApply});

}  // namespace
}  // namespace stemscope::cli
