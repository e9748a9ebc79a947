#pragma once
// INTERNAL (includes LibTorch): the labelled triplet losses of both embedding trainers (the focus
// trainer in instrsim/, the mix-model trainer in mixfocus/), cosine distance d = 1 - a.b on unit
// rows. Include only from .cpp files.
#include <torch/torch.h>

#include <algorithm>

namespace stemscope::detail {

struct TripletLossValue {
    torch::Tensor loss;  // undefined when the batch holds no anchor
    double active = 0;   // share of anchors (batch-hard) or valid triplets (batch-all) with positive loss
};

// The pairwise cosine distances and masks both losses start from: pos (same label, not itself),
// neg (another label) and anchors (rows with at least one of each).
struct TripletMasks {
    torch::Tensor dist, pos, neg, anchors;
};
inline TripletMasks tripletMasks(const torch::Tensor& e, const torch::Tensor& labels)
{
    auto dist = 1 - torch::matmul(e, e.t());
    auto same = labels.unsqueeze(0) == labels.unsqueeze(1);
    auto pos = same.logical_and(torch::eye(e.size(0), torch::kBool).logical_not());
    auto neg = same.logical_not();
    auto anchors = pos.any(1).logical_and(neg.any(1));
    return {dist, pos, neg, anchors};
}

// e: [N, d] unit rows; labels: [N]. An anchor is a row with at least one positive (same label) and
// one negative. Batch-hard (Hermans et al. 2017): each anchor's farthest positive against its
// nearest negative, mean over anchors. Batch-all: every valid (anchor, positive, negative), summed
// and divided by the number with positive loss.
inline TripletLossValue labelledTripletLoss(const torch::Tensor& e, const torch::Tensor& labels, double margin, bool hard)
{
    const auto [dist, pos, neg, anchors] = tripletMasks(e, labels);
    if (!anchors.any().item<bool>()) return {};
    if (hard) {
        auto hardPos = (dist * pos.to(torch::kFloat) - 1e4 * pos.logical_not().to(torch::kFloat)).amax(1);
        auto hardNeg = (dist + 1e4 * neg.logical_not().to(torch::kFloat)).amin(1);
        auto l = torch::relu(hardPos - hardNeg + margin).masked_select(anchors);
        return {l.mean(), (l > 0).to(torch::kFloat).mean().item<double>()};
    }
    auto valid = pos.unsqueeze(2).logical_and(neg.unsqueeze(1));
    auto l = torch::relu(dist.unsqueeze(2) - dist.unsqueeze(1) + margin) * valid.to(torch::kFloat);
    const double nActive = (l > 1e-12).to(torch::kFloat).sum().item<double>();
    const double nValid = valid.sum().item<double>();
    return {l.sum() / std::max(1.0, nActive), nValid > 0 ? nActive / nValid : 0.0};
}

// Each anchor's own batch-all loss: the mean of relu(d(a,p) - d(a,n) + margin) over its valid
// (positive, negative) pairs. loss: [N] (0 where a row is no anchor); anchors: [N] bool.
struct PerAnchorLoss {
    torch::Tensor loss, anchors;
};
inline PerAnchorLoss perAnchorTripletLoss(const torch::Tensor& e, const torch::Tensor& labels, double margin)
{
    const auto [dist, pos, neg, anchors] = tripletMasks(e, labels);
    auto valid = pos.unsqueeze(2).logical_and(neg.unsqueeze(1)).to(torch::kFloat);
    auto l = torch::relu(dist.unsqueeze(2) - dist.unsqueeze(1) + margin) * valid;
    return {l.sum({1, 2}) / valid.sum({1, 2}).clamp_min(1.0), anchors};
}

}  // namespace stemscope::detail
