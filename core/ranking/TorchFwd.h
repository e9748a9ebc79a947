#pragma once
// Forward declaration of the tensor type, so ranking headers can name tensors in signatures used
// between torch .cpp files without including LibTorch (whose headers compile slowly).
// Include <torch/torch.h> in the .cpp that calls these functions.
namespace at {
class Tensor;
}
