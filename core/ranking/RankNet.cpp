#include "ranking/RankNet.h"

#include <stdexcept>

#include <torch/torch.h>

#include "ranking/AutoPool.h"

namespace stemscope {

const char* poolingName(TemporalPooling p) { return p == TemporalPooling::AutoPool ? "autopool" : "max"; }

bool poolingFromName(const std::string& name, TemporalPooling& out)
{
    if (name == "max") out = TemporalPooling::Max;
    else if (name == "autopool") out = TemporalPooling::AutoPool;
    else return false;
    return true;
}

namespace {

struct NetImpl : torch::nn::Module {
    explicit NetImpl(const RankNetConfig& c) : cfg(c)
    {
        inputNorm = register_module("input_norm", torch::nn::BatchNorm2d(1));
        int in = 1;
        for (int b = 0; b < 4; ++b) {
            const int out = c.width << b;
            convs.push_back(register_module("conv" + std::to_string(b),
                                            torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1).bias(false))));
            norms.push_back(register_module("bn" + std::to_string(b), torch::nn::BatchNorm2d(out)));
            in = out;
        }
        channels = in;
        if (c.pooling == TemporalPooling::AutoPool) alpha = register_parameter("alpha", torch::zeros({channels}));
        head = register_module("head", torch::nn::Linear(channels, c.isTagger() ? c.outputs : c.dim));
    }

    torch::Tensor forward(torch::Tensor x)
    {
        // (B, frames, bins) -> (B, 1, bins, frames): frequency as height, time as width.
        x = inputNorm(x.transpose(1, 2).unsqueeze(1));
        for (int b = 0; b < 4; ++b) {
            x = torch::relu(norms[size_t(b)](convs[size_t(b)](x)));
            const int64_t ph = x.size(2) >= 2 ? 2 : 1;
            const int64_t pw = std::min<int64_t>(b == 0 ? 4 : 2, x.size(3));
            x = torch::max_pool2d(x, {ph, pw});
        }
        x = std::get<0>(x.max(2)); // frequency max-pool: (B, C, T)
        x = cfg.pooling == TemporalPooling::AutoPool ? autoPool(x, alpha) : std::get<0>(x.max(2));
        x = head(x);
        if (!cfg.isTagger()) x = torch::nn::functional::normalize(x, torch::nn::functional::NormalizeFuncOptions().dim(1));
        return x;
    }

    RankNetConfig cfg;
    int channels = 0;
    torch::nn::BatchNorm2d inputNorm{nullptr};
    std::vector<torch::nn::Conv2d> convs;
    std::vector<torch::nn::BatchNorm2d> norms;
    torch::Tensor alpha;
    torch::nn::Linear head{nullptr};
};

}  // namespace

struct RankNet::Impl {
    RankNetConfig cfg;
    std::shared_ptr<NetImpl> net;
};

RankNet::RankNet(const RankNetConfig& c, uint64_t seed) : impl_(std::make_unique<Impl>())
{
    if (c.bins < 8 || c.frames < 8 || c.width < 1) throw std::invalid_argument("RankNet: input too small");
    impl_->cfg = c;
    torch::manual_seed(seed);
    impl_->net = std::make_shared<NetImpl>(c);
}

RankNet::~RankNet() = default;

const RankNetConfig& RankNet::config() const { return impl_->cfg; }

at::Tensor RankNet::forward(const at::Tensor& batch) { return impl_->net->forward(batch); }

std::vector<at::Tensor> RankNet::parameters() const { return impl_->net->parameters(); }

void RankNet::setTraining(bool on) { impl_->net->train(on); }

long long RankNet::parameterCount() const
{
    long long n = 0;
    for (const auto& p : impl_->net->parameters()) n += p.numel();
    return n;
}

std::vector<float> RankNet::autoPoolAlpha() const
{
    const auto& a = impl_->net->alpha;
    if (!a.defined()) return {};
    const auto c = a.detach().contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

at::Tensor patchesToTensor(const std::vector<const Matrix*>& patches)
{
    if (patches.empty()) throw std::invalid_argument("patchesToTensor: no patches");
    const int rows = patches[0]->rows, cols = patches[0]->cols;
    auto t = torch::empty({int64_t(patches.size()), rows, cols});
    float* dst = t.data_ptr<float>();
    for (const Matrix* m : patches) {
        if (m->rows != rows || m->cols != cols) throw std::invalid_argument("patchesToTensor: shape mismatch");
        std::copy(m->data.begin(), m->data.end(), dst);
        dst += m->data.size();
    }
    return t;
}

Matrix RankNet::infer(const std::vector<Matrix>& patches, int batchSize)
{
    torch::NoGradGuard noGrad;
    const bool wasTraining = impl_->net->is_training();
    impl_->net->eval();
    const int outDim = impl_->cfg.isTagger() ? impl_->cfg.outputs : impl_->cfg.dim;
    Matrix out(int(patches.size()), outDim);
    for (size_t first = 0; first < patches.size(); first += size_t(batchSize)) {
        std::vector<const Matrix*> chunk;
        for (size_t i = first; i < std::min(patches.size(), first + size_t(batchSize)); ++i) chunk.push_back(&patches[i]);
        auto y = impl_->net->forward(patchesToTensor(chunk));
        if (impl_->cfg.isTagger()) y = torch::sigmoid(y);
        y = y.contiguous();
        std::copy(y.data_ptr<float>(), y.data_ptr<float>() + y.numel(), out.row(int(first)));
    }
    impl_->net->train(wasTraining);
    return out;
}

void RankNet::save(std::ostream& out) const
{
    torch::serialize::OutputArchive archive;
    impl_->net->save(archive);
    archive.save_to(out);
}

void RankNet::load(std::istream& in)
{
    torch::serialize::InputArchive archive;
    archive.load_from(in);
    impl_->net->load(archive);
}

}  // namespace stemscope
