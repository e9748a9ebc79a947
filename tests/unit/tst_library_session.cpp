// The library facade both front ends use (core/session/LibrarySession), with a fake embedder
// factory: model resolution (installed, stored-but-not-installed, pinned), model registration by
// the analysis writer, queries and their messages, and where models are looked for.
#include <QtTest>

#include <set>

#include <cstdlib>
#include <filesystem>

#include "LibraryFixtures.h"
#include "ScaleSeparator.h"
#include "TestEmbedder.h"
#include "analysis/EmbedderRegistry.h"
#include "analysis/ModelsRoot.h"
#include "audio/AudioDecoder.h"
#include "jobs/JobEngine.h"
#include "library/TrackMetadata.h"
#include "session/LibrarySession.h"

#include <chrono>
#include <fstream>
#include <thread>
#include <taglib/fileref.h>
#include <taglib/tag.h>

using namespace stemscope;
namespace fs = std::filesystem;

namespace {

// Models folder with a folder per listed focus; the factory's model id carries `version`.
void installModels(const std::string& root, std::initializer_list<Focus> focuses, const std::string& version)
{
    fs::remove_all(fs::u8path(root));
    for (Focus f : focuses) fs::create_directories(fs::u8path(root) / focusName(f));
    setEmbedderFactory([version](Focus f, const std::string&) -> std::shared_ptr<const Embedder> {
        return std::make_shared<test::TestEmbedder>(std::string("fake-") + focusName(f) + ":" + version, 16, 32, 129,
                                                    7u + unsigned(f));
    });
}

void analyse(LibrarySession& session)
{
    JobEngine engine(2);
    const auto batch = session.submitAnalysis(engine, {});
    QVERIFY(!batch.jobs.empty());
    engine.waitAll();
    session.invalidate();
}

}  // namespace

class TestLibrarySession : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string root(const char* sub) const { return test::u8(dir_.filePath(sub)); }

private Q_SLOTS:
    void initTestCase()
    {
        fs::create_directories(fs::u8path(root("music")));
        for (int i = 0; i < 4; ++i) test::writeVoice(root("music") + "/tone " + std::to_string(i) + ".wav", 110.0 * (i + 1));
        // One multitrack song, so the drums focus has a result without a separator.
        fs::create_directories(fs::u8path(root("music/song")));
        test::writeVoice(root("music/song") + "/mix.wav", 2000);
        int k = 0;
        for (const char* stem : {"drums", "bass", "piano", "guitar"}) test::writeVoice(root("music/song") + "/" + stem + ".wav", 80.0 + 90.0 * k++);
        qunsetenv("STEMSCOPE_MODELS");
    }

    void openModes()
    {
        QVERIFY_THROWS_EXCEPTION(SessionError, LibrarySession(root("none.sqlite"), LibraryStore::Access::ReadWrite,
                                                              LibrarySession::OpenMode::ExistingOnly));
        QVERIFY(!fs::exists(fs::u8path(root("none.sqlite"))));  // nothing created on the way
        { LibrarySession created(root("new.sqlite"), LibraryStore::Access::ReadWrite, LibrarySession::OpenMode::CreateNew); }
        try {
            LibrarySession again(root("new.sqlite"), LibraryStore::Access::ReadWrite, LibrarySession::OpenMode::CreateNew);
            QFAIL("created twice");
        } catch (const SessionError& e) {
            QVERIFY(QString(e.what()).contains("already exists"));
        }
        try {
            LibrarySession folder(root("music"));
            QFAIL("a folder opened as a library");
        } catch (const SessionError& e) {
            QVERIFY(QString(e.what()).contains("folder"));
        }
    }

    void analyseRegisterQuery()
    {
        installModels(root("models"), {Focus::Mix, Focus::Drums}, "v1");
        LibrarySession session(root("lib.sqlite"));
        session.loadInstalledModels(root("models"));
        QCOMPARE(int(session.embedders().size()), 2);
        QCOMPARE(int(session.modelProblems().size()), 4);  // bass, piano, guitar, style: no folder
        // Installed but nothing analysed: the installed model, without results.
        FocusModel m = session.modelFor(Focus::Mix);
        QCOMPARE(m.modelId, std::string("fake-mix:v1"));
        QVERIFY(m.installed && !m.hasResults);
        try {
            session.neighbours(1, Focus::Mix, 3);
            QFAIL("neighbours without analyses");
        } catch (const SessionError& e) {
            QVERIFY(QString(e.what()).contains("No mix model has analysed"));
        }

        JobEngine engine(1);
        ImportReport report;
        engine.wait(session.submitImport(engine, {root("music")}, [&](const ImportReport& r) { report = r; }));
        QCOMPARE(report.added, 5);
        analyse(session);
        // The analysis writer registered the models it used.
        QCOMPARE(session.store()->models(Focus::Mix), std::vector<std::string>{"fake-mix:v1"});
        QCOMPARE(session.store()->models(Focus::Drums), std::vector<std::string>{"fake-drums:v1"});
        QVERIFY(session.store()->models(Focus::Bass).empty());

        m = session.modelFor(Focus::Mix);
        QVERIFY(m.installed && m.hasResults);
        const int64_t first = session.resolveTrack(root("music") + "/tone 0.wav");
        const auto n = session.neighbours(first, Focus::Mix, 10);
        QCOMPARE(int(n.size()), 4);
        for (size_t i = 1; i < n.size(); ++i) QVERIFY(n[i - 1].distance <= n[i].distance);
        QCOMPARE(n.front().trackId, session.resolveTrack(root("music") + "/tone 1.wav"));  // nearest pitch
        QCOMPARE(session.resolveTrack(std::to_string(first)), first);
        QVERIFY_THROWS_EXCEPTION(SessionError, session.resolveTrack("no such track"));

        // Heatmap: symmetric, zero diagonal, rows in the order asked for.
        const auto all = session.centroidDistances(Focus::Mix, {}, 100);
        QCOMPARE(int(all.trackIds.size()), 5);
        QCOMPARE(all.values[0], 0.f);
        QVERIFY(std::abs(all.values[1] - all.values[5]) < 1e-6f);
        const auto two = session.centroidDistances(Focus::Mix, {all.trackIds[3], all.trackIds[0], 999}, 100);
        QCOMPARE(two.trackIds, (std::vector<int64_t>{all.trackIds[3], all.trackIds[0]}));
        QVERIFY(std::abs(two.values[1] - all.values[3 * 5 + 0]) < 1e-6f);
        // A neighbour's plain cosine distance is the heatmap's distance; the list is ranked by its
        // hubness-corrected distance, which is never larger (it subtracts mean neighbour distances).
        const auto row = std::find(all.trackIds.begin(), all.trackIds.end(), n.front().trackId) - all.trackIds.begin();
        const auto q = std::find(all.trackIds.begin(), all.trackIds.end(), first) - all.trackIds.begin();
        QVERIFY(std::abs(all.values[size_t(q * 5 + row)] - n.front().cosineDistance) < 1e-5f);
        QVERIFY(n.front().distance <= n.front().cosineDistance);
        // Plain cosine ranking on request: then the list's distance is the heatmap's.
        session.setTrackRanking(TrackRanking{0});
        for (const auto& p : session.neighbours(first, Focus::Mix, 10)) {
            const auto col = std::find(all.trackIds.begin(), all.trackIds.end(), p.trackId) - all.trackIds.begin();
            QVERIFY(std::abs(all.values[size_t(q * 5 + col)] - p.distance) < 1e-5f);
        }
        session.setTrackRanking({});

        const auto match = session.matchingSegment(first, -1, n.front().trackId, Focus::Mix);
        QVERIFY(match.found && match.distance >= -1e-5f);

        const auto map = session.segmentMap(Focus::Mix, 3000);
        QVERIFY(map.size() >= 8);
        for (const auto& p : map) QVERIFY(std::isfinite(p.x) && std::isfinite(p.y) && p.trackId > 0);
        const auto small = session.segmentMap(Focus::Mix, 6);
        QCOMPARE(int(small.size()), 6);
        QVERIFY(session.segmentMap(Focus::Mix, 3000, [] { return true; }).empty());  // cancelled

        // The track map: every track once (its centroid), with progress while it is computed, stored.
        std::vector<double> seen;
        const auto tracksMap = session.trackMap(Focus::Mix, {}, [&](double f) { seen.push_back(f); });
        QCOMPARE(int(tracksMap.size()), 5);
        std::set<int64_t> ids;
        for (const auto& p : tracksMap) {
            QCOMPARE(p.startSeconds, -1.0);
            QVERIFY(std::isfinite(p.x) && std::isfinite(p.y));
            ids.insert(p.trackId);
        }
        QCOMPARE(int(ids.size()), 5);
        QVERIFY(!seen.empty() && std::is_sorted(seen.begin(), seen.end()) && seen.back() == 1.0);
        QVERIFY(session.mapProvenance(Focus::Mix, MapLevel::Track).find("\"level\":\"track\"") != std::string::npos);
        std::vector<double> again;
        QCOMPARE(session.trackMap(Focus::Mix, {}, [&](double f) { again.push_back(f); }).size(), tracksMap.size());
        QVERIFY(again.empty());  // the stored map: nothing computed

        // One track's segments over the track map, in time order, each near the tracks it resembles;
        // the track map itself does not move.
        const auto overlay = session.trackSegmentsOnMap(Focus::Mix, first);
        const auto firstSegments = session.store()->segments(first, Focus::Mix, session.modelFor(Focus::Mix).modelId);
        QCOMPARE(int(overlay.size()), firstSegments.vectors.rows);
        double minX = 1e9, maxX = -1e9, minY = 1e9, maxY = -1e9;
        for (const auto& p : tracksMap)
            minX = std::min(minX, p.x), maxX = std::max(maxX, p.x), minY = std::min(minY, p.y), maxY = std::max(maxY, p.y);
        for (size_t i = 0; i < overlay.size(); ++i) {
            QCOMPARE(overlay[i].trackId, first);
            if (i) QVERIFY(overlay[i].startSeconds > overlay[i - 1].startSeconds);
            // Interpolated between mapped tracks: inside their bounding box.
            QVERIFY(overlay[i].x >= minX - 1e-3 && overlay[i].x <= maxX + 1e-3);
            QVERIFY(overlay[i].y >= minY - 1e-3 && overlay[i].y <= maxY + 1e-3);
        }
        QCOMPARE(session.trackMap(Focus::Mix).size(), tracksMap.size());
        QVERIFY_EXCEPTION_THROWN(session.trackSegmentsOnMap(Focus::Mix, 987654), SessionError);
        session.forgetMap(Focus::Mix);
        QVERIFY_EXCEPTION_THROWN(session.trackSegmentsOnMap(Focus::Mix, first), SessionError);  // no track map
    }

    void noNeighboursSaysWhy()
    {
        installModels(root("models"), {Focus::Mix, Focus::Drums}, "v1");
        fs::create_directories(fs::u8path(root("odd")));
        test::writeVoice(root("odd") + "/short.wav", 300, 1.0);
        test::writeVoice(root("odd") + "/ok.wav", 400);
        LibrarySession session(root("why.sqlite"));
        session.loadInstalledModels(root("models"));
        JobEngine engine(1);
        engine.wait(session.submitImport(engine, {root("odd"), root("music/song")}, [](const ImportReport&) {}));
        analyse(session);
        try {
            session.neighbours(session.resolveTrack(root("odd") + "/short.wav"), Focus::Mix, 3);
            QFAIL("neighbours of a track too short to analyse");
        } catch (const SessionError& e) {
            QCOMPARE(std::string(e.what()), std::string("This track could not be analysed: too short: 1.00 s is shorter than one 3 s segment"));
        }
        // No drums stem and no separator: the analysis' own reason, not a list of guesses.
        try {
            session.segmentNeighbours(session.resolveTrack(root("odd") + "/ok.wav"), Focus::Drums, 0.0, 3);
            QFAIL("drums neighbours of a track without a drums analysis");
        } catch (const SessionError& e) {
            QVERIFY2(QString(e.what()).startsWith("This track has no drums analysis: ") && !QString(e.what()).contains("queued"), e.what());
        }
    }

    void storedResultsOfUninstalledModel()
    {
        // The drums model is retrained (v2) and the mix model removed: the library still shows its
        // stored v1 results, says they are not from an installed model, and analysing switches over.
        installModels(root("models"), {Focus::Drums}, "v2");
        LibrarySession session(root("lib.sqlite"));
        session.loadInstalledModels(root("models"));
        FocusModel mix = session.modelFor(Focus::Mix), drums = session.modelFor(Focus::Drums);
        QCOMPARE(mix.modelId, std::string("fake-mix:v1"));
        QVERIFY(!mix.installed && mix.hasResults);
        QCOMPARE(drums.modelId, std::string("fake-drums:v1"));
        QVERIFY(!drums.installed && drums.hasResults);
        QVERIFY(QString::fromStdString(drums.describe(Focus::Drums)).contains("not installed"));
        const int64_t first = session.resolveTrack(root("music") + "/tone 0.wav");
        QCOMPARE(int(session.neighbours(first, Focus::Mix, 10).size()), 4);

        analyse(session);
        drums = session.modelFor(Focus::Drums);
        QCOMPARE(drums.modelId, std::string("fake-drums:v2"));
        QVERIFY(drums.installed && drums.hasResults);
        QCOMPARE(session.modelFor(Focus::Mix).modelId, std::string("fake-mix:v1"));  // untouched
        // --model: the old results on demand.
        session.pinModel(Focus::Drums, "fake-drums:v1");
        QCOMPARE(session.modelFor(Focus::Drums).modelId, std::string("fake-drums:v1"));
        QVERIFY(!session.modelFor(Focus::Drums).installed);
    }

    void corpusMixMetadata()
    {
        // A corpus song's mix takes its folder's name and meta.json's tags; only an audio file
        // named "mix" counts (the same rule as the stem lookup), so a stray "mix.txt" stays itself.
        const std::string song = root("corpus/Song Ä");
        fs::create_directories(fs::u8path(song));
        std::ofstream(fs::u8path(song + "/meta.json")) << R"({"tags": {"family": "funk", "key": "E", "tempo": 101.6}})";
        TrackRecord mix;
        mix.path = song + "/MIX.flac";
        const auto m = trackMetadata(mix);
        QCOMPARE(m.title, std::string("Song Ä"));
        QCOMPARE(m.tags, (std::vector<std::string>{"funk", "E", "102 bpm"}));
        TrackRecord notes;
        notes.path = song + "/mix.txt";
        const auto n = trackMetadata(notes);
        QCOMPARE(n.title, std::string("mix"));
        QVERIFY(n.tags.empty());
    }

    void fileTagsAndExclusions()
    {
        // Tags written into the files (TagLib) are read at import and drive the exclusions.
        const std::string music = root("tagged");
        fs::create_directories(fs::u8path(music));
        struct Song { const char* name; double freq; const char* artist; const char* album; const char* genre; };
        const Song songs[] = {{"q", 220, "Ann", "First", "rock"},     {"same artist", 230, "ann", "Second", "pop"},
                              {"same album", 240, "Bob", "First", "pop"}, {"jazz", 250, "Cy", "Third", "Jazz"},
                              {"other", 900, "Di", "Fourth", "pop"}};
        for (const auto& song : songs) {
            const std::string path = music + "/" + song.name + ".wav";
            test::writeVoice(path, song.freq);
            TagLib::FileRef f(path.c_str());
            QVERIFY(!f.isNull() && f.tag());
            f.tag()->setTitle(TagLib::String(std::string("Title ") + song.name, TagLib::String::UTF8));
            f.tag()->setArtist(song.artist);
            f.tag()->setAlbum(song.album);
            f.tag()->setGenre(song.genre);
            QVERIFY(f.save());
        }
        installModels(root("models"), {Focus::Mix}, "v1");
        LibrarySession session(root("tagged.sqlite"));
        session.loadInstalledModels(root("models"));
        JobEngine engine(1);
        engine.wait(session.submitImport(engine, {music}));
        const int64_t q = session.resolveTrack(music + "/q.wav");
        const TrackMetadata meta = trackMetadata(*session.store()->track(q));
        QCOMPARE(meta.title, std::string("Title q"));
        QCOMPARE(meta.artist, std::string("Ann"));
        QCOMPARE(meta.album, std::string("First"));
        QCOMPARE(meta.tags, std::vector<std::string>{"rock"});
        analyse(session);

        auto names = [&](const std::vector<TrackNeighbour>& hits) {
            std::vector<std::string> out;
            for (const auto& h : hits) out.push_back(trackMetadata(*session.store()->track(h.trackId)).title);
            return out;
        };
        QCOMPARE(int(session.neighbours(q, Focus::Mix, 10).size()), 4);
        NeighbourExclusions ex;
        ex.sameArtist = true;  // case-insensitive: "ann" is Ann
        auto hits = names(session.neighbours(q, Focus::Mix, 10, ex));
        QCOMPARE(hits.size(), size_t(3));
        QVERIFY(std::find(hits.begin(), hits.end(), "Title same artist") == hits.end());
        ex.sameAlbum = true;
        ex.hiddenTags = {"JAZZ"};
        hits = names(session.neighbours(q, Focus::Mix, 10, ex));
        QCOMPARE(hits, std::vector<std::string>{"Title other"});
        // k is filled from further down the list when exclusions remove the nearest.
        QCOMPARE(int(session.neighbours(q, Focus::Mix, 1, ex).size()), 1);

        // The query and its neighbours as a playlist.
        const std::string list = root("tagged.m3u8");
        std::vector<int64_t> ids{q};
        for (const auto& h : session.neighbours(q, Focus::Mix, 10)) ids.push_back(h.trackId);
        session.exportPlaylist(list, "mix neighbours", ids);
        std::ifstream in(list);
        std::string first, second, third;
        std::getline(in, first);
        std::getline(in, second);
        std::getline(in, third);
        QCOMPARE(first, std::string("#EXTM3U"));
        QCOMPARE(third, std::string("#EXTINF:8,Ann - Title q"));
        QVERIFY_THROWS_EXCEPTION(SessionError, session.exportPlaylist(root("tagged.txt"), "x", ids));
    }

    void mapsAreStoredAndGrowIncrementally()
    {
        const std::string music = root("maps");
        fs::create_directories(fs::u8path(music));
        for (int i = 0; i < 8; ++i) test::writeVoice(music + "/m" + std::to_string(i) + ".wav", 120.0 * (i + 1));
        installModels(root("models"), {Focus::Mix}, "v1");
        std::vector<SegmentMapPoint> first;
        std::string provenance;
        {
            LibrarySession session(root("maps.sqlite"));
            session.loadInstalledModels(root("models"));
            JobEngine engine(1);
            engine.wait(session.submitImport(engine, {music}));
            analyse(session);
            QVERIFY(session.mapProvenance(Focus::Mix).empty());
            first = session.segmentMap(Focus::Mix, 3000);
            provenance = session.mapProvenance(Focus::Mix);
            QVERIFY2(QString::fromStdString(provenance).contains("\"seed\":42"), provenance.c_str());
            QVERIFY(QString::fromStdString(provenance).contains("t-SNE"));
        }
        auto same = [](const std::vector<SegmentMapPoint>& a, const std::vector<SegmentMapPoint>& b) {
            if (a.size() != b.size()) return false;
            for (size_t i = 0; i < a.size(); ++i)
                if (a[i].trackId != b[i].trackId || a[i].startSeconds != b[i].startSeconds || std::abs(a[i].x - b[i].x) > 1e-4 ||
                    std::abs(a[i].y - b[i].y) > 1e-4)
                    return false;
            return true;
        };
        // Reopened: the stored map, as it was (no recomputation: t-SNE is not rerun).
        LibrarySession session(root("maps.sqlite"));
        session.loadInstalledModels(root("models"));
        QVERIFY(same(session.segmentMap(Focus::Mix, 3000), first));
        QCOMPARE(session.mapProvenance(Focus::Mix), provenance);
        // One new track: placed into the map, every old point where it was.
        test::writeVoice(music + "/new.wav", 555.0);
        JobEngine engine(1);
        engine.wait(session.submitImport(engine, {music}));
        analyse(session);
        const int64_t added = session.resolveTrack(music + "/new.wav");
        const auto grown = session.segmentMap(Focus::Mix, 3000);
        QVERIFY(grown.size() > first.size());
        QVERIFY(same(std::vector<SegmentMapPoint>(grown.begin(), grown.begin() + long(first.size())), first));
        for (size_t i = first.size(); i < grown.size(); ++i) {
            QCOMPARE(grown[i].trackId, added);
            QVERIFY(std::isfinite(grown[i].x) && std::isfinite(grown[i].y));
        }
        QVERIFY(QString::fromStdString(session.mapProvenance(Focus::Mix)).contains("\"placed_incrementally\":"));
        QVERIFY(!QString::fromStdString(session.mapProvenance(Focus::Mix)).contains("\"placed_incrementally\":0"));
        // Recompute on demand.
        session.forgetMap(Focus::Mix);
        QVERIFY(session.mapProvenance(Focus::Mix).empty());
        QCOMPARE(session.segmentMap(Focus::Mix, 3000).size(), grown.size());
        QVERIFY(QString::fromStdString(session.mapProvenance(Focus::Mix)).contains("\"placed_incrementally\":0"));
        QVERIFY(session.store()->checkConsistency().empty());
    }

    void exportStems()
    {
        auto sep = std::make_shared<test::ScaleSeparator>();
        installModels(root("models"), {Focus::Mix}, "v1");
        LibrarySession session(root("lib.sqlite"));  // tones and the multitrack song of the tests above
        JobEngine engine(1);
        const int64_t tone = session.resolveTrack(root("music") + "/tone 0.wav");
        std::vector<std::string> paths;
        QCOMPARE(engine.wait(session.submitStemExport(engine, tone, {"drums", "bass"}, root("export"),
                                                      [&](const std::vector<std::string>& p) { paths = p; }, sep)),
                 JobState::Done);
        QCOMPARE(paths, (std::vector<std::string>{root("export") + "/tone 0 - drums.flac", root("export") + "/tone 0 - bass.flac"}));
        const auto mix = defaultAudioDecoder()->decodeMono(root("music") + "/tone 0.wav");
        const auto drums = defaultAudioDecoder()->decodeMono(paths[0]);
        QCOMPARE(drums.samples.size(), mix.samples.size());
        double worst = 0;
        for (size_t i = 0; i < mix.samples.size(); ++i) worst = std::max(worst, double(std::abs(drums.samples[i] - 0.1f * mix.samples[i])));
        QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));  // 24-bit FLAC of the separated stem

        // A multitrack song's own stem files are exported as they are (no separation).
        const int64_t song = session.resolveTrack(root("music/song") + "/mix.wav");
        sep->delayMs = 100000;  // would time the test out if it were called
        QCOMPARE(engine.wait(session.submitStemExport(engine, song, {"bass"}, root("export"), {}, sep)), JobState::Done);
        const auto own = defaultAudioDecoder()->decodeMono(root("music/song") + "/bass.wav");
        const auto exported = defaultAudioDecoder()->decodeMono(root("export") + "/song - bass.flac");
        QCOMPARE(exported.samples.size(), own.samples.size());
        sep->delayMs = 0;

        // Cancelled mid-way: no partial files.
        sep->delayMs = 300;
        const JobId id = session.submitStemExport(engine, tone, {}, root("cancelled"), {}, sep);
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        engine.cancel(id);
        QCOMPARE(engine.wait(id), JobState::Cancelled);
        QVERIFY(fs::is_empty(fs::u8path(root("cancelled"))));
        QVERIFY_THROWS_EXCEPTION(SessionError, session.submitStemExport(engine, 99999, {}, root("export"), {}, sep));
    }

    void removeTracksKeepsTheFilesAndDropsWhatWasDerived()
    {
        const std::string music = root("removal");
        fs::create_directories(fs::u8path(music));
        for (int i = 0; i < 6; ++i) test::writeVoice(music + "/r" + std::to_string(i) + ".wav", 150.0 * (i + 1));
        test::writeVoice(music + "/own-drums.wav", 80.0);  // stands for a user's own stem file
        installModels(root("models"), {Focus::Mix}, "v1");
        const std::string lib = root("removal.sqlite");
        LibrarySession session(lib);
        session.loadInstalledModels(root("models"));
        JobEngine engine(1);
        engine.wait(session.submitImport(engine, {music + "/r0.wav", music + "/r1.wav", music + "/r2.wav", music + "/r3.wav",
                                                  music + "/r4.wav", music + "/r5.wav"}));
        analyse(session);
        const int64_t gone = session.resolveTrack(music + "/r0.wav"), kept = session.resolveTrack(music + "/r1.wav");
        // A stem the separator cached for it (inside the library's stem cache) and a user's stem file.
        const fs::path cached = fs::u8path(lib + ".stems") / std::to_string(gone) / "drums.flac";
        fs::create_directories(cached.parent_path());
        fs::copy_file(fs::u8path(music + "/r0.wav"), cached);
        session.store()->setStem(gone, "drums", cached.u8string(), "separator", "sep:1");
        session.store()->setStem(gone, "bass", music + "/own-drums.wav", "separator", "sep:1");  // outside the cache
        QCOMPARE(int(session.trackMap(Focus::Mix).size()), 6);

        QCOMPARE(session.removeTracks({gone, 424242}), 1);
        QVERIFY(!session.store()->track(gone));
        QVERIFY(session.store()->track(kept));
        QVERIFY(fs::exists(fs::u8path(music + "/r0.wav")));        // the audio file stays
        QVERIFY(!fs::exists(cached));                               // the cached separator output goes
        QVERIFY(!fs::exists(cached.parent_path()));
        QVERIFY(fs::exists(fs::u8path(music + "/own-drums.wav")));  // a file outside the cache is never deleted
        QVERIFY(session.store()->stemFiles(gone).empty());
        QVERIFY(session.store()->segments(gone, Focus::Mix, session.modelFor(Focus::Mix).modelId).vectors.rows == 0);
        // The stored map lost its point and is still the stored one (not recomputed).
        const auto provenance = session.mapProvenance(Focus::Mix, MapLevel::Track);
        const auto map = session.trackMap(Focus::Mix);
        QCOMPARE(int(map.size()), 5);
        for (const auto& p : map) QVERIFY(p.trackId != gone);
        QCOMPARE(session.mapProvenance(Focus::Mix, MapLevel::Track), provenance);
        for (const auto& n : session.neighbours(kept, Focus::Mix, 10)) QVERIFY(n.trackId != gone);
        QCOMPARE(int(session.neighbours(kept, Focus::Mix, 10).size()), 4);
        QCOMPARE(session.removeTracks({gone}), 0);
        QVERIFY(session.store()->checkConsistency().empty());

        // Analysing chosen tracks again: only those get jobs, even with everything done already.
        AnalysisOptions again = session.defaultAnalysisOptions();
        again.redo = true;
        again.tracks = {kept};
        JobEngine one(1);
        const auto batch = session.submitAnalysis(one, again);
        QCOMPARE(int(batch.jobs.size()), 1);
        one.waitAll();
        QCOMPARE(session.store()->track(kept)->status, std::string(track_status::kAnalysed));
    }

    void noModelsSaysWhereItLooked()
    {
        installModels(root("empty-models"), {}, "v1");
        LibrarySession session(root("lib.sqlite"));
        session.loadInstalledModels(root("empty-models"));
        QVERIFY(session.embedders().empty());
        QVERIFY(QString::fromStdString(session.modelsDescription()).contains(dir_.filePath("empty-models")));
        JobEngine engine(1);
        try {
            session.submitAnalysis(engine, {});
            QFAIL("analysed without models");
        } catch (const SessionError& e) {
            QVERIFY(QString(e.what()).contains("no models found"));
        }
    }

    void modelsRootOrder()
    {
        // $STEMSCOPE_MODELS alone when set, even if empty of models (an explicit choice).
        qputenv("STEMSCOPE_MODELS", dir_.filePath("empty-models").toUtf8());
        ModelsRootSearch s = findModelsRoot();
        QCOMPARE(s.root, root("empty-models"));
        QVERIFY(!s.found);
        QCOMPARE(int(s.searched.size()), 1);
        QVERIFY(QString::fromStdString(s.describe()).contains("STEMSCOPE_MODELS"));
        qunsetenv("STEMSCOPE_MODELS");
        // Otherwise next to the executable first, then the source tree.
        s = findModelsRoot();
        QVERIFY(s.searched.size() >= 2);
        QCOMPARE(s.searched.front(), (fs::u8path(executableDir()).parent_path() / "share/stemscope/models").lexically_normal().u8string());
        QCOMPARE(s.searched.back(), std::string(STEMSCOPE_SOURCE_DIR) + "/models");
        QVERIFY(s.found);  // the source tree's shipped models
        QVERIFY(holdsModels(std::string(STEMSCOPE_SOURCE_DIR) + "/models"));
        QVERIFY(!holdsModels(root("music")));
    }
};

QTEST_GUILESS_MAIN(TestLibrarySession)
#include "tst_library_session.moc"
