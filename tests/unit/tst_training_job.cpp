// Training wizard core (core/training/TrainingJob.h): the split by song and the validation rules
// that refuse a job clearly (too few songs, missing / silent stems, mixes without a separator,
// unsupported combinations, disk full).
#include <QtTest>

#include <QTemporaryDir>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "SyntheticMultitrack.h"
#include "audio/AudioDecoder.h"
#include "separation/Separator.h"
#include "training/LibraryCorpus.h"
#include "training/TrainingJob.h"
#include "training/TrainingRunner.h"
#include "util/JsonFile.h"

using namespace stemscope;
using namespace stemscope::training;
namespace fs = std::filesystem;

namespace {
struct FakeSeparator : Separator {
    std::string modelId() const override { return "fake"; }
    double sampleRate() const override { return 22050; }
    std::vector<std::string> stemNames() const override { return {"drums", "bass", "piano", "guitar"}; }
    std::map<std::string, std::vector<float>> separate(const std::vector<float>& mix) const override
    {
        return {{"drums", mix}, {"bass", mix}, {"piano", mix}, {"guitar", mix}};
    }
};
}  // namespace

class TrainingJobTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    // n songs with mix + bass (1 s each); `silentBass` / `noBass` song indexes.
    std::string makeCorpus(const std::string& name, int n, int silentBass = -1, int noBass = -1)
    {
        test::MultitrackSpec spec;  // plain sines: mix at 220 + 30 s Hz, bass at 55 + 5 s Hz
        spec.songs = n;
        spec.seconds = 1.0;
        spec.mixStep = 30.0;
        spec.stemStep = 5.0;
        spec.silentStem = silentBass;
        spec.missingStem = noBass;
        spec.signal = test::MultitrackSpec::Signal::Sine;
        return test::writeSyntheticMultitrack((fs::path(dir_.path().toStdString()) / name).string(), spec);
    }

    TrainingJob job(const std::string& data)
    {
        TrainingJob j;
        j.dataDir = data;
        j.focus = Focus::Bass;
        j.workDir = dir_.filePath("work").toStdString();
        return j;
    }

    static bool mentions(const std::vector<std::string>& lines, const std::string& what)
    {
        for (const auto& l : lines)
            if (l.find(what) != std::string::npos) return true;
        return false;
    }

private Q_SLOTS:
    void splitIsBySongDeterministicAndDisjoint()
    {
        std::vector<std::string> songs;
        for (int i = 0; i < 20; ++i) songs.push_back("s" + std::to_string(i));
        const auto a = splitSongs(songs, 0.2, 7);
        const auto b = splitSongs(std::vector<std::string>(songs.rbegin(), songs.rend()), 0.2, 7);
        QCOMPARE(a.test.size(), size_t(4));
        QCOMPARE(a.train.size(), size_t(16));
        QVERIFY(a.test == b.test);  // input order does not matter
        for (const auto& t : a.test) QVERIFY(std::find(a.train.begin(), a.train.end(), t) == a.train.end());
        QVERIFY(std::is_sorted(a.test.begin(), a.test.end()));
        bool differs = false;
        for (uint64_t seed = 1; seed < 6 && !differs; ++seed) differs = splitSongs(songs, 0.2, seed).test != a.test;
        QVERIFY(differs);
        // Never fewer than two test songs.
        QCOMPARE(splitSongs({"a", "b", "c", "d", "e", "f"}, 0.1, 1).test.size(), size_t(2));
    }

    void goodCorpusPasses()
    {
        const auto v = validateJob(job(makeCorpus("good", 6)));
        QVERIFY2(v.ok(), v.text().c_str());
        QCOMPARE(v.songs.size(), size_t(6));
        QCOMPARE(v.split.train.size(), size_t(4));
        QCOMPARE(v.split.test.size(), size_t(2));
        QVERIFY(v.neededBytes > 0);
    }

    void tooFewSongsRefused()
    {
        const auto v = validateJob(job(makeCorpus("five", 5)));
        QVERIFY(!v.ok());
        QVERIFY2(mentions(v.errors, "Too few songs"), v.text().c_str());
        QVERIFY(mentions(v.errors, "at least 4 training and 2 test"));
        const auto empty = validateJob(job(dir_.filePath("nothing-here").toStdString()));
        QVERIFY(!empty.ok());
        QVERIFY(mentions(empty.errors, "is not a folder"));
        fs::create_directories(dir_.filePath("empty").toStdString());
        QVERIFY(mentions(validateJob(job(dir_.filePath("empty").toStdString())).errors, "No songs found"));
    }

    void missingStemsRefusedOrSkipped()
    {
        const auto data = makeCorpus("missing", 7, -1, 3);
        auto j = job(data);
        j.skipIncompleteSongs = false;
        auto v = validateJob(j);
        QVERIFY(!v.ok());
        QVERIFY2(mentions(v.errors, "1 song have no bass stem") || mentions(v.errors, "have no bass stem: song3"),
                 v.text().c_str());
        j.skipIncompleteSongs = true;
        v = validateJob(j);
        QVERIFY2(v.ok(), v.text().c_str());
        QVERIFY(mentions(v.warnings, "song3"));
        QCOMPARE(v.songs.size(), size_t(6));
        QCOMPARE(v.skipped, std::vector<std::string>{"song3"});
        // The mix focus is fine for every song.
        j.focus = Focus::Mix;
        QVERIFY(validateJob(j).skipped.empty());
        // Leaving the song out makes too few: refused, and the message says why.
        const auto v6 = validateJob(job(makeCorpus("missing6", 6, -1, 0)));
        QVERIFY(!v6.ok());
        QVERIFY(mentions(v6.errors, "Too few songs"));
        QVERIFY(mentions(v6.errors, "left out"));
    }

    void silentFilesRefused()
    {
        auto j = job(makeCorpus("silent", 7, 2));
        j.skipIncompleteSongs = false;
        const auto v = validateJob(j);
        QVERIFY(!v.ok());
        QVERIFY2(mentions(v.errors, "silent bass stem") && mentions(v.errors, "song2"), v.text().c_str());
        j.skipIncompleteSongs = true;
        QVERIFY(validateJob(j).ok());
        // An empty file is unreadable.
        const auto data = makeCorpus("emptyfile", 7);
        { std::ofstream((fs::path(data) / "song1" / "bass.wav").string(), std::ios::trunc); }
        auto k = job(data);
        k.skipIncompleteSongs = false;
        QVERIFY(mentions(validateJob(k).errors, "empty file"));
    }

    void diskFullRefused()
    {
        ValidationEnv env;
        env.freeSpace = [](const std::string&) -> std::uintmax_t { return 1000; };
        const auto v = validateJob(job(makeCorpus("disk", 6)), env);
        QVERIFY(!v.ok());
        QVERIFY2(mentions(v.errors, "Not enough disk space"), v.text().c_str());
        env.freeSpace = [](const std::string&) -> std::uintmax_t { return std::uintmax_t(1) << 40; };
        QVERIFY(validateJob(job(dir_.filePath("disk").toStdString()), env).ok());
    }

    void mixesNeedASeparator()
    {
        const fs::path mixes = fs::path(dir_.path().toStdString()) / "mixes";
        fs::create_directories(mixes);
        for (int s = 0; s < 6; ++s)
            writeMonoAudio((mixes / ("m" + std::to_string(s) + ".wav")).string(), test::sine(200 + 40 * s, 22050, 1, 0.3), 22050);
        auto j = job(mixes.string());
        j.source = DataSource::Mixes;
        const auto v = validateJob(j);
        QVERIFY(!v.ok());
        QVERIFY2(mentions(v.errors, "no separator model is installed"), v.text().c_str());
        ValidationEnv env;
        env.separator = std::make_shared<FakeSeparator>();
        const auto w = validateJob(j, env);
        QVERIFY2(w.ok(), w.text().c_str());
        QCOMPARE(w.songs.size(), size_t(6));
    }

    void combinationsAndLibraryTags()
    {
        const auto data = makeCorpus("combo", 6);
        auto j = job(data);
        j.frontEnd = FrontEnd::Cqt;
        QVERIFY(mentions(validateJob(j).errors, "choose the mel front-end"));
        j.frontEnd = FrontEnd::Mel;
        j.pooling = Pooling::AutoPool;
        QVERIFY(mentions(validateJob(j).errors, "Auto-pool is a ranked-list option"));
        j = job(data);
        j.mode = TrainMode::RankedList;
        QVERIFY(mentions(validateJob(j).errors, "choose the CQT front-end"));
        j.frontEnd = FrontEnd::Cqt;
        const auto untagged = validateJob(j);  // no meta.json / tags.txt: nothing to rank with
        QVERIFY(!untagged.ok());
        QVERIFY(mentions(untagged.warnings, "have no tags"));
        j = job(data);
        j.source = DataSource::LibraryTags;  // dataDir must be the library file
        QVERIFY(mentions(validateJob(j).errors, "is not a library file"));
        j.dataDir.clear();
        QVERIFY(mentions(validateJob(j).errors, "No library is open"));
        j = job(data);
        j.epochs = 0;
        QVERIFY(mentions(validateJob(j).errors, "Epochs"));
    }

    void libraryTagsToTagList()
    {
        QCOMPARE(libraryTagList("{\"title\": \"x\", \"genre\": \"Funk Rock\", \"tags\": [\"tempo=fast\", \"live\", \" \"]}"),
                 std::string("style=funk_rock, tag=live, tempo=fast"));
        QCOMPARE(libraryTagList("{\"tags\": \"a, groove=shuffle\"}"), std::string("groove=shuffle, tag=a"));
        QCOMPARE(libraryTagList("{}"), std::string());
        QCOMPARE(libraryTagList("not json"), std::string());
    }

    void metricsAndProgressJson()
    {
        TrainingOutcome o;
        o.status = TrainingOutcome::Status::Done;
        o.epochsDone = 2;
        o.history = {{1, 2, 0.5, 0.25, 3.0}, {2, 2, 0.123456789, std::nan(""), 4.0}};
        ModelScores sc;
        sc.label = "trained \"x\"";
        sc.modelId = "m";
        sc.knnAccuracy = 0.75;
        o.scores = {sc};
        const auto m = nlohmann::ordered_json::parse(o.metricsJson());
        QCOMPARE(m.at("status").get<std::string>(), std::string("done"));
        QCOMPARE(m.at("epochs_done").get<int>(), 2);
        QCOMPARE(m.at("epoch_loss").at(1).get<double>(), 0.123457); // six significant digits, as before
        QVERIFY(m.at("validation_knn").at(1).is_null());             // NaN
        QCOMPARE(m.at("scores").at(0).at("label").get<std::string>(), sc.label);
        QVERIFY(m.at("scores").at(0).at("map").is_null());
        QVERIFY(!m.contains("error"));

        // A progress.json as the old hand-written writer left it still resumes.
        TrainingJob j;
        j.workDir = dir_.filePath("progress").toStdString();
        fs::create_directories(j.workDir);
        std::ofstream(fs::path(j.workDir) / "progress.json") << "{\"epochs\": 6, \"history\": [[0.5, null, 12.5], [0.25, 0.5, 13]]}\n";
        const TrainingRunner r(j, {});
        const auto h = r.savedHistory();
        QCOMPARE(h.size(), size_t(2));
        QCOMPARE(h[1].epoch, 2);
        QCOMPARE(h[1].epochs, 6);
        QCOMPARE(h[1].loss, 0.25);
        QVERIFY(std::isnan(h[0].validationKnn));
        QCOMPARE(h[1].seconds, 13.0);
    }

    void paramsAndWorkDir()
    {
        TrainingJob j;
        j.dataDir = "/tmp/some \"collection\"";
        const auto p = nlohmann::ordered_json::parse(j.paramsJson());
        QVERIFY(p.contains("focus"));
        QCOMPARE(p.at("mode").get<std::string>(), std::string("track-triplets"));
        QCOMPARE(p.at("data").get<std::string>(), j.dataDir);
        QCOMPARE(p.at("lr").get<double>(), j.learningRate);
        // The text keys the default work folder: same spacing and numbers as before nlohmann.
        const std::string old = "{\"source\": \"multitrack\", \"data\": \"/tmp/some \\\"collection\\\"\", \"focus\": \"mix\", "
                                "\"mode\": \"track-triplets\", \"front_end\": \"mel\", \"pooling\": \"max\", "
                                "\"test_fraction\": 0.2, \"seed\": 1, \"mining\": ";
        QCOMPARE(j.paramsJson().substr(0, old.size()), old);
        QVERIFY(j.paramsJson().find(", \"lr\": 0.002, \"margin\": 0.2, \"batch\": 64, ") != std::string::npos);
        const auto a = defaultWorkDir(j);
        QCOMPARE(defaultWorkDir(j), a);
        j.epochs = 7;
        QVERIFY(defaultWorkDir(j) != a);
        QVERIFY(a.find("some") != std::string::npos);
        for (auto m : {TrainMode::TrackTriplets, TrainMode::RankedList})
            QCOMPARE(*trainModeFromName(trainModeName(m)), m);
        QCOMPARE(*frontEndFromName("cqt"), FrontEnd::Cqt);
        QCOMPARE(*poolingFromName("autopool"), Pooling::AutoPool);
        QCOMPARE(*dataSourceFromName("mixes"), DataSource::Mixes);
        QVERIFY(!trainModeFromName("nope"));
        QCOMPARE(sanitizeModelName("My bass / v2!"), std::string("My-bass-v2"));
        QCOMPARE(sanitizeModelName("../.."), std::string(""));
    }
};

QTEST_APPLESS_MAIN(TrainingJobTest)
#include "tst_training_job.moc"
