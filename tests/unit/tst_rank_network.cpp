// Auto-pooling limits, the ranking CNN's shapes and its serialisation (core/ranking/RankNet.h).
#include <QtTest>

#include <sstream>

#include <torch/torch.h>

#include "ranking/AutoPool.h"
#include "ranking/RankNet.h"

using namespace stemscope;

class RankNetworkTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(2); }

    void autoPoolLimits()
    {
        torch::manual_seed(3);
        const auto x = torch::randn({4, 6, 37});
        const auto mean = x.mean(2);
        const auto max = std::get<0>(x.max(2));
        const auto min = std::get<0>(x.min(2));
        // alpha = 0: the mean over time.
        QVERIFY(torch::allclose(autoPool(x, torch::zeros({6})), mean, 1e-5, 1e-6));
        // alpha -> +inf: the max; alpha -> -inf: the min.
        QVERIFY(torch::allclose(autoPool(x, torch::full({6}, 1e4)), max, 1e-4, 1e-4));
        QVERIFY(torch::allclose(autoPool(x, torch::full({6}, -1e4)), min, 1e-4, 1e-4));
        // Monotone in alpha between the limits, and per channel.
        const auto mid = autoPool(x, torch::full({6}, 1.0));
        QVERIFY((mid >= mean - 1e-5).all().item<bool>());
        QVERIFY((mid <= max + 1e-5).all().item<bool>());
        auto alpha = torch::zeros({6});
        alpha[2] = 1e4;
        const auto mixed = autoPool(x, alpha);
        QVERIFY(torch::allclose(mixed.select(1, 2), max.select(1, 2), 1e-4, 1e-4));
        QVERIFY(torch::allclose(mixed.select(1, 0), mean.select(1, 0), 1e-5, 1e-6));
        // Alpha receives a gradient (it is learned).
        auto a = torch::zeros({6}, torch::requires_grad());
        autoPool(x, a).sum().backward();
        QVERIFY(a.grad().defined() && a.grad().abs().sum().item<float>() > 0);
    }

    void shapesAndNormalisation_data()
    {
        QTest::addColumn<int>("pooling");
        QTest::addColumn<int>("outputs");
        QTest::newRow("tl max") << int(TemporalPooling::Max) << 0;
        QTest::newRow("tl autopool") << int(TemporalPooling::AutoPool) << 0;
        QTest::newRow("at max") << int(TemporalPooling::Max) << 11;
    }
    void shapesAndNormalisation()
    {
        QFETCH(int, pooling);
        QFETCH(int, outputs);
        RankNetConfig c; // full size: 512 x 96
        c.pooling = TemporalPooling(pooling);
        c.outputs = outputs;
        RankNet net(c, 5);
        QVERIFY(net.parameterCount() > 1000);
        QCOMPARE(int(net.autoPoolAlpha().size()), c.pooling == TemporalPooling::AutoPool ? 8 * c.width : 0);
        std::vector<Matrix> patches(3, Matrix(512, 96));
        std::mt19937 rng(1);
        std::normal_distribution<float> g(-40.f, 10.f);
        for (auto& p : patches)
            for (float& v : p.data) v = g(rng);
        const Matrix y = net.infer(patches);
        QCOMPARE(y.rows, 3);
        QCOMPARE(y.cols, outputs > 0 ? outputs : 128);
        for (int r = 0; r < y.rows; ++r) {
            double n2 = 0;
            for (int j = 0; j < y.cols; ++j) {
                n2 += double(y(r, j)) * y(r, j);
                if (outputs > 0) QVERIFY(y(r, j) > 0.f && y(r, j) < 1.f); // sigmoid probabilities
            }
            if (outputs == 0) QVERIFY(std::abs(n2 - 1.0) < 1e-4); // unit embeddings
        }
    }

    void saveLoadRoundTrip()
    {
        RankNetConfig c;
        c.bins = 24;
        c.frames = 32;
        c.width = 4;
        c.dim = 16;
        c.pooling = TemporalPooling::AutoPool;
        RankNet a(c, 1), b(c, 2);
        std::vector<Matrix> patches(2, Matrix(32, 24));
        for (size_t i = 0; i < patches[0].data.size(); ++i) {
            patches[0].data[i] = float(i % 7);
            patches[1].data[i] = float(i % 5) * -3.f;
        }
        const Matrix ya = a.infer(patches), yb0 = b.infer(patches);
        std::stringstream s;
        a.save(s);
        b.load(s);
        const Matrix yb = b.infer(patches);
        QVERIFY(ya.data != yb0.data);
        for (size_t i = 0; i < ya.data.size(); ++i) QVERIFY(std::abs(ya.data[i] - yb.data[i]) < 1e-6);
    }
};

QTEST_APPLESS_MAIN(RankNetworkTest)
#include "tst_rank_network.moc"
