// Files replaced whole (util/AtomicFile): what readers see, what a failure leaves, two writers at once.
#include <QtTest>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "util/AtomicFile.h"

using namespace stemscope;
namespace fs = std::filesystem;

namespace {
std::string readAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}
int filesIn(const std::string& dir)
{
    int n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
    return n;
}
}  // namespace

class AtomicFileTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void writesTheBodyAndLeavesNoTemporary()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString(), path = dir + "/a.bin";
        writeFileAtomically(path, [](std::ostream& o) { o << "first"; });
        writeFileAtomically(path, [](std::ostream& o) { o << "second"; });
        QCOMPARE(readAll(path), std::string("second"));
        QCOMPARE(filesIn(dir), 1);
    }

    void aFailedWriteKeepsTheOldFile()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString(), path = dir + "/a.bin";
        writeFileAtomically(path, [](std::ostream& o) { o << "kept"; });
        // The body fails half way: the old file stays whole and the temporary is gone.
        QVERIFY_EXCEPTION_THROWN(writeFileAtomically(path,
                                                     [](std::ostream& o) {
                                                         o << "half";
                                                         throw std::runtime_error("disk gone");
                                                     }),
                                 std::runtime_error);
        QCOMPARE(readAll(path), std::string("kept"));
        QCOMPARE(filesIn(dir), 1);
        // A stream that goes bad (the disk is full) is a failure too, named after the file.
        try {
            writeFileAtomically(path, [](std::ostream& o) { o.setstate(std::ios::badbit); });
            QFAIL("a bad stream must throw");
        } catch (const std::runtime_error& e) {
            QVERIFY(std::string(e.what()).find(path) != std::string::npos);
        }
        QCOMPARE(readAll(path), std::string("kept"));
        QCOMPARE(filesIn(dir), 1);
    }

    void aMissingFolderIsNamed()
    {
        QTemporaryDir tmp;
        const std::string path = tmp.path().toStdString() + "/no/such/folder/a.bin";
        try {
            writeFileAtomically(path, [](std::ostream& o) { o << "x"; });
            QFAIL("a missing folder must throw");
        } catch (const std::runtime_error& e) {
            QVERIFY(std::string(e.what()).find(path) != std::string::npos);
        }
    }

    void twoWritersOfOnePathNeitherFailsNorMixes()
    {
        // Two trainings sharing a cache write the same file at once: every write succeeds and what
        // stays is one writer's whole file (a shared temporary name fails this: one rename finds
        // the file gone, or the two bodies interleave).
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString(), path = dir + "/shared.bin";
        const std::string a(1 << 16, 'a'), b(1 << 16, 'b');
        std::atomic<int> failures{0};
        auto writer = [&](const std::string& body) {
            for (int i = 0; i < 200; ++i) try {
                    writeFileAtomically(path, [&](std::ostream& o) { o << body; });
                } catch (const std::exception&) {
                    ++failures;
                }
        };
        std::thread ta(writer, a), tb(writer, b);
        ta.join();
        tb.join();
        QCOMPARE(failures.load(), 0);
        const std::string got = readAll(path);
        QVERIFY(got == a || got == b);
        QCOMPARE(filesIn(dir), 1);
    }
};

QTEST_APPLESS_MAIN(AtomicFileTest)
#include "tst_atomic_file.moc"
