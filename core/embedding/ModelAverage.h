#pragma once
// Weight averaging of embedding models of one shape (checkpoints of one run, or a fine-tune and the
// model it started from): the "model soup" / stochastic weight averaging of the training papers,
// often flatter and better than any one of its inputs. An input of another shape is refused.
#include <string>
#include <vector>

namespace stemscope {

// Averages the parameters and floating-point buffers (normalisation statistics) of `inputs` with
// `weights` (empty: equal; otherwise one non-negative weight per input, summing to > 0) and writes
// the result to `output` as an ordinary model file (an input may be a model folder). Integer
// buffers (counters) come from the first.
void averageModelFiles(const std::vector<std::string>& inputs, const std::vector<double>& weights,
                       const std::string& output);

}  // namespace stemscope
