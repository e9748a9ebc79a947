#include <QtTest>

#include <fstream>

#include <sqlite3.h>

#include "util/ContentHash.h"
#include "library/LibraryStore.h"
#include "library/Schema.h"
#include "library/Sqlite.h"

using namespace stemscope;

namespace {
Matrix rows(std::initializer_list<std::initializer_list<float>> r)
{
    Matrix m(int(r.size()), int(r.begin()->size()));
    int i = 0;
    for (const auto& row : r) {
        int j = 0;
        for (float v : row) m(i, j++) = v;
        ++i;
    }
    return m;
}
std::string pragma(const std::string& db, const std::string& p)
{
    sql::Database d(db, sql::Database::Mode::ReadWrite);
    sql::Statement s(d, "PRAGMA " + p);
    return s.step() ? s.text(0) : "";
}
}  // namespace

class LibraryStoreTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void contentHashIsStableAndStreamable()
    {
        std::string data(100003, '\0');
        for (size_t i = 0; i < data.size(); ++i) data[i] = char((i * 7919u) >> 3);
        const uint64_t whole = contentHash(data.data(), data.size());
        ContentHasher h;
        for (size_t pos = 0, step = 1; pos < data.size(); pos += step, step = step * 3 % 1000 + 1)
            h.update(data.data() + pos, std::min(step, data.size() - pos));
        QCOMPARE(h.digest(), whole);
        std::string other = data;
        other[50000] ^= 1;
        QVERIFY(contentHash(other.data(), other.size()) != whole);
        QVERIFY(contentHash("", 0) != contentHash("\0", 1));
        QCOMPARE(hashToHex(contentHash("abc", 3)).size(), size_t(16));
        // Fixed value: the hash is stored in libraries, it must never change across versions.
        QCOMPARE(hashToHex(contentHash("stemscope", 9)), std::string("82fae4d28f58c58a"));
        QCOMPARE(hashToHex(contentHash("0123456789abcdef0123456789abcdef0123456789", 42)), std::string("984b48dceb427abd"));
    }

    void freshLibraryHasLatestSchemaWalAndForeignKeys()
    {
        QTemporaryDir dir;
        const auto path = dir.filePath("lib.sqlite").toStdString();
        {
            LibraryStore store(path);
            QCOMPARE(store.schemaVersion(), latestSchemaVersion());
        }
        QCOMPARE(pragma(path, "journal_mode"), std::string("wal"));
        LibraryStore again(path);  // reopening is a no-op migration
        QCOMPARE(again.schemaVersion(), latestSchemaVersion());
    }

    void oldSchemaIsMigratedNewerIsRefused()
    {
        QTemporaryDir dir;
        const auto path = dir.filePath("old.sqlite").toStdString();
        {
            sql::Database d(path, sql::Database::Mode::ReadWriteCreate);
            d.exec(libraryMigrations()[0]);
            d.setUserVersion(1);
            d.exec("INSERT INTO tracks(path, content_hash) VALUES('/a.wav', 'ff')");
        }
        {
            LibraryStore store(path);
            QCOMPARE(store.schemaVersion(), latestSchemaVersion());
            QCOMPARE(int(store.tracks().size()), 1);
            store.addImportRoot("/music");  // a v2 table
            QCOMPARE(store.importRoots().size(), size_t(1));
        }
        {
            sql::Database d(path, sql::Database::Mode::ReadWrite);
            d.setUserVersion(latestSchemaVersion() + 1);
        }
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, LibraryStore{path});
    }

    void someOtherProgramsDatabaseIsLeftAlone()
    {
        QTemporaryDir dir;
        const auto path = dir.filePath("places.sqlite").toStdString();
        {
            sql::Database d(path, sql::Database::Mode::ReadWriteCreate);
            d.exec("CREATE TABLE moz_places(id INTEGER PRIMARY KEY, url TEXT)");
        }
        for (auto access : {LibraryStore::Access::ReadWrite, LibraryStore::Access::ReadOnly}) {
            try {
                LibraryStore store(path, access);
                QFAIL("opened another program's database as a library");
            } catch (const std::runtime_error& e) {
                QCOMPARE(std::string(e.what()), "'" + path + "' is not a Stemscope library: an SQLite database with tables of its own (moz_places), left as it was");
            }
        }
        sql::Database d(path, sql::Database::Mode::ReadOnly);
        sql::Statement s(d, "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'");
        QVERIFY(s.step());
        QCOMPARE(s.text(0), std::string("moz_places"));  // none of ours added
        QCOMPARE(d.userVersion(), 0);

        // An empty file, read-only: not "schema version 0".
        const auto empty = dir.filePath("empty.sqlite").toStdString();
        { std::ofstream(empty, std::ios::binary); }
        try {
            LibraryStore store(empty, LibraryStore::Access::ReadOnly);
            QFAIL("an empty file opened read-only as a library");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::string(e.what()).find("is not a Stemscope library yet (an empty database") != std::string::npos, e.what());
        }
    }

    // Weighted (a mix model's block lengths): the stored centroid leans to the heavier row; the rows stay.
    void weightedCentroidIsStored()
    {
        QTemporaryDir dir;
        LibraryStore store(dir.filePath("lib.sqlite").toStdString());
        TrackRecord t;
        t.path = "/a.flac", t.contentHash = "0123";
        const auto id = store.insertTrack(t);
        const Matrix v = rows({{1, 0, 0}, {0, 1, 0}});
        store.saveAnalysis(id, Focus::Piano, "m1", "mix", v, {0.0, 1.5}, {3.f, 1.f});
        const auto a = store.analysis(id, Focus::Piano, "m1");
        QVERIFY(std::abs(a->centroid[0] - float(3 / std::sqrt(10.0))) < 1e-6);
        QVERIFY(std::abs(a->centroid[1] - float(1 / std::sqrt(10.0))) < 1e-6);
        QCOMPARE(store.segments(id, Focus::Piano, "m1").vectors.data, v.data);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.saveAnalysis(id, Focus::Piano, "m1", "mix", v, {0.0, 1.5}, {1.f}));
    }

    void tracksAnalysesAndSegmentsRoundTrip()
    {
        QTemporaryDir dir;
        LibraryStore store(dir.filePath("lib.sqlite").toStdString());
        TrackRecord t;
        t.path = "/música/ünïcødé 曲.flac";
        t.contentHash = "0123456789abcdef";
        t.duration = 12.5;
        const auto id = store.insertTrack(t);
        QCOMPARE(store.trackByPath(t.path)->id, id);
        QCOMPARE(store.tracksByHash(t.contentHash).size(), size_t(1));
        QVERIFY_THROWS_EXCEPTION(sql::SqliteError, store.insertTrack(t));  // path is unique

        store.setTrackTags(id, R"({"genre":"jazz"})");
        QCOMPARE(store.track(id)->tags, std::string(R"({"genre":"jazz"})"));

        const Matrix v = rows({{1, 0, 0}, {0, 1, 0}});
        store.saveAnalysis(id, Focus::Drums, "m1", "corpus-stem", v, {0.0, 1.5});
        auto a = store.analysis(id, Focus::Drums, "m1");
        QVERIFY(a);
        QCOMPARE(a->segmentCount, 2);
        QCOMPARE(a->status, std::string("done"));
        QCOMPARE(a->centroid.size(), size_t(3));
        QVERIFY(std::abs(a->centroid[0] - float(1 / std::sqrt(2.0))) < 1e-6);
        const auto seg = store.segments(id, Focus::Drums, "m1");
        QCOMPARE(seg.vectors.data, v.data);
        QCOMPARE(seg.startSeconds, (std::vector<double>{0.0, 1.5}));

        // Saving again replaces, never duplicates.
        store.saveAnalysis(id, Focus::Drums, "m1", "corpus-stem", rows({{0, 0, 1}}), {3.0});
        QCOMPARE(store.segments(id, Focus::Drums, "m1").vectors.rows, 1);
        store.saveAnalysisOutcome(id, Focus::Bass, "m1", analysis_status::kSkipped, "no stems");
        QCOMPARE(store.analyses(id).size(), size_t(2));

        const auto focus = store.loadFocus(Focus::Drums, "m1");
        QCOMPARE(focus.trackIds, std::vector<int64_t>{id});
        QCOMPARE(focus.segments.rows, 1);
        QVERIFY(store.checkConsistency().empty());

        // Foreign keys cascade: deleting analyses removes their segments.
        store.deleteAnalyses(id);
        QCOMPARE(store.summary().segments, int64_t(0));

        store.setStem(id, "drums", "/x/drums.wav", "corpus");
        QCOMPARE(store.stems(id).at("drums"), std::string("/x/drums.wav"));
        store.registerModel("m1", Focus::Drums, "models/drums/m1.pt", 3);
        QCOMPARE(store.models(Focus::Drums), std::vector<std::string>{"m1"});
        const auto session = store.startListeningSession("abx", "drums", "m1", "tester");
        store.addListeningAnswer(session, id, id, id, "A", "A", 1234);
        store.finishListeningSession(session);
        QCOMPARE(store.listeningAnswerCount(session), int64_t(1));
        const auto run = store.startTrainingRun(Focus::Drums, "m1", R"({"epochs":3})");
        store.finishTrainingRun(run, "done", "m2", R"({"loss":0.1})");
        QCOMPARE(store.summary().tracksByStatus.at("new"), int64_t(1));
    }

    void readOnlyLibraryRefusesWrites()
    {
        QTemporaryDir dir;
        const auto path = dir.filePath("lib.sqlite").toStdString();
        {
            LibraryStore store(path);
            TrackRecord t;
            t.path = "/a.wav";
            t.contentHash = "aa";
            store.insertTrack(t);
        }
        LibraryStore ro(path, LibraryStore::Access::ReadOnly);
        QVERIFY(ro.readOnly());
        QCOMPARE(ro.tracks().size(), size_t(1));
        TrackRecord t;
        t.path = "/b.wav";
        t.contentHash = "bb";
        try {
            ro.insertTrack(t);
            QFAIL("write to a read-only library succeeded");
        } catch (const sql::SqliteError& e) {
            QVERIFY2(e.readOnly(), e.what());
        }
    }
};

QTEST_APPLESS_MAIN(LibraryStoreTest)
#include "tst_library_store.moc"
