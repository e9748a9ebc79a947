#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>

#include "jobs/JobEngine.h"

using namespace stemscope;
using namespace std::chrono_literals;

class JobEngineTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runsByPriorityThenFifo()
    {
        JobEngine engine(1);
        engine.pauseAll();
        std::vector<int> order;
        std::mutex m;
        auto job = [&](int tag) {
            return [&, tag](JobContext&) {
                std::lock_guard<std::mutex> l(m);
                order.push_back(tag);
            };
        };
        engine.submit("low", job(1), 0);
        engine.submit("high", job(2), 5);
        engine.submit("low2", job(3), 0);
        engine.submit("mid", job(4), 3);
        engine.resumeAll();
        engine.waitAll();
        QCOMPARE(order, (std::vector<int>{2, 4, 1, 3}));
    }

    void reportsProgressEtaAndFailures()
    {
        JobEngine engine(2);
        std::mutex m;
        std::vector<JobInfo> seen;
        engine.setListener([&](const JobInfo& i) {
            std::lock_guard<std::mutex> l(m);
            seen.push_back(i);
        });
        const auto ok = engine.submit("ok", [](JobContext& ctx) {
            for (int i = 1; i <= 4; ++i) {
                std::this_thread::sleep_for(5ms);
                ctx.setProgress(i / 4.0, "step " + std::to_string(i));
            }
        });
        const auto bad = engine.submit("bad", [](JobContext&) { throw std::runtime_error("boom"); });
        QCOMPARE(engine.wait(ok), JobState::Done);
        QCOMPARE(engine.wait(bad), JobState::Failed);
        QCOMPARE(engine.info(bad).error, std::string("boom"));
        std::lock_guard<std::mutex> l(m);
        bool sawEta = false, sawHalf = false;
        for (const auto& i : seen) {
            if (i.id != ok) continue;
            if (i.state == JobState::Running && i.progress > 0 && i.progress < 1 && i.etaSeconds >= 0) sawEta = true;
            if (i.status == "step 2") sawHalf = std::abs(i.progress - 0.5) < 1e-9;
        }
        QVERIFY(sawEta);
        QVERIFY(sawHalf);
    }

    void cancelsQueuedAndRunningJobs()
    {
        JobEngine engine(1);
        std::atomic<bool> started{false};
        const auto running = engine.submit("spin", [&](JobContext& ctx) {
            started = true;
            for (;;) {
                ctx.checkpoint();
                std::this_thread::sleep_for(1ms);
            }
        });
        std::atomic<bool> ranQueued{false};
        const auto queued = engine.submit("never", [&](JobContext&) { ranQueued = true; });
        while (!started) std::this_thread::sleep_for(1ms);
        engine.cancel(queued);
        engine.cancel(running);
        QCOMPARE(engine.wait(running), JobState::Cancelled);
        QCOMPARE(engine.wait(queued), JobState::Cancelled);
        QVERIFY(!ranQueued);
    }

    void pausesAndResumesARunningJob()
    {
        JobEngine engine(1);
        std::atomic<int> ticks{0};
        const auto id = engine.submit("ticker", [&](JobContext& ctx) {
            for (int i = 0; i < 400; ++i) {
                ctx.checkpoint();
                ++ticks;
                std::this_thread::sleep_for(1ms);
            }
        });
        while (ticks < 5) std::this_thread::sleep_for(1ms);
        engine.pause(id);
        std::this_thread::sleep_for(30ms);
        QCOMPARE(engine.info(id).state, JobState::Paused);
        const int frozen = ticks;
        std::this_thread::sleep_for(30ms);
        QCOMPARE(int(ticks), frozen);
        engine.resume(id);
        QCOMPARE(engine.wait(id), JobState::Done);
        QCOMPARE(int(ticks), 400);
    }

    void destructorCancelsOutstandingWork()
    {
        std::atomic<int> done{0};
        {
            JobEngine engine(2);
            for (int i = 0; i < 50; ++i)
                engine.submit("j", [&](JobContext& ctx) {
                    for (int k = 0; k < 100; ++k) {
                        ctx.checkpoint();
                        std::this_thread::sleep_for(1ms);
                    }
                    ++done;
                });
            std::this_thread::sleep_for(20ms);
        }
        QVERIFY(done < 50);
    }
};

QTEST_APPLESS_MAIN(JobEngineTest)
#include "tst_job_engine.moc"
