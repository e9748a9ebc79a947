// The GUI's engine adapter end to end on a tiny library: import (job) -> automatic analysis
// (jobs, via the test embedder) -> tracks with per-focus state -> neighbours, heatmap distances,
// map points. Also checks that job signals arrive and that the follow-up chain does not deadlock.
#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "CoreLibraryBackend.h"
#include "FakeModels.h"
#include "TestEmbedder.h"
#include "analysis/EmbedderRegistry.h"
#include "audio/AudioDecoder.h"

using namespace stemscope;
using namespace stemscope::ui;

class TestCoreBackend : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<stemscope::ui::JobsPanel::Outcome>("stemscope::ui::JobsPanel::Outcome");
        QVERIFY(test::installFakeModels(dir_.path(), {Focus::Mix}, [](Focus f) {
            return std::make_shared<test::TestEmbedder>(std::string("test-") + focusName(f));
        }));
        QVERIFY(QDir(dir_.path()).mkpath("music"));
        const double freqs[] = {110, 220, 880, 1760};
        for (int k = 0; k < 4; ++k) {
            std::vector<float> s(22050 * 8);
            for (size_t i = 0; i < s.size(); ++i)
                s[i] = 0.3f * float(std::sin(2 * M_PI * freqs[k] * double(i) / 22050.0)) * (k % 2 ? 1.f : float(0.5 + 0.5 * std::sin(double(i) / 2000.0)));
            writeMonoAudio(dir_.filePath(QStringLiteral("music/tone%1.wav").arg(k)).toStdString(), s, 22050);
        }
    }

    void importAnalyseQuery()
    {
        CoreLibraryBackend b;
        QString error;
        QVERIFY2(b.open(dir_.filePath("lib.sqlite"), &error), qPrintable(error));
        QSignalSpy started(&b, &LibraryBackend::jobStarted);
        QSignalSpy finished(&b, &LibraryBackend::jobFinished);
        QVERIFY(b.importPaths({dir_.filePath("music")}, &error) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(b.activeJobs() == 0 && finished.count() >= 2, 50000);
        QCOMPARE(started.count(), 2); // import, then the analysis it chained
        for (const auto& f : finished) QCOMPARE(f.at(1).value<JobsPanel::Outcome>(), JobsPanel::Outcome::Done);

        const auto tracks = b.tracks();
        QCOMPARE(tracks.size(), 4);
        for (const auto& t : tracks) {
            QCOMPARE(t.analysis.value("mix"), AnalysisState::Done);
            QVERIFY(t.durationSeconds > 7.9);
        }
        QString message;
        const auto n = b.neighbours(tracks[0].id, "mix", 10, &message);
        QCOMPARE(n.size(), 3);
        for (int i = 1; i < n.size(); ++i) QVERIFY(n[i - 1].distance <= n[i].distance);
        for (const auto& r : n) QVERIFY(r.trackId != tracks[0].id && !r.title.isEmpty());
        QVERIFY(b.neighbours(tracks[0].id, "drums", 10, &message).isEmpty());
        QVERIFY(!message.isEmpty()); // no drums model: says why

        const DistanceMatrix m = b.distances("mix", 100);
        QCOMPARE(m.names.size(), 4);
        QCOMPARE(int(m.values.size()), 16);
        QCOMPARE(m.values[0], 0.f);
        QVERIFY(std::abs(m.values[1] - m.values[4]) < 1e-6f);

        // A selection: just those tracks, in the order asked, with the same distances.
        const DistanceMatrix sub = b.distancesOf("mix", {m.trackIds[2], m.trackIds[0], 999999});
        QCOMPARE(sub.trackIds, (QVector<qint64>{m.trackIds[2], m.trackIds[0]}));
        QCOMPARE(int(sub.values.size()), 4);
        QVERIFY(std::abs(sub.values[1] - m.values[2 * 4 + 0]) < 1e-6f);

        // The neighbour's matching 3 s segment, from the segment-level neighbours.
        const SegmentMatch best = b.matchingSegment(tracks[0].id, -1, n[0].trackId, "mix");
        QVERIFY2(best.found, qPrintable(best.message));
        QVERIFY(best.startSeconds >= 0 && best.startSeconds <= 8.0 - 3.0 + 1e-6);
        QVERIFY(best.queryStartSeconds >= 0 && best.distance >= -1e-4);
        const SegmentMatch at = b.matchingSegment(tracks[0].id, 3.1, n[0].trackId, "mix");
        QVERIFY2(at.found, qPrintable(at.message));
        QVERIFY(std::abs(at.queryStartSeconds - 3.0) < 0.8); // the query's segment nearest 3.1 s (hop 1.5 s)
        QVERIFY(at.distance >= best.distance - 1e-5f);        // the best pair is at least as close
        QVERIFY(!b.matchingSegment(tracks[0].id, -1, n[0].trackId, "drums").found);

        const auto pts = b.mapPoints("mix", LibraryBackend::MapLevel::Segments, [] { return false; }, &message);
        QVERIFY2(pts.size() >= 8, qPrintable(message));
        for (const auto& p : pts) QVERIFY(std::isfinite(p.x) && std::isfinite(p.y) && p.trackId > 0 && p.startSeconds >= 0);
        // The track map holds every track; four are too few for t-SNE, so they lie on their principal plane.
        const auto trackPts = b.mapPoints("mix", LibraryBackend::MapLevel::Tracks, {}, &message);
        QCOMPARE(trackPts.size(), 4);
        QSet<qint64> mapped;
        for (const auto& p : trackPts) {
            QVERIFY(std::isfinite(p.x) && std::isfinite(p.y));
            QCOMPARE(p.segment, -1);
            mapped.insert(p.trackId);
        }
        QCOMPARE(mapped.size(), 4);
        // A track's segments over that map: titled, numbered in time order, playable from their start.
        const auto overlay = b.trackSegmentsOnMap("mix", tracks[0].id, &message);
        QVERIFY2(overlay.size() >= 2, qPrintable(message));
        for (int i = 0; i < overlay.size(); ++i) {
            QCOMPARE(overlay[i].trackId, tracks[0].id);
            QCOMPARE(overlay[i].segment, i);
            QVERIFY(!overlay[i].track.isEmpty() && std::isfinite(overlay[i].x) && overlay[i].startSeconds >= 0);
            if (i) QVERIFY(overlay[i].startSeconds > overlay[i - 1].startSeconds);
        }
        message.clear();
        QVERIFY(b.trackSegmentsOnMap("drums", tracks[0].id, &message).isEmpty());  // nothing analysed there
        QVERIFY(!message.isEmpty());

        QVERIFY(b.playablePath(tracks[0].id, "drums").endsWith(".wav")); // no stem: the mix

        // Importing the same folder again: all unchanged, nothing new to analyse.
        finished.clear();
        QVERIFY(b.importPaths({dir_.filePath("music")}, &error) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(b.activeJobs() == 0 && finished.count() >= 2, 30000);
        QCOMPARE(b.tracks().size(), 4);

        // Removing a track: gone from the library (its file stays), back when its folder is added again.
        QSignalSpy changed(&b, &LibraryBackend::tracksChanged);
        const auto before = b.tracks();
        QCOMPARE(b.removeTracks({before[0].id, 987654}, &error), 1);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(b.tracks().size(), 3);
        QVERIFY(QFileInfo::exists(before[0].path));
        message.clear();
        QVERIFY(b.neighbours(before[0].id, "mix", 10, &message).isEmpty());
        finished.clear();
        QVERIFY(b.importPaths({dir_.filePath("music")}, &error) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(b.activeJobs() == 0 && finished.count() >= 2, 30000);
        QCOMPARE(b.tracks().size(), 4);
    }

    void rescanPicksUpNewAndVanishedFiles()
    {
        QVERIFY(QDir(dir_.path()).mkpath("rescan"));
        auto tone = [&](const QString& name, double f) {
            std::vector<float> s(22050 * 4);
            for (size_t i = 0; i < s.size(); ++i) s[i] = 0.3f * float(std::sin(2 * M_PI * f * double(i) / 22050.0));
            writeMonoAudio(dir_.filePath("rescan/" + name).toStdString(), s, 22050);
        };
        tone("a.wav", 300);
        tone("b.wav", 500);
        CoreLibraryBackend b;
        QString error;
        QVERIFY(b.open(dir_.filePath("rescan.sqlite"), &error));
        QVERIFY(!b.rescanFolders(&error));  // nothing added yet: says how to add a folder
        QVERIFY2(error.contains("Add Folder"), qPrintable(error));
        QSignalSpy finished(&b, &LibraryBackend::jobFinished);
        QVERIFY(b.importPaths({dir_.filePath("rescan")}, &error) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(b.activeJobs() == 0 && finished.count() >= 2, 30000);
        QCOMPARE(b.tracks().size(), 2);
        // A file appears, one vanishes: a rescan adds the first and marks the second missing.
        tone("c.wav", 700);
        QVERIFY(QFile::remove(dir_.filePath("rescan/a.wav")));
        finished.clear();
        error.clear();
        QVERIFY2(b.rescanFolders(&error) > 0, qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(b.activeJobs() == 0 && finished.count() >= 1, 30000);
        const auto rows = b.tracks();
        QCOMPARE(rows.size(), 3);
        bool sawNew = false, sawMissing = false;
        for (const auto& r : rows) {
            sawNew = sawNew || r.path.endsWith("c.wav");
            if (r.path.endsWith("a.wav")) sawMissing = r.error.contains("not found");
        }
        QVERIFY(sawNew);
        QVERIFY(sawMissing);

        // One track analysed again: a job of its own, titled for it.
        QSignalSpy started(&b, &LibraryBackend::jobStarted);
        finished.clear();
        qint64 present = -1;
        for (const auto& r : rows)
            if (r.path.endsWith("b.wav")) present = r.id;
        QVERIFY(b.reanalyseTracks({present}, &error) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(b.activeJobs() == 0 && finished.count() >= 1, 30000);
        QVERIFY2(started.count() >= 1 && started.at(0).at(1).toString().contains("1 track"),
                 qPrintable(started.value(0).value(1).toString()));
        QVERIFY(!b.reanalyseTracks({}, &error));
    }

    void badLibraryPathKeepsState()
    {
        CoreLibraryBackend b;
        QString error;
        QVERIFY(b.open(dir_.filePath("lib.sqlite"), &error));
        QVERIFY(!b.open(dir_.path(), &error)); // a folder is no library
        QVERIFY(!error.isEmpty());
        QCOMPARE(b.path(), QDir::cleanPath(dir_.filePath("lib.sqlite")));
        QCOMPARE(b.tracks().size(), 4);
    }
};

QTEST_MAIN(TestCoreBackend)
#include "tst_corebackend.moc"
