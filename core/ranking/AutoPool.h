#pragma once
// Auto-pooling (McFee, Salamon & Bello, "Adaptive pooling operators for weakly labeled sound event
// detection", IEEE/ACM TASLP 2018): for each channel c, with a learned scalar alpha_c,
//   w_t = softmax_t(alpha_c * x_{c,t}),   y_c = sum_t w_t x_{c,t}.
// alpha = 0 gives the mean over time, alpha -> +inf the max, alpha -> -inf the min.
#include "ranking/TorchFwd.h"

namespace stemscope {

// x: (batch, channels, time); alpha: (channels). Returns (batch, channels). Differentiable in both.
at::Tensor autoPool(const at::Tensor& x, const at::Tensor& alpha);

}  // namespace stemscope
