#include <QtTest>

#include <algorithm>
#include <filesystem>

#include <unistd.h>

#include "LibraryFixtures.h"
#include "ListeningFixtures.h"
#include "audio/AudioDecoder.h"
#include "jobs/JobEngine.h"
#include "library/LibraryStore.h"
#include "library/Sqlite.h"
#include "library/TrackImporter.h"

using namespace stemscope;
namespace fs = std::filesystem;

namespace {
std::string statusOf(LibraryStore& s, const std::string& path)
{
    auto t = s.trackByPath(fs::weakly_canonical(fs::u8path(path)).u8string());
    return t ? t->status : "<absent>";
}
std::string errorOf(LibraryStore& s, const std::string& path)
{
    auto t = s.trackByPath(fs::weakly_canonical(fs::u8path(path)).u8string());
    return t ? t->error : "<absent>";
}
}  // namespace

class LibraryImportTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void importsAFolderTreeAsAJob()
    {
        QTemporaryDir dir;
        const auto root = test::u8(dir.path()) + "/music";
        fs::create_directories(fs::u8path(root + "/sub/deeper"));
        test::writeVoice(root + "/a.wav", 220);
        test::writeVoice(root + "/sub/b.flac", 330);
        test::writeVoice(root + "/sub/deeper/c.ogg", 440);
        test::writeBytes(root + "/notes.txt", "not audio, not an audio extension either");
        auto store = std::make_shared<LibraryStore>(test::u8(dir.path()) + "/lib.sqlite");
        JobEngine engine(2);
        ImportReport report;
        const auto id = submitImport(engine, store, {root}, [&](const ImportReport& r) { report = r; });
        QCOMPARE(engine.wait(id), JobState::Done);
        QCOMPARE(report.added, 3);
        QCOMPARE(report.failed, 0);
        QCOMPARE(int(store->tracks().size()), 3);
        const auto a = store->trackByPath(fs::weakly_canonical(fs::u8path(root + "/a.wav")).u8string());
        QVERIFY(a);
        QCOMPARE(a->status, std::string("new"));
        QCOMPARE(a->channels, 1);
        QVERIFY(std::abs(a->duration - 8.0) < 0.01);
        QCOMPARE(a->contentHash.size(), size_t(16));
    }

    void duplicatesMovesAndVanishedFiles()
    {
        QTemporaryDir dir;
        const auto root = test::u8(dir.path()) + "/music";
        fs::create_directories(fs::u8path(root + "/x"));
        test::writeVoice(root + "/a.wav", 220);
        test::writeVoice(root + "/b.wav", 330);
        test::writeVoice(root + "/c.wav", 440);
        LibraryStore store(test::u8(dir.path()) + "/lib.sqlite");
        TrackImporter importer(store, defaultAudioDecoder());
        QCOMPARE(importer.run({root}).added, 3);

        // Same content under another name: skipped as a duplicate.
        fs::copy_file(fs::u8path(root + "/a.wav"), fs::u8path(root + "/x/a copy.wav"));
        // b moves, c vanishes.
        const auto oldB = store.trackByPath(fs::weakly_canonical(fs::u8path(root + "/b.wav")).u8string())->id;
        fs::rename(fs::u8path(root + "/b.wav"), fs::u8path(root + "/x/b renamed.wav"));
        fs::remove(fs::u8path(root + "/c.wav"));
        const auto r = importer.run({root});
        QCOMPARE(r.added, 0);
        QCOMPARE(r.duplicates, 1);
        QCOMPARE(r.moved, 1);
        QCOMPARE(r.missing, 1);
        QCOMPARE(r.unchanged, 1);
        QCOMPARE(int(store.tracks().size()), 3);
        const auto b = store.trackByPath(fs::weakly_canonical(fs::u8path(root + "/x/b renamed.wav")).u8string());
        QVERIFY(b);
        QCOMPARE(b->id, oldB);
        QCOMPARE(statusOf(store, root + "/c.wav"), std::string("missing"));

        // A path named that does not exist is reported once, in notFound (front ends word it).
        const auto gone = importer.run({root + "/c.wav"});
        QCOMPARE(int(gone.notFound.size()), 1);
        QVERIFY(gone.messages.empty());

        // c comes back: no longer missing.
        test::writeVoice(root + "/c.wav", 440);
        importer.run({root});
        QCOMPARE(statusOf(store, root + "/c.wav"), std::string("new"));

        // Same path, new content: re-probed, marked for re-analysis.
        test::writeVoice(root + "/a.wav", 550, 5.0);
        const auto r3 = importer.run({root + "/a.wav"});
        QCOMPARE(r3.changed, 1);
        QVERIFY(std::abs(store.trackByPath(fs::weakly_canonical(fs::u8path(root + "/a.wav")).u8string())->duration - 5.0) <
                0.01);
    }

    void brokenFilesKeepResultsAndSayWhy()
    {
        QTemporaryDir dir;
        const auto root = test::u8(dir.path()) + "/music";
        fs::create_directories(fs::u8path(root));
        test::writeVoice(root + "/a.wav", 220);
        LibraryStore store(test::u8(dir.path()) + "/lib.sqlite");
        TrackImporter importer(store, defaultAudioDecoder());
        QCOMPARE(importer.run({root}).added, 1);
        const auto a = *store.trackByPath(fs::weakly_canonical(fs::u8path(root + "/a.wav")).u8string());
        store.saveAnalysis(a.id, Focus::Mix, "m", "mix", test::oneRow({1, 0, 0}), {0.0});
        store.setTrackStatus(a.id, "analysed");
        const auto original = test::readBytes(root + "/a.wav");

        // Overwritten by garbage: the earlier results stay, the track says why it is in error.
        test::writeBytes(root + "/a.wav", "garbage\n");
        const auto r = importer.run({root});
        QCOMPARE(r.failed, 1);
        QCOMPARE(r.changed, 0);
        QCOMPARE(int(store.analyses(a.id).size()), 1);
        QCOMPARE(statusOf(store, root + "/a.wav"), std::string("error"));
        QVERIFY2(errorOf(store, root + "/a.wav").rfind("content changed and cannot be read: not a recognised audio file: ", 0) == 0,
                 errorOf(store, root + "/a.wav").c_str());
        // Emptied: the same.
        test::writeBytes(root + "/a.wav", "");
        importer.run({root});
        QCOMPARE(int(store.analyses(a.id).size()), 1);
        QVERIFY(errorOf(store, root + "/a.wav").find("file is empty") != std::string::npos);

        // Back as it was: no longer in error, nothing to redo.
        test::writeBytes(root + "/a.wav", original);
        QCOMPARE(importer.run({root}).unchanged, 1);
        QCOMPARE(statusOf(store, root + "/a.wav"), std::string("new"));
        QCOMPARE(int(store.analyses(a.id).size()), 1);

        // Empty files are not copies of each other; a copy of a broken file names the problem.
        test::writeBytes(root + "/empty.flac", "");
        test::writeBytes(root + "/empty.mp3", "");
        test::writeBytes(root + "/text.flac", "text\n");
        test::writeBytes(root + "/text.wav", "text\n");
        const auto r2 = importer.run({root});
        QCOMPARE(r2.added, 3);
        QCOMPARE(r2.duplicates, 1);
        for (const char* bad : {"empty.flac", "empty.mp3", "text.flac"}) QCOMPARE(statusOf(store, root + "/" + bad), std::string("error"));
        const std::string dirOf = fs::weakly_canonical(fs::u8path(root)).u8string();
        const std::string dupMessage = dirOf + "/text.wav: duplicate of " + dirOf + "/text.flac (which is in error: " +
                                       errorOf(store, root + "/text.flac") + "), skipped";
        QVERIFY2(std::find(r2.messages.begin(), r2.messages.end(), dupMessage) != r2.messages.end(), dupMessage.c_str());
    }

    void corpusFolderIsOneTrackWithStems()
    {
        QTemporaryDir dir;
        const auto song = test::u8(dir.path()) + "/corpus/song 1";
        fs::create_directories(fs::u8path(song));
        test::writeVoice(song + "/mix.wav", 220);
        test::writeVoice(song + "/drums.wav", 110);
        test::writeVoice(song + "/bass.wav", 55);
        test::writeVoice(song + "/piano.flac", 440);
        test::writeVoice(song + "/other.wav", 330); // the corpus' fifth stem: not a track either
        // A lone "drums.wav" without a mix next to it is an ordinary track.
        fs::create_directories(fs::u8path(test::u8(dir.path()) + "/corpus/loose"));
        test::writeVoice(test::u8(dir.path()) + "/corpus/loose/drums.wav", 120);
        LibraryStore store(test::u8(dir.path()) + "/lib.sqlite");
        TrackImporter importer(store, defaultAudioDecoder());
        const auto r = importer.run({test::u8(dir.path()) + "/corpus"});
        QCOMPARE(r.added, 2);
        const auto mix = store.trackByPath(fs::weakly_canonical(fs::u8path(song + "/mix.wav")).u8string());
        QVERIFY(mix);
        const auto stems = store.stems(mix->id);
        QCOMPARE(int(stems.size()), 4);
        QVERIFY(stems.count("drums") && stems.count("bass") && stems.count("piano") && stems.count("other"));
    }

    void badInputZooRecordsPerTrackErrors()
    {
        QTemporaryDir dir;
        const auto root = test::u8(dir.path()) + "/zoo";
        fs::create_directories(fs::u8path(root));
        test::writeVoice(root + "/good.wav", 220);
        test::writeVoice(root + "/truncated.ogg", 330, 20.0);  // long enough to keep complete pages
        test::truncateFile(root + "/truncated.ogg", 0.4);
        test::writeBytes(root + "/empty.wav", "");
        test::writeBytes(root + "/text.mp3", "This is a text file pretending to be an MP3.\n");
        test::writeVoice(root + "/8k.wav", 440, 8.0, 8000.0);
        test::writeVoice(root + "/192k.wav", 550, 4.0, 192000.0);
        test::writeVoice(root + "/6ch.wav", 660, 8.0, 22050.0, 6);
        test::writeSilentWav(root + "/hour of silence.wav", 3600.0, 8000);
        test::writeVoice(root + "/ünïcødé 曲 🎵.flac", 770);
        std::string noise(50000, '\0');
        for (size_t i = 0; i < noise.size(); ++i) noise[i] = char((i * 2654435761u) >> 13);
        noise[0] = char(0x12), noise[1] = char(0x34), noise[2] = char(0x56), noise[3] = char(0x78);
        test::writeBytes(root + "/noise.flac", noise);
        LibraryStore store(test::u8(dir.path()) + "/lib.sqlite");
        TrackImporter importer(store, defaultAudioDecoder());
        const auto r = importer.run({root});
        QCOMPARE(r.added, 10);
        QCOMPARE(r.failed, 3);
        for (const char* bad : {"noise.flac", "empty.wav", "text.mp3"}) QCOMPARE(statusOf(store, root + "/" + bad), std::string("error"));
        // Exact messages: what the problem is, not a decoder's guess.
        const std::string dirOf = fs::weakly_canonical(fs::u8path(root)).u8string();
        QCOMPARE(errorOf(store, root + "/empty.wav"), "file is empty: " + dirOf + "/empty.wav (0 bytes)");
        QCOMPARE(errorOf(store, root + "/noise.flac"),
                 "not a recognised audio file: " + dirOf + "/noise.flac (expected a FLAC stream ('fLaC' signature) from the "
                 "extension .flac, found bytes 12 34 56 78 " + test::hexBytes(noise.substr(4, 4)) +
                 ": no WAV/AIFF/FLAC/Ogg/MP3 stream found)");
        QVERIFY(errorOf(store, root + "/text.mp3").rfind("not a recognised audio file: " + dirOf + "/text.mp3 (expected MPEG audio frames from the extension .mp3, found bytes 54 68 69 73", 0) == 0);
        // Cut short: imported, analysed up to the damage later, and marked.
        QCOMPARE(statusOf(store, root + "/truncated.ogg"), std::string("new"));
        QVERIFY2(errorOf(store, root + "/truncated.ogg").rfind("partial: ", 0) == 0, errorOf(store, root + "/truncated.ogg").c_str());
        QVERIFY(errorOf(store, root + "/truncated.ogg").find(" s decoded (") != std::string::npos);
        for (const char* ok : {"good.wav", "8k.wav", "192k.wav", "6ch.wav", "hour of silence.wav", "ünïcødé 曲 🎵.flac"})
            QCOMPARE(statusOf(store, root + "/" + ok), std::string("new"));
        const auto six = store.trackByPath(fs::weakly_canonical(fs::u8path(root + "/6ch.wav")).u8string());
        QCOMPARE(six->channels, 6);
        const auto hour = store.trackByPath(fs::weakly_canonical(fs::u8path(root + "/hour of silence.wav")).u8string());
        QVERIFY(std::abs(hour->duration - 3600.0) < 0.01);
    }

    void readOnlyLibraryFailsCleanly()
    {
        QTemporaryDir dir;
        const auto db = test::u8(dir.path()) + "/lib.sqlite";
        { LibraryStore create(db); }
        test::writeVoice(test::u8(dir.path()) + "/a.wav", 220);
        // Tests run as root, where chmod does not stop writes: open with SQLITE_OPEN_READONLY.
        auto ro = std::make_shared<LibraryStore>(db, LibraryStore::Access::ReadOnly);
        JobEngine engine(1);
        const auto id = submitImport(engine, ro, {test::u8(dir.path()) + "/a.wav"});
        QCOMPARE(engine.wait(id), JobState::Failed);
        QVERIFY2(engine.info(id).error.find("readonly") != std::string::npos, engine.info(id).error.c_str());
        LibraryStore check(db);
        QCOMPARE(int(check.tracks().size()), 0);
        // And a chmod'ed file, where it does bite (non-root).
        if (::geteuid() != 0) {
            fs::permissions(fs::u8path(db), fs::perms::owner_read, fs::perm_options::replace);
            QVERIFY_THROWS_EXCEPTION(std::exception, [&] {
                LibraryStore s(db);
                TrackRecord t;
                t.path = "/x.wav";
                t.contentHash = "00";
                s.insertTrack(t);
            }());
        }
    }
};

QTEST_APPLESS_MAIN(LibraryImportTest)
#include "tst_library_import.moc"
