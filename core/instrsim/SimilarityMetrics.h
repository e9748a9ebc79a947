#pragma once
// Evaluation metrics of Hashizume, Li & Toda, "Music similarity learning focusing on individual
// instrumental sounds", Sec. 4.2.1. Torch-free and Qt-free. Distances are cosine distances
// d(a, b) = 1 - a.b / (|a| |b|) (0 when a vector is zero-length: d = 1).
//
// kNN song-ID accuracy (leave-one-out over segments): for every segment, its k nearest *other*
//   segments vote with their song label; the majority wins; a tie between labels goes to the tied
//   label whose first vote came earliest (the nearest neighbour among the tied). Ties in distance
//   are broken by segment index. Accuracy = fraction of segments whose vote equals their label.
// Centroid distance matrix: D[i][j] = d(c_i, c_j) between per-song centroids (normalised means).
// Pearson r of two distance matrices: over their strict upper triangles (i < j).
// Mean per-song Spearman rho: for each song i, Spearman correlation of row i of A and of B over
//   j != i (average ranks for ties), averaged over songs.
// MRR of focus top-k in the mix ranking: for query q, the k nearest songs of q under the focus
//   matrix F (j != q, ties by index); each such song n scores 1 / rank_M(q, n), its 1-based rank
//   among the songs j != q ordered by the mix matrix M. MRR = mean over all (q, n) pairs.
//   1.0 = the focus agrees with the mix; ~ (H_{N-1} / (N-1)) for an unrelated ranking.
#include <vector>

#include "dsp/Matrix.h"

namespace stemscope {

double cosineDistance(const float* a, const float* b, int dim);
// rows x rows matrix of cosine distances between the rows of `e`.
Matrix pairwiseCosineDistances(const Matrix& e);

// Majority label of the k nearest neighbours of row `query` in `distances` (leave-one-out).
int knnPredict(const Matrix& distances, const std::vector<int>& labels, int query, int k = 5);
double knnAccuracy(const Matrix& embeddings, const std::vector<int>& labels, int k = 5);
double knnAccuracyFromDistances(const Matrix& distances, const std::vector<int>& labels, int k = 5);

// Per-label normalised centroids of the rows of `embeddings` (label ids 0..labelCount-1).
std::vector<std::vector<float>> labelCentroids(const Matrix& embeddings, const std::vector<int>& labels, int labelCount);
Matrix centroidDistanceMatrix(const std::vector<std::vector<float>>& centroids);

double pearson(const std::vector<double>& x, const std::vector<double>& y);
std::vector<double> averageRanks(const std::vector<double>& x); // 1-based, ties get the mean rank
double spearman(const std::vector<double>& x, const std::vector<double>& y);
std::vector<double> upperTriangle(const Matrix& m);

double upperTrianglePearson(const Matrix& a, const Matrix& b);
double meanRowSpearman(const Matrix& a, const Matrix& b);
double topKMrrInReference(const Matrix& focus, const Matrix& reference, int k = 3);

struct MeanVar {
    double mean = 0;
    double variance = 0; // unbiased sample variance (n - 1); 0 when n < 2
    int n = 0;
};
MeanVar meanVariance(const std::vector<double>& values);

}  // namespace stemscope
