#pragma once
// Separation quality, torch-free.
//  * bssEvalSdr: the SDR of BSS Eval (Vincent et al. 2006, v3 as in mir_eval.separation.
//    bss_eval_sources with compute_permutation=False): the estimate is split into the part
//    explained by the true source through an FIR filter of `filterLength` taps (allowed
//    distortion, 512 as mir_eval) and the rest; SDR = 10 log10(|s_filt|^2 / |estimate - s_filt|^2).
//    Cross-checked against mir_eval in tests/unit/tst_separation_metrics.cpp.
//  * siSdr: scale-invariant SDR (Le Roux et al. 2019), no filter: s_t = <e,s>/|s|^2 s.
// Both return NaN when the reference is silent (undefined) and +inf for a perfect estimate.
#include <vector>

namespace stemscope {

double bssEvalSdr(const std::vector<float>& reference, const std::vector<float>& estimate, int filterLength = 512);
double siSdr(const std::vector<float>& reference, const std::vector<float>& estimate);

// Median of the finite values (NaN when there is none).
double medianFinite(std::vector<double> values);

}  // namespace stemscope
