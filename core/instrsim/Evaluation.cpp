#include "instrsim/Evaluation.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "embedding/TrackEmbedding.h"

namespace stemscope {

EvaluationRun evaluateEmbedded(const std::map<Focus, EmbeddedCorpus>& sets, int k, int mrrTopK)
{
    EvaluationRun run;
    for (Focus f : kInstrumentFocuses)
        if (sets.count(f)) run.focuses.push_back(f);
    if (run.focuses.empty()) throw std::runtime_error("evaluation: no focus has both features and a model");
    // Songs present in every focus (a silent stem yields no segments).
    auto present = [&](Focus f) {
        const auto& c = sets.at(f);
        std::vector<char> has(c.songs.size(), 0);
        for (int s : c.songOf) has[size_t(s)] = 1;
        std::vector<std::string> out;
        for (size_t i = 0; i < c.songs.size(); ++i)
            if (has[i]) out.push_back(c.songs[i]);
        return out;
    };
    std::vector<std::string> common = present(run.focuses[0]);
    for (Focus f : run.focuses) {
        std::vector<std::string> s = present(f), keep;
        std::sort(s.begin(), s.end());
        for (const auto& n : common)
            if (std::binary_search(s.begin(), s.end(), n)) keep.push_back(n);
        common = keep;
    }
    run.songs = common;
    std::map<std::string, int> songIndex;
    for (size_t i = 0; i < common.size(); ++i) songIndex[common[i]] = int(i);

    for (Focus f : run.focuses) {
        const EmbeddedCorpus& c = sets.at(f);
        FocusResult r;
        r.embeddings = Matrix(0, c.embeddings.cols);
        for (int i = 0; i < c.embeddings.rows; ++i) {
            const auto it = songIndex.find(c.songs[size_t(c.songOf[size_t(i)])]);
            if (it == songIndex.end()) continue;
            r.embeddings.data.insert(r.embeddings.data.end(), c.embeddings.row(i), c.embeddings.row(i) + c.embeddings.cols);
            ++r.embeddings.rows;
            r.labels.push_back(it->second);
        }
        r.segments = r.embeddings.rows;
        r.knnAccuracy = knnAccuracy(r.embeddings, r.labels, k);
        r.centroidDistances = centroidDistanceMatrix(labelCentroids(r.embeddings, r.labels, int(common.size())));
        run.results[f] = std::move(r);
    }
    for (size_t a = 0; a < run.focuses.size(); ++a)
        for (size_t b = a + 1; b < run.focuses.size(); ++b) {
            const Matrix& A = run.results[run.focuses[a]].centroidDistances;
            const Matrix& B = run.results[run.focuses[b]].centroidDistances;
            run.pearson[{run.focuses[a], run.focuses[b]}] = upperTrianglePearson(A, B);
            run.spearman[{run.focuses[a], run.focuses[b]}] = meanRowSpearman(A, B);
        }
    if (run.results.count(Focus::Mix))
        for (Focus f : run.focuses)
            if (f != Focus::Mix)
                run.mrrInMix[f] = topKMrrInReference(run.results[f].centroidDistances,
                                                     run.results[Focus::Mix].centroidDistances, mrrTopK);
    return run;
}

EvaluationRun evaluateRun(const std::map<Focus, FeatureSet>& features,
                          const std::map<Focus, std::shared_ptr<const Embedder>>& embedders, int k, int mrrTopK)
{
    std::map<Focus, EmbeddedCorpus> sets;
    for (Focus f : kInstrumentFocuses) {
        if (!features.count(f) || !embedders.count(f) || !embedders.at(f)) continue;
        const FeatureSet& fs = features.at(f);
        const Embedder& e = *embedders.at(f);
        // Precomputed sets hold log-mel; a constant-Q or joined model needs the engine path.
        if (e.features() != EmbedderFeatures::LogMel)
            throw std::runtime_error(std::string("evaluation: precomputed log-mel features cannot feed the ") + focusName(f) +
                                     " model, which reads other features; evaluate it from the audio (CorpusEmbedding)");
        if (fs.bands != e.featureBands() || fs.frames != e.segmentFrames())
            throw std::runtime_error(std::string("evaluation: feature shape does not match the ") + focusName(f) +
                                     " model");
        std::vector<Matrix> segs;
        for (long long i = 0; i < fs.segmentCount(); ++i) {
            Matrix m(fs.frames, fs.bands);
            std::copy(fs.segment(i), fs.segment(i) + fs.perSegment(), m.data.begin());
            segs.push_back(std::move(m));
        }
        EmbeddedCorpus c;
        c.songs = fs.songs;
        c.songOf.assign(fs.songOf.begin(), fs.songOf.end());
        c.embeddings = e.embed(segs);
        sets[f] = std::move(c);
    }
    return evaluateEmbedded(sets, k, mrrTopK);
}

EvaluationSummary summarize(const std::vector<EvaluationRun>& runs)
{
    EvaluationSummary s;
    s.runs = int(runs.size());
    if (runs.empty()) return s;
    s.focuses = runs[0].focuses;
    for (Focus f : s.focuses) {
        std::vector<double> knn, mrr;
        for (const auto& r : runs) {
            if (r.results.count(f)) knn.push_back(r.results.at(f).knnAccuracy);
            if (r.mrrInMix.count(f)) mrr.push_back(r.mrrInMix.at(f));
        }
        s.knn[f] = meanVariance(knn);
        if (!mrr.empty()) s.mrr[f] = meanVariance(mrr);
    }
    for (const auto& [key, v] : runs[0].pearson) {
        std::vector<double> p, sp;
        for (const auto& r : runs) {
            if (r.pearson.count(key)) p.push_back(r.pearson.at(key));
            if (r.spearman.count(key)) sp.push_back(r.spearman.at(key));
        }
        s.pearson[key] = meanVariance(p);
        s.spearman[key] = meanVariance(sp);
    }
    return s;
}

namespace {
std::string fmt(double v, int prec = 3)
{
    char b[64];
    std::snprintf(b, sizeof b, "%.*f", prec, v);
    return b;
}
std::string mv(const MeanVar& m, int prec = 3)
{
    return fmt(m.mean, prec) + (m.n > 1 ? " (var " + fmt(m.variance, 5) + ")" : "");
}
}  // namespace

std::string summaryMarkdown(const EvaluationSummary& s)
{
    std::ostringstream o;
    o << "Runs: " << s.runs << " (mean, and unbiased variance over runs when > 1)\n\n";
    o << "Table 1 - kNN (k = 5, leave-one-out) song-ID accuracy [%]\n\n| focus | accuracy |\n| --- | --- |\n";
    for (Focus f : s.focuses) {
        MeanVar m = s.knn.at(f);
        m.mean *= 100;
        m.variance *= 1e4;
        o << "| " << focusName(f) << " | " << mv(m, 2) << " |\n";
    }
    o << "\nTable 2 - correlation of per-song centroid distance matrices between focuses\n\n"
         "| pair | Pearson r (upper triangle) | mean per-song Spearman rho |\n| --- | --- | --- |\n";
    for (const auto& [key, p] : s.pearson)
        o << "| " << focusName(key.first) << " - " << focusName(key.second) << " | " << mv(p) << " | "
          << mv(s.spearman.at(key)) << " |\n";
    if (!s.mrr.empty()) {
        o << "\nTable 3 - MRR of each focus's top-3 neighbours in the mix ranking\n\n| focus | MRR |\n| --- | --- |\n";
        for (const auto& [f, m] : s.mrr) o << "| " << focusName(f) << " | " << mv(m) << " |\n";
    }
    return o.str();
}

void writeEvaluationFiles(const std::vector<EvaluationRun>& runs, const EvaluationSummary& s, const std::string& dir)
{
    namespace fs = std::filesystem;
    fs::create_directories(dir);
    auto open = [&](const std::string& name) {
        std::ofstream out((fs::path(dir) / name).string());
        if (!out) throw std::runtime_error("cannot write " + (fs::path(dir) / name).string());
        return out;
    };
    {
        auto o = open("knn.csv");
        o << "run,focus,accuracy,segments\n";
        for (size_t i = 0; i < runs.size(); ++i)
            for (const auto& [f, r] : runs[i].results)
                o << runs[i].label << "," << focusName(f) << "," << fmt(r.knnAccuracy, 6) << "," << r.segments << "\n";
    }
    {
        auto o = open("correlations.csv");
        o << "run,focus_a,focus_b,pearson,spearman\n";
        for (const auto& run : runs)
            for (const auto& [key, p] : run.pearson)
                o << run.label << "," << focusName(key.first) << "," << focusName(key.second) << "," << fmt(p, 6)
                  << "," << fmt(run.spearman.at(key), 6) << "\n";
    }
    {
        auto o = open("mrr.csv");
        o << "run,focus,mrr\n";
        for (const auto& run : runs)
            for (const auto& [f, m] : run.mrrInMix) o << run.label << "," << focusName(f) << "," << fmt(m, 6) << "\n";
    }
    {
        auto o = open("summary.md");
        o << summaryMarkdown(s);
    }
    if (runs.empty()) return;
    const auto& r0 = runs[0];
    for (const auto& [f, r] : r0.results) {
        auto d = open(std::string("distances_") + focusName(f) + ".csv");
        d << "song";
        for (const auto& n : r0.songs) d << "," << n;
        d << "\n";
        for (int i = 0; i < r.centroidDistances.rows; ++i) {
            d << r0.songs[size_t(i)];
            for (int j = 0; j < r.centroidDistances.cols; ++j) d << "," << fmt(r.centroidDistances(i, j), 6);
            d << "\n";
        }
        auto e = open(std::string("embeddings_") + focusName(f) + ".csv");
        e << "song,label";
        for (int j = 0; j < r.embeddings.cols; ++j) e << ",e" << j;
        e << "\n";
        for (int i = 0; i < r.embeddings.rows; ++i) {
            e << r0.songs[size_t(r.labels[size_t(i)])] << "," << r.labels[size_t(i)];
            for (int j = 0; j < r.embeddings.cols; ++j) e << "," << fmt(r.embeddings(i, j), 5);
            e << "\n";
        }
    }
}

}  // namespace stemscope
