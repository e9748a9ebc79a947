// Listening-test statistics against hand-computed values, session progress/resume logic and
// the loudness-matching gains.
#include <QTest>

#include <cmath>

#include "listening/Excerpts.h"
#include "listening/ListeningSession.h"
#include "listening/ListeningStats.h"

using namespace stemscope;
using namespace stemscope::listening;

class TestListeningStats : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void wilson()
    {
        // 7/10: centre (0.7 + 1.96^2/20) / (1 + 1.96^2/10) = 0.64450, half-width 0.24772.
        auto i = wilsonInterval(7, 10);
        QVERIFY(std::abs(i.low - 0.39677) < 1e-4);
        QVERIFY(std::abs(i.high - 0.89222) < 1e-4);
        // 15/20: [0.53131, 0.88814].
        i = wilsonInterval(15, 20);
        QVERIFY(std::abs(i.low - 0.53131) < 1e-4);
        QVERIFY(std::abs(i.high - 0.88814) < 1e-4);
        // Edges: 0/10 starts at 0, 10/10 ends at 1, n = 0 is uninformative.
        QCOMPARE(wilsonInterval(0, 10).low, 0.0);
        QVERIFY(std::abs(wilsonInterval(10, 10).high - 1.0) < 1e-12);
        QVERIFY(std::abs(wilsonInterval(0, 10).high - 0.27753) < 1e-4);
        QCOMPARE(wilsonInterval(0, 0).low, 0.0);
        QCOMPARE(wilsonInterval(0, 0).high, 1.0);
    }

    void binomial()
    {
        // 7/10: 2 * (C(10,7)+C(10,8)+C(10,9)+C(10,10)) / 2^10 = 2 * 176/1024 = 0.34375.
        QVERIFY(std::abs(binomialTwoSidedP(7, 10) - 0.34375) < 1e-12);
        QVERIFY(std::abs(binomialTwoSidedP(3, 10) - 0.34375) < 1e-12);
        // 15/20: 2 * (15504+4845+1140+190+20+1) / 2^20 = 43400/1048576 = 0.0413895.
        QVERIFY(std::abs(binomialTwoSidedP(15, 20) - 43400.0 / 1048576.0) < 1e-12);
        QCOMPARE(binomialTwoSidedP(5, 10), 1.0);
        QVERIFY(std::abs(binomialTwoSidedP(10, 10) - 2.0 / 1024) < 1e-15);
        QCOMPARE(binomialTwoSidedP(0, 0), 1.0);
        // Asymmetric null: P(3) = 0.2013; outcomes no more likely: 0 (0.1074) and 3..10 (0.3222).
        QVERIFY(std::abs(binomialTwoSidedP(3, 10, 0.2) - 0.4295746560) < 1e-9);
    }

    void summaries()
    {
        std::vector<ScoredAnswer> a;
        // drums: 7 of 10 agree (5 confident), listener ann 6, bob 4.
        for (int i = 0; i < 10; ++i) a.push_back({"drums", "similarity", i < 6 ? "ann" : "bob", i < 7, i % 2 == 0});
        // bass: 15 of 20.
        for (int i = 0; i < 20; ++i) a.push_back({"bass", "similarity", "ann", i >= 5, false});
        const auto r = computeResults(a);
        QCOMPARE(r.overall.n, 30);
        QCOMPARE(r.overall.agree, 22);
        const auto& d = r.byFocus.at("drums");
        QCOMPARE(d.n, 10);
        QCOMPARE(d.agree, 7);
        QCOMPARE(d.proportion, 0.7);
        QVERIFY(std::abs(d.pValue - 0.34375) < 1e-12);
        QCOMPARE(d.agreeConfident, 4);   // i = 0, 2, 4, 6
        QCOMPARE(d.agreeUnsure, 3);      // 1, 3, 5
        QCOMPARE(d.disagreeConfident, 1);// 8
        QCOMPARE(d.disagreeUnsure, 2);   // 7, 9
        const auto& b = r.byFocus.at("bass");
        QVERIFY(std::abs(b.ci.low - 0.53131) < 1e-4);
        QVERIFY(std::abs(b.pValue - 0.0413895) < 1e-6);
        QCOMPARE(r.byListener.at("ann").n, 26);
        QCOMPARE(r.byListener.at("bob").n, 4);
        QCOMPARE(r.byListenerFocus.at("bob").at("drums").agree, 1);  // i = 6
        QCOMPARE(r.byListenerFocus.at("ann").at("drums").agree, 6);
        QCOMPARE(int(r.byListenerFocus.at("bob").count("bass")), 0);
    }

    void sessionProgressAndResume()
    {
        std::vector<Trial> trials(5);
        for (int i = 0; i < 5; ++i) {
            trials[size_t(i)].index = i;
            trials[size_t(i)].training = i < 2;
            trials[size_t(i)].expected = "A";
        }
        ListeningSession s(trials);
        QCOMPARE(s.total(), 5);
        QCOMPARE(s.trainingCount(), 2);
        QCOMPARE(s.current(), 0);
        s.record({0, "A", true, 900});
        s.record({1, "B", false, 1000});
        QCOMPARE(s.current(), 2);
        QCOMPARE(s.countedAnswered(), 0);
        s.record({2, "B", false, 1000});
        QCOMPARE(s.countedAnswered(), 1);
        QCOMPARE(s.fraction(), 0.6);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.record({3, "C", false, 0}));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, s.record({7, "A", false, 0}));

        // Resume from stored answers (out of order, with a gap).
        ListeningSession r(trials, {{0, "A", true, 1}, {2, "B", false, 1}, {1, "A", false, 1}, {4, "A", true, 1}});
        QCOMPARE(r.answeredCount(), 4);
        QCOMPARE(r.current(), 3);
        QVERIFY(!r.done());
        r.record({3, "A", false, 1});
        QVERIFY(r.done());
        QCOMPARE(r.current(), -1);
        QCOMPARE(r.answer(2)->answer, std::string("B"));
    }

    void loudnessGains()
    {
        std::vector<float> loud(44100), quiet(44100), spiky(44100, 0.f), silent(1000, 0.f);
        for (size_t i = 0; i < loud.size(); ++i) {
            loud[i] = float(0.5 * std::sin(2 * M_PI * 440 * double(i) / 44100));
            quiet[i] = float(0.01 * std::sin(2 * M_PI * 220 * double(i) / 44100));
        }
        auto g = matchedGains({loud, quiet, silent});
        QCOMPARE(g.size(), size_t(3));
        QCOMPARE(g[2], 1.0);
        auto level = [](const std::vector<float>& x, double gain) {
            std::vector<float> y(x);
            for (float& v : y) v = float(v * gain);
            return rmsDb(y);
        };
        QVERIFY(std::abs(level(loud, g[0]) - (-20)) < 0.01); // sines: crest 3 dB, target reached
        QVERIFY(std::abs(level(quiet, g[1]) - (-20)) < 0.01);
        // A very peaky signal lowers the common level so that nothing clips.
        for (size_t i = 0; i < spiky.size(); i += 4410) spiky[i] = 0.9f;
        g = matchedGains({loud, spiky});
        QVERIFY(std::abs(level(loud, g[0]) - level(spiky, g[1])) < 0.01);
        QVERIFY(level(loud, g[0]) < -20.5);
        QVERIFY(0.9f * g[1] <= 0.98 + 1e-6);
    }

    void excerptStarts()
    {
        std::mt19937_64 rng(3);
        for (int i = 0; i < 100; ++i) {
            const double s = chooseExcerptStart(60, 10, rng);
            QVERIFY(s >= 5 - 1e-9 && s <= 45 + 1e-9);
        }
        QCOMPARE(chooseExcerptStart(8, 10, rng), 0.0);
    }
};

QTEST_APPLESS_MAIN(TestListeningStats)
#include "tst_listening_stats.moc"
