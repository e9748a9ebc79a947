// Weight averaging of model files (`model average`): the result is the weighted mean of every
// parameter and normalisation statistic, loads as an ordinary model, and other shapes are refused.
#include <QtTest>

#include <QTemporaryDir>

#include "embedding/EmbeddingNet.h"
#include "embedding/ModelAverage.h"

using namespace stemscope;

namespace {

ModelSpec tinySpec()
{
    ModelSpec s;
    s.arch = ModelArch::Temporal;
    s.bands = 16;
    s.frames = 32;
    s.channels = {8, 8, 8, 8};
    s.dim = 20;
    s.subspaces = 5;
    return s;
}

// A model with seeded weights (every tensor differs between seeds) and non-trivial normalisation statistics.
std::string makeModel(const QTemporaryDir& dir, const QString& name, ModelSpec spec, int seed)
{
    torch::manual_seed(uint64_t(seed));
    stemscope::detail::EmbeddingNet net(spec);
    torch::NoGradGuard noGrad;
    for (auto& p : net->named_parameters()) p.value().add_(0.1 * torch::randn_like(p.value()));  // scales and shifts too
    for (auto& b : net->named_buffers())
        if (b.value().is_floating_point()) b.value().uniform_(0.5, 1.5);
    const auto path = dir.filePath(name).toStdString();
    stemscope::detail::saveModel(net, path);
    return path;
}

double maxDiff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

}  // namespace

class TestModelAverage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void isTheWeightedMeanOfEveryTensor()
    {
        QTemporaryDir dir;
        const auto a = makeModel(dir, "a.pt", tinySpec(), 1), b = makeModel(dir, "b.pt", tinySpec(), 2);
        const auto out = dir.filePath("avg.pt").toStdString();
        averageModelFiles({a, b}, {3, 1}, out);
        auto ma = stemscope::detail::loadModel(a), mb = stemscope::detail::loadModel(b), avg = stemscope::detail::loadModel(out);
        QVERIFY(avg->spec() == tinySpec());
        const auto pa = ma->named_parameters(), pb = mb->named_parameters(), pv = avg->named_parameters();
        QVERIFY(pv.size() > 4);
        for (const auto& p : pv) {
            QVERIFY(maxDiff(p.value(), 0.75 * pa[p.key()] + 0.25 * pb[p.key()]) < 1e-6);
            QVERIFY(maxDiff(pa[p.key()], pb[p.key()]) > 1e-3);  // the inputs really differ
        }
        const auto ba = ma->named_buffers(), bb = mb->named_buffers();
        int floatBuffers = 0;
        for (const auto& v : avg->named_buffers()) {
            if (!v.value().is_floating_point()) continue;
            ++floatBuffers;
            QVERIFY(maxDiff(v.value(), 0.75 * ba[v.key()] + 0.25 * bb[v.key()]) < 1e-6);
        }
        QVERIFY(floatBuffers > 0);
    }

    void equalWeightsByDefaultAndOneModelIsItself()
    {
        QTemporaryDir dir;
        const auto a = makeModel(dir, "a.pt", tinySpec(), 3), b = makeModel(dir, "b.pt", tinySpec(), 4);
        const auto out = dir.filePath("avg.pt").toStdString(), same = dir.filePath("same.pt").toStdString();
        averageModelFiles({a, b}, {}, out);
        averageModelFiles({a, b}, {1, 0}, same);
        auto ma = stemscope::detail::loadModel(a), mb = stemscope::detail::loadModel(b), avg = stemscope::detail::loadModel(out), one = stemscope::detail::loadModel(same);
        const auto pa = ma->named_parameters(), pb = mb->named_parameters(), po = one->named_parameters();
        for (const auto& p : avg->named_parameters()) {
            QVERIFY(maxDiff(p.value(), 0.5 * (pa[p.key()] + pb[p.key()])) < 1e-6);
            QVERIFY(maxDiff(po[p.key()], pa[p.key()]) < 1e-7);
        }
        // The averaged model runs: unit blocks out.
        const auto e = avg->forward(torch::randn({2, 32, 16}));
        QCOMPARE(e.size(1), int64_t(20));
        QVERIFY(maxDiff(e.narrow(1, 0, 4).norm(2, 1), torch::ones({2})) < 1e-4);
    }

    void refusesOtherShapesAndBadWeights()
    {
        QTemporaryDir dir;
        auto wide = tinySpec();
        wide.channels = {8, 16, 8, 8};
        const auto a = makeModel(dir, "a.pt", tinySpec(), 5), w = makeModel(dir, "w.pt", wide, 6);
        const auto out = dir.filePath("avg.pt").toStdString();
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, averageModelFiles({a, w}, {}, out));
        QVERIFY(!QFile::exists(QString::fromStdString(out)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, averageModelFiles({a, a}, {1}, out));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, averageModelFiles({a, a}, {1, -1}, out));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, averageModelFiles({a, a}, {0, 0}, out));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, averageModelFiles({}, {}, out));
    }
};

QTEST_GUILESS_MAIN(TestModelAverage)
#include "tst_model_average.moc"
