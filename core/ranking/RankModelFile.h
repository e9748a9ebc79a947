#pragma once
// A trained learning-to-rank model on disk: a text header, then the network's torch archive.
//   stemscope-rank-model 1
//   mode tl|at              mining neighbors|random|distance|-     focus mix|drums|...
//   oracle all|FIELD,FIELD  the tag fields of the training oracle (absent in older files: all)
//   bins / frames / width / dim / outputs / pooling   (RankNetConfig)
//   train_seconds / steps / train_tracks              (provenance)
//   vocab N, then N tag lines (the auto-tagger's outputs, in order; also saved for tl)
//   end
//   <torch::serialize archive bytes>
#include <memory>
#include <string>
#include <vector>

#include "ranking/RankNet.h"

namespace stemscope {

struct RankModelInfo {
    std::string mode = "tl"; // "tl" (triplet loss) or "at" (auto-tagger)
    std::string mining = "-";
    std::string focus = "mix";
    std::string oracle = "all";  // the tag fields the training oracle used ("style,groove"; "all")
    RankNetConfig net;
    std::vector<std::string> vocabulary;
    double trainSeconds = 0;
    int steps = 0;          // steps the kept network had trained (the plateau rule keeps the best epoch)
    int stepsRun = -1;      // steps the training ran in all; -1: not recorded (files before session 52)
    int trainTracks = 0;
};

// The method a model file stands for in evaluation tables: "untrained network (max)" for a network
// that never took a step (the floor any training must beat), else "AT baseline (max)" or
// "TL <mining> (<pooling>)". A trained run whose best validated epoch was its first keeps its
// method's name: the comparison is between methods, and that is where this one's training led.
std::string rankMethodName(const RankModelInfo& info);

void saveRankModel(const std::string& path, const RankModelInfo& info, const RankNet& net);
// Throws std::runtime_error on a malformed file.
std::unique_ptr<RankNet> loadRankModel(const std::string& path, RankModelInfo& info);

}  // namespace stemscope
