#include <QtTest>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <sys/wait.h>
#include <unistd.h>

#include "LibraryFixtures.h"
#include "ScaleSeparator.h"
#include "TestEmbedder.h"
#include "analysis/AnalysisScheduler.h"
#include "analysis/StemCache.h"
#include "analysis/TrackAnalyzer.h"
#include "audio/AudioDecoder.h"
#include "index/NeighbourSearch.h"
#include "jobs/JobEngine.h"
#include "library/LibraryStore.h"
#include "library/TrackImporter.h"
#include "separation/Separator.h"
#include "session/LibrarySession.h"

using namespace stemscope;
namespace fs = std::filesystem;

namespace {

EmbedderSet embedders(int delayMs = 0, bool allFocuses = true)
{
    EmbedderSet set;
    for (Focus f : kAllFocuses) {
        if (!allFocuses && f != Focus::Mix) continue;
        set[f] = std::make_shared<test::TestEmbedder>(std::string("test-") + focusName(f), 16, 32, 129,
                                                      7u + unsigned(f), delayMs);
    }
    return set;
}

// Plain tracks at different pitches plus one corpus folder with all four stems.
void writeLibraryAudio(const std::string& root, int plainTracks)
{
    fs::create_directories(fs::u8path(root + "/corpus/song"));
    for (int i = 0; i < plainTracks; ++i)
        test::writeVoice(root + "/plain " + std::to_string(i) + ".wav", 110.0 * std::pow(1.25, i));
    test::writeVoice(root + "/corpus/song/mix.wav", 200);
    int k = 0;
    for (const char* stem : {"drums", "bass", "piano", "guitar"})
        test::writeVoice(root + "/corpus/song/" + stem + ".wav", 80.0 + 90.0 * k++);
}

BatchProgress analyseAll(const std::shared_ptr<LibraryStore>& store, const EmbedderSet& set, int workers,
                         std::vector<JobId>* ids = nullptr, JobEngine* external = nullptr)
{
    auto analyzer = std::make_shared<TrackAnalyzer>(store, set, defaultAudioDecoder());
    AnalysisScheduler scheduler(analyzer);
    JobEngine local(workers);
    JobEngine& engine = external ? *external : local;
    engine.setListener([&](const JobInfo& i) { scheduler.onJobUpdate(i); });
    const auto submitted = scheduler.submit(engine, *store);
    if (ids) *ids = submitted;
    engine.waitAll();
    engine.setListener({});
    return scheduler.progress();
}

std::map<std::string, std::vector<float>> centroidsByPath(LibraryStore& store, Focus f, const std::string& model)
{
    std::map<std::string, std::vector<float>> out;
    for (const auto& t : store.tracks())
        if (auto a = store.analysis(t.id, f, model); a && a->status == "done")
            out[fs::u8path(t.path).filename().u8string()] = a->centroid;
    return out;
}

}  // namespace

class LibraryAnalysisTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // First: fork() is safest before this process has started any threads.
    void killDashNineLosesNothingCommittedAndResumes()
    {
        QTemporaryDir dir;
        const auto root = test::u8(dir.path()) + "/music";
        fs::create_directories(fs::u8path(root));
        for (int i = 0; i < 10; ++i) test::writeVoice(root + "/t" + std::to_string(i) + ".wav", 100.0 + 37.0 * i);
        const auto db = test::u8(dir.path()) + "/lib.sqlite";
        {
            LibraryStore store(db);
            TrackImporter(store, defaultAudioDecoder()).run({root});
        }
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            auto store = std::make_shared<LibraryStore>(db);
            analyseAll(store, embedders(150, false), 2);
            _exit(0);
        }
        // Parent: wait until a few results are committed, then kill -9 mid-flight.
        int committed = 0;
        for (int tries = 0; tries < 3000 && committed < 3; ++tries) {
            usleep(2000);
            LibraryStore peek(db, LibraryStore::Access::ReadOnly);
            const auto s = peek.summary();
            committed = s.analyses.count("mix") ? int(s.analyses.at("mix").count("done") ? s.analyses.at("mix").at("done") : 0) : 0;
        }
        ::kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        QVERIFY(WIFSIGNALED(status));
        QVERIFY2(committed >= 3, "child never committed results");

        auto store = std::make_shared<LibraryStore>(db);
        QCOMPARE(store->checkConsistency(), std::vector<std::string>{});
        const auto before = store->summary().analyses["mix"]["done"];
        QVERIFY(before >= 3);
        QVERIFY2(before < 10, "child finished before it was killed; the test proved nothing");
        const auto resumed = analyseAll(store, embedders(0, false), 2);
        QCOMPARE(int64_t(resumed.tracksTotal), 10 - before);  // only the unfinished ones
        QCOMPARE(store->summary().analyses["mix"]["done"], int64_t(10));
        QVERIFY(store->checkConsistency().empty());

        // Identical to an uninterrupted run.
        const auto db2 = test::u8(dir.path()) + "/fresh.sqlite";
        auto fresh = std::make_shared<LibraryStore>(db2);
        TrackImporter(*fresh, defaultAudioDecoder()).run({root});
        analyseAll(fresh, embedders(0, false), 2);
        const auto a = centroidsByPath(*store, Focus::Mix, "test-mix");
        const auto b = centroidsByPath(*fresh, Focus::Mix, "test-mix");
        QCOMPARE(a.size(), size_t(10));
        QCOMPARE(a, b);
    }

    void analysesEveryFocusItHasAStemFor()
    {
        QTemporaryDir dir;
        const auto root = test::u8(dir.path()) + "/music";
        writeLibraryAudio(root, 3);
        auto store = std::make_shared<LibraryStore>(test::u8(dir.path()) + "/lib.sqlite");
        TrackImporter(*store, defaultAudioDecoder()).run({root});
        const auto p = analyseAll(store, embedders(), 2);
        QCOMPARE(p.tracksTotal, 4);
        QCOMPARE(p.tracksFinished, 4);
        QCOMPARE(p.tracksFailed, 0);
        QVERIFY(std::abs(p.fraction - 1.0) < 1e-9);
        QVERIFY(std::abs(p.audioSecondsDone - 32.0) < 0.1);

        const auto mix = store->trackByPath(fs::weakly_canonical(fs::u8path(root + "/corpus/song/mix.wav")).u8string());
        QCOMPARE(mix->status, std::string("analysed"));
        for (Focus f : kAllFocuses) {
            const auto a = store->analysis(mix->id, f, std::string("test-") + focusName(f));
            QVERIFY(a);
            QCOMPARE(a->status, std::string("done"));
            QCOMPARE(a->source, std::string(focusHasStem(f) ? "corpus-stem" : "mix"));
            // 8 s, 3 s segments, 1.5 s hop: starts 0, 1.5, 3, 4.5.
            QCOMPARE(a->segmentCount, 4);
        }
        const auto seg = store->segments(mix->id, Focus::Bass, "test-bass");
        QCOMPARE(seg.startSeconds, (std::vector<double>{0.0, 1.5, 3.0, 4.5}));

        const auto plain = store->trackByPath(fs::weakly_canonical(fs::u8path(root + "/plain 0.wav")).u8string());
        QCOMPARE(plain->status, std::string("partial"));
        QCOMPARE(store->analysis(plain->id, Focus::Mix, "test-mix")->status, std::string("done"));
        const auto drums = store->analysis(plain->id, Focus::Drums, "test-drums");
        QCOMPARE(drums->status, std::string("skipped"));
        QVERIFY(drums->error.find("no stems") != std::string::npos);

        // Nothing left to do: a second run submits nothing.
        QCOMPARE(analyseAll(store, embedders(), 2).tracksTotal, 0);
        QVERIFY(store->checkConsistency().empty());

        // Neighbours: the closest pitch is the nearest track, the query itself never shows up.
        auto search = NeighbourSearch::load(*store, Focus::Mix, "test-mix");
        QCOMPARE(search.trackCount(), 4);
        const auto p1 = store->trackByPath(fs::weakly_canonical(fs::u8path(root + "/plain 1.wav")).u8string());
        const auto n = search.similarTracks(p1->id, 10);
        QCOMPARE(int(n.size()), 3);
        for (const auto& x : n) QVERIFY(x.trackId != p1->id);
        QVERIFY(n.front().distance <= n.back().distance);
        const auto segs = search.similarSegments(p1->id, 1.5, 5);
        QCOMPARE(int(segs.size()), 5);
        for (const auto& s : segs) QVERIFY(s.trackId != p1->id);
    }

    // A mix without stem files gets its instrument focuses from the separator; the separated stems
    // land in the stem cache, and the next analysis reuses them instead of separating again.
    void separatorFillsMissingStemsAndCachesThem()
    {
        QTemporaryDir dir;
        const auto root = test::u8(dir.path()) + "/music";
        fs::create_directories(fs::u8path(root));
        test::writeVoice(root + "/plain.wav", 150);
        auto store = std::make_shared<LibraryStore>(test::u8(dir.path()) + "/lib.sqlite");
        TrackImporter(*store, defaultAudioDecoder()).run({root});
        auto separator = std::make_shared<test::ScaleSeparator>();
        AnalysisOptions o;
        o.separator = separator;
        o.stemCacheDir = test::u8(dir.path()) + "/stems";
        auto analyzer = std::make_shared<TrackAnalyzer>(store, embedders(), defaultAudioDecoder(), o);
        const auto id = store->tracks().front().id;
        analyzer->analyze(id, nullptr);
        QCOMPARE(separator->calls.load(), 1); // once per track, not once per focus
        QCOMPARE(store->track(id)->status, std::string("analysed"));
        for (Focus f : {Focus::Drums, Focus::Bass, Focus::Piano, Focus::Guitar}) {
            const auto a = store->analysis(id, f, std::string("test-") + focusName(f));
            QVERIFY(a && a->status == "done");
            QCOMPARE(a->source, std::string("separator"));
        }
        const auto cached = store->stems(id);
        QCOMPARE(int(cached.size()), 5);
        for (const auto& [name, path] : cached) {
            QVERIFY2(fs::exists(fs::u8path(path)), path.c_str());
            QVERIFY(path.find(o.stemCacheDir) == 0);
        }
        // Re-analysis (e.g. a new drums model) reads the cached stems: no second separation, and the
        // analyses say where their audio came from.
        store->deleteAnalyses(id);
        analyzer->analyze(id, nullptr);
        QCOMPARE(separator->calls.load(), 1);
        QVERIFY(store->analysis(id, Focus::Drums, "test-drums")->status == "done");
        QCOMPARE(store->analysis(id, Focus::Drums, "test-drums")->source, std::string("separator-cache"));
        QCOMPARE(store->stemFiles(id).at("drums").source, std::string("separator"));
        // A cache made by another separator model is not reused: separated again.
        store->setStem(id, "drums", cached.at("drums"), "separator", "an-older-separator");
        store->deleteAnalyses(id);
        analyzer->analyze(id, nullptr);
        QCOMPARE(separator->calls.load(), 2);
        QCOMPARE(store->analysis(id, Focus::Drums, "test-drums")->source, std::string("separator"));
        // The separation rewrote every stem of the cache (one pass yields all), so bass is fresh too.
        QCOMPARE(store->analysis(id, Focus::Bass, "test-bass")->source, std::string("separator"));
        QCOMPARE(store->stemFiles(id).at("drums").modelId, std::string("test-separator"));
    }

    void mixListeningEmbeddersNeedNoSeparation()
    {
        // The multi-focus mix model listens to the mix for every focus: the engine neither separates
        // nor reads stem files for it, records the mix as the source, and embeds exactly the mix.
        QTemporaryDir dir;
        const auto root = test::u8(dir.path()) + "/music";
        writeLibraryAudio(root, 1);
        auto store = std::make_shared<LibraryStore>(test::u8(dir.path()) + "/lib.sqlite");
        TrackImporter(*store, defaultAudioDecoder()).run({root});
        EmbedderSet set;
        for (Focus f : kAllFocuses) {
            // Same seed for every focus: each focus's vectors must then equal the mix focus's.
            auto e = std::make_shared<test::TestEmbedder>(std::string("mixfocus-") + focusName(f), 16, 32, 129, 7u);
            if (f != Focus::Mix) e->listenToMix();
            set[f] = e;
        }
        auto separator = std::make_shared<test::ScaleSeparator>();
        AnalysisOptions o;
        o.separator = separator;
        auto analyzer = std::make_shared<TrackAnalyzer>(store, set, defaultAudioDecoder(), o);
        for (const auto& t : store->tracks()) {
            analyzer->analyze(t.id, nullptr);
            QCOMPARE(store->track(t.id)->status, std::string("analysed"));
            const auto mix = store->analysis(t.id, Focus::Mix, "mixfocus-mix");
            QVERIFY(mix && mix->status == "done");
            for (Focus f : {Focus::Drums, Focus::Bass, Focus::Piano, Focus::Guitar}) {
                const auto a = store->analysis(t.id, f, std::string("mixfocus-") + focusName(f));
                QVERIFY(a && a->status == "done");
                QCOMPARE(a->source, std::string("mix"));  // also for the corpus song that has stem files
                QCOMPARE(a->centroid, mix->centroid);
            }
        }
        QCOMPARE(separator->calls.load(), 0);
        // With a stem cache (the GUI's setting) the analysis still separates nothing: the stems for
        // listening are a job of their own, after the embeddings.
        AnalysisOptions cached = o;
        cached.stemCacheDir = test::u8(dir.path()) + "/lib.sqlite.stems";
        cached.redo = true;
        auto withCache = std::make_shared<TrackAnalyzer>(store, set, defaultAudioDecoder(), cached);
        for (const auto& t : store->tracks()) withCache->analyze(t.id, nullptr);
        QCOMPARE(separator->calls.load(), 0);
    }

    void listeningStemsAreAJobOfTheirOwn()
    {
        QTemporaryDir dir;
        const auto root = test::u8(dir.path()) + "/music";
        writeLibraryAudio(root, 2);
        const std::string lib = test::u8(dir.path()) + "/lib.sqlite";
        LibrarySession session(lib);
        TrackImporter(*session.store(), defaultAudioDecoder()).run({root});
        auto store = session.store();
        auto separator = std::make_shared<test::ScaleSeparator>();
        JobEngine engine(2);
        LibrarySession::ListeningStemsReport report;
        LibrarySession::ListeningStemsOptions options;
        options.separator = separator;
        // A slice of no time: every track after the first is handed to a new job (queued behind
        // higher-priority work), and the outcome is told once, by the last one.
        options.sliceSeconds = 0;
        std::vector<JobId> handedOver;
        options.continued = [&](JobId next) { handedOver.push_back(next); };
        int doneCalls = 0;
        JobId id = session.submitListeningStems(
            engine, {},
            [&](const LibrarySession::ListeningStemsReport& r) {
                report = r;
                ++doneCalls;
            },
            options);
        QVERIFY(id != 0);
        engine.waitAll();
        QCOMPARE(engine.info(id).state, JobState::Done);
        QCOMPARE(int(handedOver.size()), 1);
        QVERIFY(handedOver[0] != id);
        QCOMPARE(engine.info(handedOver[0]).state, JobState::Done);
        QCOMPARE(doneCalls, 1);
        options.sliceSeconds = 30;
        options.continued = {};
        QCOMPARE(report.separated, 2);  // the two plain tracks; the multitrack plays its own stems
        QCOMPARE(separator->calls.load(), 2);
        QVERIFY(report.failures.empty());
        int64_t plain = -1;
        for (const auto& t : store->tracks()) {
            const auto files = store->stemFiles(t.id);
            if (fs::u8path(t.path).parent_path().filename() == "song") {
                QCOMPARE(files.at("drums").source, std::string("corpus"));
                continue;
            }
            plain = t.id;
            QCOMPARE(int(files.size()), 5);
            for (const auto& [name, f] : files) {
                QCOMPARE(f.source, std::string("separator"));
                QCOMPARE(f.modelId, std::string("test-separator"));
                QVERIFY2(fs::exists(fs::u8path(f.path)), f.path.c_str());
                QVERIFY(f.path.find(lib + ".stems") == 0);
            }
        }
        // Everything cached: nothing to submit.
        QCOMPARE(session.submitListeningStems(engine, {}, {}, options), JobId(0));
        // A new separator model makes them stale: only then separated again.
        separator->id = "test-separator-2";
        id = session.submitListeningStems(engine, {plain}, [&](const LibrarySession::ListeningStemsReport& r) { report = r; },
                                          options);
        QVERIFY(id != 0);
        engine.waitAll();
        QCOMPARE(report.separated, 1);
        QCOMPARE(store->stemFiles(plain).at("bass").modelId, std::string("test-separator-2"));
        // Cancelled mid-way: the stems recorded before stay whole and nothing half-written is left.
        const std::string bassBefore = store->stemFiles(plain).at("bass").path;
        const auto sizeBefore = fs::file_size(fs::u8path(bassBefore));
        separator->id = "test-separator-3";
        separator->delayMs = 400;
        const int callsBefore = separator->calls.load();
        id = session.submitListeningStems(engine, {plain}, {}, options);
        while (separator->calls.load() == callsBefore) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        engine.cancel(id);
        engine.waitAll();
        QCOMPARE(engine.info(id).state, JobState::Cancelled);
        QCOMPARE(store->stemFiles(plain).at("bass").modelId, std::string("test-separator-2"));
        QCOMPARE(fs::file_size(fs::u8path(bassBefore)), sizeBefore);
        for (const auto& e : fs::directory_iterator(fs::u8path(bassBefore).parent_path()))
            QVERIFY2(e.path().filename().u8string().rfind(".partial-", 0) != 0, e.path().u8string().c_str());
        // A file that vanished since the import: named in the report, the other track still done.
        separator->delayMs = 0;
        separator->id = "test-separator-4";
        const std::string gone = store->track(plain)->path;
        fs::remove(fs::u8path(gone));
        report = {};
        id = session.submitListeningStems(engine, {}, [&](const LibrarySession::ListeningStemsReport& r) { report = r; }, options);
        engine.waitAll();
        QCOMPARE(engine.info(id).state, JobState::Done);
        QCOMPARE(report.separated, 1);
        QCOMPARE(int(report.failures.size()), 1);
        QVERIFY2(report.failures[0].find(gone) == 0, report.failures[0].c_str());
        QVERIFY2(report.failures[0].find("not found") != std::string::npos, report.failures[0].c_str());
    }

    void stemCacheRecordsAbsolutePaths()
    {
        // A library opened by a relative path ("lib.sqlite" from its own folder) must not record
        // stem paths that only resolve from that folder.
        QTemporaryDir dir;
        const auto root = test::u8(dir.path());
        test::writeVoice(root + "/plain.wav", 150);
        auto store = std::make_shared<LibraryStore>(root + "/lib.sqlite");
        TrackImporter(*store, defaultAudioDecoder()).run({root + "/plain.wav"});
        const auto relative = fs::relative(fs::u8path(root + "/lib.sqlite.stems"), fs::current_path()).u8string();
        QVERIFY(fs::u8path(relative).is_relative());
        const StemCache cache(store, std::make_shared<test::ScaleSeparator>(), relative);
        const auto id = store->tracks().front().id;
        QVERIFY(cache.needed(id));
        QVERIFY(cache.fillTrack(id, *defaultAudioDecoder()));
        QVERIFY(!cache.needed(id));
        for (const auto& [name, f] : store->stemFiles(id)) {
            QVERIFY2(fs::u8path(f.path).is_absolute(), f.path.c_str());
            QVERIFY(fs::exists(fs::u8path(f.path)));
        }
    }

    void zooTracksGetRecordedOutcomes()
    {
        QTemporaryDir dir;
        const auto root = test::u8(dir.path()) + "/zoo";
        fs::create_directories(fs::u8path(root));
        test::writeVoice(root + "/8k.wav", 440, 8.0, 8000.0);
        test::writeVoice(root + "/192k.wav", 550, 4.0, 192000.0);
        test::writeVoice(root + "/6ch.wav", 660, 8.0, 22050.0, 6);
        test::writeSilentWav(root + "/hour of silence.wav", 3600.0, 8000);
        test::writeVoice(root + "/ünïcødé 曲 🎵.wav", 770);
        test::writeBytes(root + "/text.mp3", "not an mp3");
        test::writeVoice(root + "/50 ms.wav", 440, 0.05);
        test::writeVoice(root + "/cut.wav", 330, 8.0);
        test::truncateFile(root + "/cut.wav", 0.5);
        test::writeNanWav(root + "/nan.wav", 22050, 2.0);
        test::writeVoice(root + "/cut short.wav", 330, 4.0);
        test::truncateFile(root + "/cut short.wav", 0.5);
        auto store = std::make_shared<LibraryStore>(test::u8(dir.path()) + "/lib.sqlite");
        TrackImporter(*store, defaultAudioDecoder()).run({root});
        const auto p = analyseAll(store, embedders(0, false), 2);
        QCOMPARE(p.tracksTotal, 9);  // text.mp3 already failed at import
        auto track = [&](const std::string& name) {
            return *store->trackByPath(fs::weakly_canonical(fs::u8path(root + "/" + name)).u8string());
        };
        const std::string dirOf = fs::weakly_canonical(fs::u8path(root)).u8string();
        // The three that cannot be analysed count as failed and are named, though their jobs end well.
        QCOMPARE(p.tracksFailed, 3);
        auto failures = p.failures;
        std::sort(failures.begin(), failures.end());
        QCOMPARE(failures.size(), size_t(3));
        QCOMPARE(failures[0], dirOf + "/50 ms.wav: " + track("50 ms.wav").error);
        QCOMPARE(failures[1], dirOf + "/cut short.wav: " + track("cut short.wav").error);
        QCOMPARE(failures[2], dirOf + "/nan.wav: " + track("nan.wav").error);
        // Too short because it is cut: the message says both.
        QVERIFY2(track("cut short.wav").error.rfind("too short: 2.00 s is shorter than one 3 s segment (partial: 2.0 s of 4.0 s decoded (", 0) == 0,
                 track("cut short.wav").error.c_str());
        // Exact messages for the odd ones.
        QCOMPARE(track("50 ms.wav").status, std::string("error"));
        QCOMPARE(track("50 ms.wav").error, std::string("too short: 0.05 s is shorter than one 3 s segment"));
        QCOMPARE(track("nan.wav").status, std::string("error"));
        QCOMPARE(track("nan.wav").error, "non-finite samples: " + dirOf + "/nan.wav (100.0 % of the decoded samples are NaN or infinite)");
        // Cut short: analysed up to the damage, and the note stays with the analysed track.
        QCOMPARE(track("cut.wav").status, std::string("analysed"));
        QVERIFY2(track("cut.wav").error.rfind("partial: 4.0 s of 8.0 s decoded (header announces 352800 data bytes, file has ", 0) == 0,
                 track("cut.wav").error.c_str());
        QVERIFY(std::abs(track("cut.wav").duration - 4.0) < 0.01);
        auto statusOf = [&](const std::string& name) {
            const auto t = store->trackByPath(fs::weakly_canonical(fs::u8path(root + "/" + name)).u8string());
            return store->analysis(t->id, Focus::Mix, "test-mix")->status;
        };
        QCOMPARE(statusOf("8k.wav"), std::string("done"));
        QCOMPARE(statusOf("192k.wav"), std::string("done"));
        QCOMPARE(statusOf("6ch.wav"), std::string("done"));
        QCOMPARE(statusOf("ünïcødé 曲 🎵.wav"), std::string("done"));
        QCOMPARE(statusOf("cut.wav"), std::string("done"));
        QCOMPARE(statusOf("hour of silence.wav"), std::string("silent"));
        QVERIFY(store->checkConsistency().empty());
    }

    void fileDeletedMidAnalysisIsRecorded()
    {
        QTemporaryDir dir;
        const auto root = test::u8(dir.path()) + "/music";
        fs::create_directories(fs::u8path(root));
        for (int i = 0; i < 4; ++i) test::writeVoice(root + "/t" + std::to_string(i) + ".wav", 150.0 + 50 * i);
        auto store = std::make_shared<LibraryStore>(test::u8(dir.path()) + "/lib.sqlite");
        TrackImporter(*store, defaultAudioDecoder()).run({root});
        auto analyzer = std::make_shared<TrackAnalyzer>(store, embedders(100, false), defaultAudioDecoder());
        AnalysisScheduler scheduler(analyzer);
        JobEngine engine(1);
        std::atomic<bool> firstRunning{false};
        engine.setListener([&](const JobInfo& i) {
            scheduler.onJobUpdate(i);
            if (i.state == JobState::Running) firstRunning = true;
        });
        scheduler.submit(engine, *store);
        while (!firstRunning) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        fs::remove(fs::u8path(root + "/t3.wav"));
        engine.waitAll();
        engine.setListener({});
        const auto t3 = store->trackByPath(fs::weakly_canonical(fs::u8path(root + "/t3.wav")).u8string());
        QCOMPARE(t3->status, std::string("missing"));
        QVERIFY(t3->error.find("file not found") != std::string::npos);
        const auto p = scheduler.progress();
        QCOMPARE(p.tracksFailed, 1);
        QCOMPARE(p.failures, std::vector<std::string>{t3->path + ": " + t3->error});
        QCOMPARE(store->summary().analyses["mix"]["done"], int64_t(3));
    }

    void overwrittenTrackKeepsResultsThroughRetries()
    {
        QTemporaryDir dir;
        const auto root = test::u8(dir.path()) + "/music";
        fs::create_directories(fs::u8path(root));
        test::writeVoice(root + "/a.wav", 220);
        auto store = std::make_shared<LibraryStore>(test::u8(dir.path()) + "/lib.sqlite");
        TrackImporter importer(*store, defaultAudioDecoder());
        importer.run({root});
        QCOMPARE(analyseAll(store, embedders(0, false), 1).tracksFailed, 0);
        const auto path = fs::weakly_canonical(fs::u8path(root + "/a.wav")).u8string();
        const auto id = store->trackByPath(path)->id;
        const auto original = test::readBytes(root + "/a.wav");
        test::writeBytes(root + "/a.wav", "garbage\n");
        importer.run({root});
        const auto changed = [&] { return track_status::contentChangedUnreadable(store->track(id)->error); };
        QVERIFY(changed());

        // Retrying errors, with and without redoing what is done: still garbage, still in error,
        // still saying so, results kept.
        for (bool redo : {false, true}) {
            AnalysisOptions o;
            o.retryErrors = true;
            o.redo = redo;
            const auto r = TrackAnalyzer(store, embedders(0, false), defaultAudioDecoder(), o).analyze(id);
            QCOMPARE(r.trackStatus, std::string("error"));
            QCOMPARE(store->track(id)->status, std::string("error"));
            QVERIFY2(changed(), store->track(id)->error.c_str());
            QCOMPARE(int(store->analyses(id).size()), 1);
        }

        // A good copy of the earlier content is a track of its own, not a "duplicate" of the garbage.
        test::writeBytes(root + "/b.wav", original);
        const auto r = importer.run({root});
        QCOMPARE(r.added, 1);
        QCOMPARE(r.duplicates, 0);

        // Restored: the rescan clears the error and the analysis settles it without recomputing.
        test::writeBytes(root + "/a.wav", original);
        importer.run({root});
        QCOMPARE(store->track(id)->status, std::string("new"));
        analyseAll(store, embedders(0, false), 1);
        QCOMPARE(store->track(id)->status, std::string("analysed"));
        QCOMPARE(store->track(id)->error, std::string());
    }

    void cancelKeepsTheLibraryConsistent()
    {
        QTemporaryDir dir;
        const auto root = test::u8(dir.path()) + "/music";
        fs::create_directories(fs::u8path(root));
        for (int i = 0; i < 8; ++i) test::writeVoice(root + "/t" + std::to_string(i) + ".wav", 150.0 + 30 * i);
        auto store = std::make_shared<LibraryStore>(test::u8(dir.path()) + "/lib.sqlite");
        TrackImporter(*store, defaultAudioDecoder()).run({root});
        {
            auto analyzer = std::make_shared<TrackAnalyzer>(store, embedders(60, false), defaultAudioDecoder());
            AnalysisScheduler scheduler(analyzer);
            JobEngine engine(2);
            engine.setListener([&](const JobInfo& i) { scheduler.onJobUpdate(i); });
            scheduler.submit(engine, *store);
            std::this_thread::sleep_for(std::chrono::milliseconds(150));
            engine.cancelAll();
            engine.waitAll();
            engine.setListener({});
            QVERIFY(scheduler.progress().tracksFinished == 8);
        }
        QVERIFY(store->checkConsistency().empty());
        const auto done = store->summary().analyses["mix"]["done"];
        QVERIFY(done < 8);
        QCOMPARE(analyseAll(store, embedders(0, false), 2).tracksTotal, int(8 - done));
        QCOMPARE(store->summary().analyses["mix"]["done"], int64_t(8));
    }
};

QTEST_APPLESS_MAIN(LibraryAnalysisTest)
#include "tst_library_analysis.moc"
