#pragma once
// Training allocates and frees the same few hundred MiB of tensors every step. glibc's defaults
// hand large blocks back to the kernel on free and map them afresh on the next step, and on our
// virtual machines each of those page faults is expensive: the constant-Q mix model's step took
// 2.25 s that way against 0.53 s with freed memory kept for reuse (session 40, same checkpoint,
// same machine; docs/benchmarks/training.md). Called by every trainer; process-wide, once.
namespace stemscope {

void keepFreedMemoryForReuse();

}  // namespace stemscope
