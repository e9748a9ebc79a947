#include "ranking/AutoPool.h"

#include <torch/torch.h>

namespace stemscope {

at::Tensor autoPool(const at::Tensor& x, const at::Tensor& alpha)
{
    TORCH_CHECK(x.dim() == 3, "autoPool: x must be (batch, channels, time)");
    TORCH_CHECK(alpha.dim() == 1 && alpha.size(0) == x.size(1), "autoPool: one alpha per channel");
    const auto scaled = x * alpha.view({1, -1, 1});
    const auto w = torch::softmax(scaled, /*dim=*/2); // max-subtracted internally: stable for large alpha
    return (x * w).sum(2);
}

}  // namespace stemscope
