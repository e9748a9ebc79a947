#pragma once
// The rows that put a separator's SDR in context (issue #17), torch-free, on the STFT of the
// separator (Hann 1024, hop 256 at 22050 Hz by default):
//  * the oracle ratio mask: each source's |S_j| / sum_k |S_k| applied to the mixture STFT (mixture
//    phase) — the ceiling of any mask-based separator at that STFT, computed from the true stems;
//  * a training-free harmonic/percussive split (median filtering, Fitzgerald 2010) whose percussive
//    part estimates the drums.
// (The third reference, the mix itself as every source's estimate, needs no code.)
#include <vector>

#include "dsp/Stft.h"

namespace stemscope {

inline StftConfig separatorStft() { return StftConfig{1024, 256, true}; }

// stems: the true sources (same length); returns one estimate per source, each of that length.
std::vector<std::vector<float>> oracleRatioMask(const std::vector<std::vector<float>>& stems,
                                                const StftConfig& config = separatorStft());
// The ideal binary mask: each time-frequency bin goes whole to the source loudest in it. What a
// listener can "glimpse" of a source where it dominates; a buried part keeps few bins.
std::vector<std::vector<float>> oracleBinaryMask(const std::vector<std::vector<float>>& stems,
                                                 const StftConfig& config = separatorStft());

// The percussive part of `mix`: soft mask P^2 / (H^2 + P^2), H = median of |X| over `kernel` frames,
// P = median over `kernel` bins.
std::vector<float> hpssPercussive(const std::vector<float>& mix, const StftConfig& config = separatorStft(), int kernel = 17);

}  // namespace stemscope
