// t-SNE (core/projection): input affinities, trees, gradient, optimiser behaviour, cancel, determinism,
// incremental placement.
#include <QtTest/QtTest>

#include <atomic>
#include <cmath>
#include <numeric>

#include "projection/Affinities.h"
#include "projection/BruteForceKnn.h"
#include "projection/EmbeddingQuality.h"
#include "projection/FftRepulsion.h"
#include "projection/QuadTree.h"
#include "projection/SyntheticClusters.h"
#include "projection/NeighbourPlacement.h"
#include "projection/Tsne.h"
#include "projection/TsneGradient.h"
#include "projection/VpTree.h"

using namespace stemscope;
using namespace stemscope::projection;

class TestTsne : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void conditionalRowHitsPerplexity()
    {
        std::vector<float> d2(200);
        for (size_t j = 0; j < d2.size(); ++j) d2[j] = float(0.01 * j + 0.3 * std::sin(double(j)));
        for (double perp : {5.0, 30.0, 50.0}) {
            std::vector<float> p(d2.size());
            conditionalRow(d2.data(), int(d2.size()), perp, p.data());
            double sum = 0, h = 0;
            for (float v : p) {
                sum += v;
                if (v > 0) h -= double(v) * std::log(double(v));
            }
            QVERIFY(std::fabs(sum - 1.0) < 1e-5);
            QVERIFY2(std::fabs(std::exp(h) - perp) < 0.01 * perp, qPrintable(QString::number(std::exp(h))));
        }
    }

    void affinitiesAreSymmetricJointDistributions()
    {
        const Matrix x = makeClusters(300, 16, 4, 1.0, 3);
        for (int exact = 0; exact < 2; ++exact) {
            const SparseAffinities P = exact ? exactAffinities(x, 20.0) : knnAffinities(x, 20.0);
            QCOMPARE(P.n, 300);
            double sum = 0;
            for (float v : P.val) sum += v;
            QVERIFY(std::fabs(sum - 1.0) < 1e-4);
            // P(i, j) == P(j, i), and no self-affinity.
            for (int i = 0; i < P.n; i += 7)
                for (int64_t a = P.rowStart[size_t(i)]; a < P.rowStart[size_t(i) + 1]; ++a) {
                    const int j = P.col[size_t(a)];
                    QVERIFY(j != i);
                    const auto b = std::lower_bound(P.col.begin() + P.rowStart[size_t(j)], P.col.begin() + P.rowStart[size_t(j) + 1], i);
                    QVERIFY(b != P.col.begin() + P.rowStart[size_t(j) + 1] && *b == i);
                    QVERIFY(std::fabs(P.val[size_t(b - P.col.begin())] - P.val[size_t(a)]) < 1e-9f);
                }
            if (exact) QCOMPARE(P.nonZeros(), int64_t(300) * 299);
            else QVERIFY(P.nonZeros() >= int64_t(300) * 61);  // floor(3 * 20) + 1 neighbours per row at least
        }
    }

    void vpTreeMatchesBruteForce()
    {
        const Matrix x = makeClusters(700, 24, 5, 0.8, 11);
        const VpTree tree(x, 5);
        std::vector<int> idx;
        std::vector<float> dist;
        for (int i = 0; i < x.rows; i += 13) {
            tree.knn(i, 15, idx, dist);
            std::vector<std::pair<float, int>> all;
            for (int j = 0; j < x.rows; ++j) {
                if (j == i) continue;
                float s = 0;
                for (int c = 0; c < x.cols; ++c) s += (x(i, c) - x(j, c)) * (x(i, c) - x(j, c));
                all.emplace_back(std::sqrt(s), j);
            }
            std::sort(all.begin(), all.end());
            QCOMPARE(int(idx.size()), 15);
            for (int a = 0; a < 15; ++a) {
                QVERIFY(std::fabs(dist[size_t(a)] - all[size_t(a)].first) < 1e-5f);
            }
        }
    }

    void bruteForceKnnMatchesNaive()
    {
        // 21 columns: exercises the vector body and the scalar tail of the dot products.
        const Matrix x = makeClusters(613, 21, 5, 0.8, 12);
        std::vector<int> idx1, idx2;
        std::vector<float> d1, d2;
        bruteForceKnn(x, 15, 1, idx1, d1);
        bruteForceKnn(x, 15, 2, idx2, d2);
        QVERIFY(idx1 == idx2); // independent of the thread count
        QVERIFY(d1 == d2);
        for (int i = 0; i < x.rows; i += 7) {
            std::vector<std::pair<double, int>> all;
            for (int j = 0; j < x.rows; ++j) {
                if (j == i) continue;
                double s = 0;
                for (int c = 0; c < x.cols; ++c)
                    s += double(x(i, c) - x(j, c)) * (x(i, c) - x(j, c));
                all.emplace_back(s, j);
            }
            std::sort(all.begin(), all.end());
            for (int a = 0; a < 15; ++a) {
                QVERIFY(std::fabs(d1[size_t(i) * 15 + size_t(a)] - all[size_t(a)].first) < 1e-5);
                // The same neighbour, or one at a tied distance.
                const int j = idx1[size_t(i) * 15 + size_t(a)];
                QVERIFY(j == all[size_t(a)].second ||
                        std::fabs(d1[size_t(i) * 15 + size_t(a)] - all[size_t(a)].first) < 1e-6);
            }
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bruteForceKnn(x, x.rows, 1, idx1, d1));
    }

    void quadTreeRepulsion()
    {
        std::vector<double> y;
        uint64_t s = 99;
        for (int i = 0; i < 400; ++i) {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            y.push_back(double(s % 10000) / 500.0 + (i % 3) * 30.0);
            y.push_back(double((s >> 20) % 10000) / 500.0);
        }
        y.push_back(y[0]);  // a coincident pair must not break the tree
        y.push_back(y[1]);
        const int n = int(y.size() / 2);
        const QuadTree tree(y, n);
        double errSq = 0, normSq = 0, zErr = 0;
        for (int i = 0; i < n; ++i) {
            double ex = 0, ey = 0, ez = 0;
            for (int j = 0; j < n; ++j) {
                if (j == i) continue;
                const double dx = y[2 * size_t(i)] - y[2 * size_t(j)], dy = y[2 * size_t(i) + 1] - y[2 * size_t(j) + 1];
                const double w = 1 / (1 + dx * dx + dy * dy);
                ez += w;
                ex += w * w * dx;
                ey += w * w * dy;
            }
            double fx = 0, fy = 0;
            const double z0 = tree.repulsion(i, 0.0, fx, fy);  // theta 0: exact
            QVERIFY(std::fabs(z0 - ez) < 1e-9 * std::max(1.0, ez));
            QVERIFY(std::fabs(fx - ex) < 1e-9 && std::fabs(fy - ey) < 1e-9);
            double ax = 0, ay = 0;
            const double z5 = tree.repulsion(i, 0.5, ax, ay);
            zErr = std::max(zErr, std::fabs(z5 - ez) / ez);
            errSq += (ax - ex) * (ax - ex) + (ay - ey) * (ay - ey);  // per point, nearly cancelling forces
            normSq += ex * ex + ey * ey;                           // make relative errors noisy: use the total
        }
        QVERIFY2(zErr < 0.05, qPrintable(QString::number(zErr)));
        QVERIFY2(std::sqrt(errSq / normSq) < 0.05, qPrintable(QString::number(std::sqrt(errSq / normSq))));

        // One walk per leaf: exact at theta 0, and at theta 0.5 no less accurate than the per-point walk.
        double leafErrSq = 0, leafZErr = 0;
        int covered = 0;
        for (int l = 0; l < tree.leafCount(); ++l) {
            const auto [first, last] = tree.leafRange(l);
            QVERIFY(last - first <= 64);
            double z0[64], x0[64], y0[64], z5[64], x5[64], y5[64];
            tree.repulsionLeaf(l, 0.0, z0, x0, y0);
            tree.repulsionLeaf(l, 0.5, z5, x5, y5);
            for (int a = first; a < last; ++a) {
                const int i = tree.order()[size_t(a)];
                double pz = 0, px = 0, py = 0;
                pz = tree.repulsion(i, 0.0, px, py);
                QVERIFY(std::fabs(z0[a - first] - pz) < 1e-9 * std::max(1.0, pz));
                QVERIFY(std::fabs(x0[a - first] - px) < 1e-9 && std::fabs(y0[a - first] - py) < 1e-9);
                leafZErr = std::max(leafZErr, std::fabs(z5[a - first] - pz) / pz);
                leafErrSq += (x5[a - first] - px) * (x5[a - first] - px) + (y5[a - first] - py) * (y5[a - first] - py);
                ++covered;
            }
        }
        QCOMPARE(covered, n);
        QVERIFY2(leafZErr <= zErr + 1e-12, qPrintable(QString("%1 vs %2").arg(leafZErr).arg(zErr)));
        QVERIFY2(leafErrSq <= errSq + 1e-18, qPrintable(QString("%1 vs %2").arg(leafErrSq).arg(errSq)));
    }

    void trustworthinessHandComputed()
    {
        // 1-D inputs 0, 1, 3, 7, 15, 31 (ranks are unambiguous), k = 1.
        Matrix x(6, 1);
        const float xs[6] = {0, 1, 3, 7, 15, 31};
        for (int i = 0; i < 6; ++i) x(i, 0) = xs[i];
        QCOMPARE(trustworthiness(x, x, 1), 1.0);
        Matrix mirrored(6, 1);
        for (int i = 0; i < 6; ++i) mirrored(i, 0) = -2 * xs[i] + 5;
        QCOMPARE(trustworthiness(x, mirrored, 1), 1.0);
        // Swap points 1 and 5: Y = 0, 31, 3, 7, 15, 1. Embedding nearest neighbours and their input ranks:
        //   0 -> 5 (rank 5, +4), 1 -> 4 (rank 4, +3), 2 -> 5 (rank 5, +4), 3 -> 2 (rank 1), 4 -> 3 (rank 1),
        //   5 -> 0 (rank 5, +4). Sum 15; T = 1 - 2 / (n k (2n - 3k - 1)) * 15 = 1 - 30 / 48 = 0.375.
        Matrix swapped(6, 1);
        const float ys[6] = {0, 31, 3, 7, 15, 1};
        for (int i = 0; i < 6; ++i) swapped(i, 0) = ys[i];
        QVERIFY(std::fabs(trustworthiness(x, swapped, 1) - 0.375) < 1e-12);
        // k = 2, n = 6 is invalid (k must be < n / 2).
        QVERIFY_EXCEPTION_THROWN(trustworthiness(x, x, 3), std::invalid_argument);
        // Sampled estimate equals the full value when every point is sampled.
        QVERIFY(std::fabs(trustworthiness(x, swapped, 1, 2, 6) - 0.375) < 1e-12);
    }

    void klDivergenceMatchesDenseFormula()
    {
        const Matrix x = makeClusters(120, 8, 3, 1.0, 5);
        const SparseAffinities P = exactAffinities(x, 10.0);
        Matrix y(120, 2);
        for (int i = 0; i < 120; ++i) {
            y(i, 0) = float(std::cos(i * 0.7) * (1 + i % 3));
            y(i, 1) = float(std::sin(i * 1.3) * (1 + i % 5));
        }
        double z = 0;
        for (int i = 0; i < 120; ++i)
            for (int j = 0; j < 120; ++j)
                if (i != j) z += 1 / (1 + std::pow(y(i, 0) - y(j, 0), 2) + std::pow(y(i, 1) - y(j, 1), 2));
        double kl = 0;
        for (int i = 0; i < 120; ++i)
            for (int64_t a = P.rowStart[size_t(i)]; a < P.rowStart[size_t(i) + 1]; ++a) {
                const int j = P.col[size_t(a)];
                const double q = 1 / (1 + std::pow(y(i, 0) - y(j, 0), 2) + std::pow(y(i, 1) - y(j, 1), 2)) / z;
                kl += P.val[size_t(a)] * std::log(P.val[size_t(a)] / q);
            }
        QVERIFY(std::fabs(klDivergence(P, y) - kl) < 1e-6);
        // A t-SNE run must do much better than this arbitrary layout.
        TsneOptions o;
        o.perplexity = 10;
        o.iterations = 500;
        const auto r = runTsne(x, o);
        QVERIFY(klDivergence(P, r.embedding) < 0.5 * kl);
        QVERIFY(std::fabs(klDivergence(P, r.embedding) - r.kl) < 1e-3);
    }

    void gradientBarnesHutCloseToExact()
    {
        const Matrix x = makeClusters(500, 16, 5, 1.0, 8);
        const SparseAffinities P = knnAffinities(x, 15.0);
        std::vector<double> y(1000);
        for (size_t c = 0; c < y.size(); ++c) y[c] = std::sin(double(c) * 12.9898) * 10;
        std::vector<double> ge, gb;
        const auto ze = tsneGradient(P, y, 1.0, 0.0, 2, ge);
        const auto zb = tsneGradient(P, y, 1.0, 0.5, 2, gb);
        QVERIFY(std::fabs(zb.z - ze.z) / ze.z < 0.02);
        double num = 0, den = 0;
        for (size_t c = 0; c < ge.size(); ++c) {
            num += (gb[c] - ge[c]) * (gb[c] - ge[c]);
            den += ge[c] * ge[c];
        }
        QVERIFY2(std::sqrt(num / den) < 0.05, qPrintable(QString::number(std::sqrt(num / den))));
    }

    void fftRepulsionCloseToExact()
    {
        // Maps of growing extent (the minimum grid; boxes at the width cap) against the exact sums, with the
        // default grid and a finer one: the error must shrink as the grid is refined.
        for (double scale : {0.5, 10.0, 60.0}) {
            const int n = 800;
            std::vector<double> y(2 * size_t(n));
            for (int i = 0; i < n; ++i) {
                const int c = i % 7; // clusters, like a t-SNE map
                y[2 * size_t(i)] = scale * (std::cos(c * 0.9) + 0.15 * std::sin(i * 12.9898));
                y[2 * size_t(i) + 1] = scale * (std::sin(c * 0.9) + 0.15 * std::cos(i * 78.233));
            }
            double zExact = 0;
            std::vector<double> exact(2 * size_t(n), 0.0);
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < n; ++j) {
                    if (j == i) continue;
                    const double dx = y[2 * size_t(i)] - y[2 * size_t(j)],
                                 dy = y[2 * size_t(i) + 1] - y[2 * size_t(j) + 1];
                    const double w = 1.0 / (1.0 + dx * dx + dy * dy);
                    zExact += w;
                    exact[2 * size_t(i)] += w * w * dx;
                    exact[2 * size_t(i) + 1] += w * w * dy;
                }
            double previous = 1.0;
            for (const auto& [nodes, width] : {std::pair{5, 1.0}, std::pair{7, 0.5}}) {
                FftRepulsionOptions fo;
                fo.nodesPerBox = nodes;
                fo.maxBoxWidth = width;
                FftRepulsion fft(fo);
                std::vector<double> rep, rep1;
                const double z = fft.compute(y, 2, rep);
                QCOMPARE(fft.compute(y, 1, rep1), z); // same with one thread
                QVERIFY(rep1 == rep);
                double num = 0, den = 0;
                for (size_t c = 0; c < rep.size(); ++c) {
                    num += (rep[c] - exact[c]) * (rep[c] - exact[c]);
                    den += exact[c] * exact[c];
                }
                const double zErr = std::fabs(z - zExact) / zExact, repErr = std::sqrt(num / den);
                qInfo("scale %.1f, %d nodes, box width <= %.1f: grid %d, Z rel. error %.1e, repulsion rel. error %.1e",
                      scale, nodes, width, fft.lastGridSize(), zErr, repErr);
                QVERIFY2(zErr < 2e-3, qPrintable(QString::number(zErr)));
                QVERIFY2(repErr < 3e-2, qPrintable(QString::number(repErr)));
                QVERIFY(repErr <= previous || repErr < 1e-5); // both may sit at float precision
                previous = repErr;
            }
            QVERIFY2(previous < 2e-3, qPrintable(QString::number(previous)));
        }
    }

    void fftHandsWideMapsToTheTree()
    {
        // Per iteration: the FFT grid follows the map's span, not n. A map whose padded grid would
        // exceed treeAboveGridPerPoint nodes per point gets Barnes-Hut's gradient, a compact one the FFT's.
        auto gradients = [](int n, double scale) {
            const Matrix x = makeClusters(n, 16, 5, 1.0, 8);
            const SparseAffinities P = knnAffinities(x, 15.0);
            std::vector<double> y(2 * size_t(n));
            for (size_t c = 0; c < y.size(); ++c) y[c] = std::sin(double(c) * 12.9898) * scale;
            FftRepulsion fft;
            RepulsionMethod tree, hybrid, pure;
            tree.kind = RepulsionMethod::Kind::BarnesHut;
            hybrid.kind = pure.kind = RepulsionMethod::Kind::Fft;
            hybrid.fft = pure.fft = &fft;
            hybrid.treeAboveGridPerPoint = 100;
            std::vector<double> gt, gh, gp;
            tsneGradient(P, y, 1.0, tree, 2, gt);
            tsneGradient(P, y, 1.0, hybrid, 2, gh);
            tsneGradient(P, y, 1.0, pure, 2, gp);
            const bool wide = double(fft.paddedNodes(y)) > 100.0 * n;
            return std::tuple{wide, gh == gt, gh == gp};
        };
        const auto [wide, asTree, asFft] = gradients(600, 80.0);
        QVERIFY(wide && asTree && !asFft);
        const auto [wide2, asTree2, asFft2] = gradients(6000, 0.5);
        QVERIFY(!wide2 && !asTree2 && asFft2);
    }

    void fftRepulsionBoundsTheGridAndRejectsNonFinite()
    {
        std::vector<double> y = {0, 0, 1e5, 3, -7, 1e5, 2, 2}; // a map 1e5 units wide
        FftRepulsionOptions fo;
        fo.maxBoxes = 60;
        FftRepulsion fft(fo);
        std::vector<double> rep;
        const double z = fft.compute(y, 2, rep);
        QVERIFY(fft.lastGridSize() <= 64 * fo.nodesPerBox);
        QVERIFY(std::isfinite(z)); // (coarse boxes are inaccurate; bounded memory is the point here)
        for (double v : rep)
            QVERIFY(std::isfinite(v));
        y[3] = std::nan("");
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, fft.compute(y, 2, rep));
        fo.maxBoxes = 10; // below minBoxes
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, FftRepulsion{fo});
    }

    void clustersStaySeparated()
    {
        std::vector<int> labels;
        const Matrix x = makeClusters(450, 64, 6, 1.0, 21, &labels);
        for (auto method : {TsneOptions::Method::Exact, TsneOptions::Method::BarnesHut, TsneOptions::Method::Fft}) {
            TsneOptions o;
            o.method = method;
            const auto r = runTsne(x, o);
            QCOMPARE(r.iterations, 1000);
            QCOMPARE(r.exact, method == TsneOptions::Method::Exact);
            QVERIFY(r.method == method);
            const double purity = neighbourPurity(r.embedding, labels, 10);
            QVERIFY2(purity > 0.95, qPrintable(QString::number(purity)));
            QVERIFY(trustworthiness(x, r.embedding, 10) > 0.9);
        }
    }

    void exactBarnesHutAndFftAgreeInQuality()
    {
        std::vector<int> labels;
        const Matrix x = makeClusters(600, 128, 10, 1.2, 4, &labels);
        const SparseAffinities P = exactAffinities(x, 30.0);
        TsneOptions o;
        o.method = TsneOptions::Method::Exact;
        const auto e = runTsne(x, o);
        const double te = trustworthiness(x, e.embedding), ke = klDivergence(P, e.embedding);
        QVERIFY(neighbourPurity(e.embedding, labels) > 0.95);
        for (auto method : {TsneOptions::Method::BarnesHut, TsneOptions::Method::Fft}) {
            o.method = method;
            const auto b = runTsne(x, o);
            const double tb = trustworthiness(x, b.embedding), kb = klDivergence(P, b.embedding);
            qInfo("exact: T %.4f KL %.4f; %s: T %.4f KL %.4f", te, ke, methodName(method), tb, kb);
            QVERIFY(std::fabs(te - tb) < 0.01);
            QVERIFY(kb < ke * 1.15 + 0.02);
            QVERIFY(neighbourPurity(b.embedding, labels) > 0.95);
        }
    }

    void deterministicWithSeedAndThreads()
    {
        const Matrix x = makeClusters(400, 32, 4, 1.0, 2);
        for (auto method : {TsneOptions::Method::BarnesHut, TsneOptions::Method::Fft}) {
            TsneOptions o;
            o.method = method;
            o.iterations = 200;
            o.fft.minBoxes = 20;  // a smaller grid keeps the test quick; determinism does not depend on it
            o.seed = 7;
            o.threads = 2;
            const auto a = runTsne(x, o);
            const auto b = runTsne(x, o);
            QVERIFY(a.embedding.data == b.embedding.data);
            o.threads = 1;
            const auto c = runTsne(x, o);
            QVERIFY(a.embedding.data == c.embedding.data);
            o.init = TsneOptions::Init::Random;
            o.threads = 2;
            const auto d1 = runTsne(x, o), d2 = runTsne(x, o);
            QVERIFY(d1.embedding.data == d2.embedding.data);
            o.seed = 8;
            const auto d3 = runTsne(x, o);
            QVERIFY(d1.embedding.data != d3.embedding.data);
        }
    }

    void cancelStopsEarly()
    {
        const Matrix x = makeClusters(1000, 32, 5, 1.0, 9);
        std::atomic<bool> cancel{false};
        TsneOptions o;
        o.method = TsneOptions::Method::BarnesHut;
        o.cancel = &cancel;
        std::vector<int> seen;
        o.progress = [&](int it, double kl) {
            seen.push_back(it);
            QVERIFY(std::isfinite(kl));
            if (it >= 100) cancel = true;
        };
        const auto r = runTsne(x, o);
        QVERIFY(r.cancelled);
        QCOMPARE(r.iterations, 100);
        QCOMPARE(seen, (std::vector<int>{50, 100}));
        QCOMPARE(r.embedding.rows, 1000);
        const auto again = runTsne(x, o);  // flag already set: returns before optimising
        QVERIFY(again.cancelled);
        QCOMPARE(again.iterations, 0);
    }

    void tinyInputs()
    {
        QCOMPARE(runTsne(Matrix(0, 4)).embedding.rows, 0);
        QCOMPARE(runTsne(Matrix(1, 4, 1.f)).embedding.rows, 1);
        const auto r = runTsne(makeClusters(5, 3, 2, 0.1, 1));  // perplexity clamped to (n - 1) / 3
        QCOMPARE(r.embedding.rows, 5);
        for (float v : r.embedding.data) QVERIFY(std::isfinite(v));
        TsneOptions bad;
        bad.perplexity = 0;
        QVERIFY_EXCEPTION_THROWN(runTsne(Matrix(10, 2), bad), std::invalid_argument);
    }

    void placesNewPointsNearTheirCluster()
    {
        std::vector<int> labels;
        const Matrix all = makeClusters(660, 32, 6, 1.0, 13, &labels);
        const Matrix xOld = all.slice(0, 600), xNew = all.slice(600, 60);
        TsneOptions o;
        o.method = TsneOptions::Method::BarnesHut;
        const auto base = runTsne(xOld, o);
        const auto placed = placeNewPoints(xOld, base.embedding, xNew, o);
        QCOMPARE(placed.embedding.rows, 60);
        QCOMPARE(placed.iterations, 300);
        // Each new point's 10 nearest old points (in the map) share its cluster.
        int good = 0, total = 0;
        for (int i = 0; i < 60; ++i) {
            std::vector<std::pair<float, int>> d;
            for (int j = 0; j < 600; ++j)
                d.emplace_back(std::hypot(placed.embedding(i, 0) - base.embedding(j, 0), placed.embedding(i, 1) - base.embedding(j, 1)), j);
            std::partial_sort(d.begin(), d.begin() + 10, d.end());
            for (int a = 0; a < 10; ++a, ++total) good += labels[size_t(d[size_t(a)].second)] == labels[size_t(600 + i)];
        }
        QVERIFY2(good > 0.95 * total, qPrintable(QString::number(double(good) / total)));
    }

    void placesByNeighbourInterpolation()
    {
        // Four reference rows at the corners of a square map; unit vectors along the axes.
        Matrix refs(4, 4, 0.f), xy(4, 2);
        const float corners[4][2] = {{0, 0}, {10, 0}, {0, 10}, {10, 10}};
        for (int i = 0; i < 4; ++i) {
            refs(i, i) = 1.f;
            xy(i, 0) = corners[i][0];
            xy(i, 1) = corners[i][1];
        }
        Matrix q(3, 4, 0.f);
        q(0, 2) = 1.f;                 // equal to reference 2: lands on it
        q(1, 0) = q(1, 1) = 0.7071f;   // halfway between 0 and 1
        q(2, 3) = 0.9f, q(2, 1) = 0.1f; // mostly 3, a little 1
        const auto p = placeByNeighbours(refs, xy, q, 2);
        QCOMPARE(p.positions.rows, 3);
        QVERIFY(std::abs(p.positions(0, 0) - 0.f) < 0.01f && std::abs(p.positions(0, 1) - 10.f) < 0.01f);
        QCOMPARE(p.nearest[0].front(), 2);
        QVERIFY(std::abs(p.positions(1, 0) - 5.f) < 0.01f && std::abs(p.positions(1, 1)) < 0.01f);
        QCOMPARE(p.nearest[1], (std::vector<int>{0, 1}));  // a tie: the lower row first
        QCOMPARE(p.nearest[2], (std::vector<int>{3, 1}));
        QVERIFY(p.positions(2, 0) > 9.f && p.positions(2, 1) > 5.f && p.positions(2, 1) < 10.f);  // pulled towards 3
        // k above the reference count is clamped; bad shapes are refused.
        QCOMPARE(int(placeByNeighbours(refs, xy, q, 99).nearest[0].size()), 4);
        QVERIFY_EXCEPTION_THROWN(placeByNeighbours(Matrix(0, 4), Matrix(0, 2), q), std::invalid_argument);
        QVERIFY_EXCEPTION_THROWN(placeByNeighbours(refs, Matrix(3, 2), q), std::invalid_argument);
        QVERIFY_EXCEPTION_THROWN(placeByNeighbours(refs, xy, Matrix(1, 3)), std::invalid_argument);
    }
};

QTEST_APPLESS_MAIN(TestTsne)
#include "tst_tsne.moc"
