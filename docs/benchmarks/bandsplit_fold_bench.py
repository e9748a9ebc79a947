#!/usr/bin/python3
"""The band-split separator's network at its shapes (core/separation/BandSplitNet.h: 64 channels,
33 bands, 8 blocks, one 2048-frame chunk plus context = 2560 frames), random weights, 1 thread:
seconds per chunk for the block stack as shipped (conv -> batch norm -> ReLU -> add) against
batch norm folded into the convolution, channels-last, in place; and the band projections in and
out. Session 44's measurement behind docs/results/separation.md ("inference speed-ups").

usage: /usr/bin/python3 docs/benchmarks/bandsplit_fold_bench.py
"""
import time

import torch

torch.set_num_threads(1)
D, T, S, BLOCKS = 64, 2560, 4, 8
# The spec's band edges at 22050 Hz / 1024-point FFT (SeparatorSpec::bandEdges).
edges, f, bin_hz = [0], 0.0, 22050 / 1024
for up_to, width in [(1000, 100), (4000, 250), (8000, 500), (1e12, 1000)]:
    while f + 1e-9 < min(up_to, 11025):
        f += width
        b = round(min(f, 11025) / bin_hz)
        if b > edges[-1] and f < 11025 - width / 2:
            edges.append(b)
edges.append(513)
K = len(edges) - 1


def band_dilation(b):
    e = 1 << (b % 4)
    while e > 1 and e >= K:
        e //= 2
    return e


time_convs = [torch.nn.Conv2d(D, D, (1, 3), padding=(0, 2**b), dilation=(1, 2**b), bias=False) for b in range(BLOCKS)]
band_convs = [torch.nn.Conv2d(D, D, (3, 1), padding=(band_dilation(b), 0), dilation=(band_dilation(b), 1), bias=False)
              for b in range(BLOCKS)]
norms = [torch.nn.BatchNorm2d(D).eval() for _ in range(2 * BLOCKS)]
convs = [c for pair in zip(time_convs, band_convs) for c in pair]


def fold(conv, bn):
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    return (conv.weight * scale.view(-1, 1, 1, 1)).contiguous(memory_format=torch.channels_last), bn.bias - bn.running_mean * scale


folded = [fold(c, n) for c, n in zip(convs, norms)]


def stack_shipped(z):
    for c, n in zip(convs, norms):
        z = z + torch.relu(n(c(z)))
    return z


def stack_folded(z):
    z = z.contiguous(memory_format=torch.channels_last)
    for c, (w, b) in zip(convs, folded):
        z.add_(torch.nn.functional.conv2d(z, w, b, padding=c.padding, dilation=c.dilation).relu_())
    return z


in_proj = [torch.nn.Linear(edges[k + 1] - edges[k], D) for k in range(K)]
out_hidden = [torch.nn.Linear(D, D) for _ in range(K)]
out_proj = [torch.nn.Linear(D, S * (edges[k + 1] - edges[k])) for k in range(K)]
in_norm = torch.nn.BatchNorm1d(513).eval()
mag = torch.rand(1, 513, T)


def project_in():
    x = in_norm(torch.log(mag + 1e-5)).transpose(1, 2)
    return torch.stack([in_proj[k](x.narrow(2, edges[k], edges[k + 1] - edges[k])).transpose(1, 2) for k in range(K)], 2)


def project_out(z):
    y = z.permute(0, 2, 3, 1)
    logits = [out_proj[k](torch.tanh(out_hidden[k](y.select(1, k)))).view(1, T, S, edges[k + 1] - edges[k]) for k in range(K)]
    return torch.softmax(torch.cat(logits, 3).permute(0, 2, 3, 1), 1)


def seconds(fn, repeats=3):
    fn()
    t = time.time()
    for _ in range(repeats):
        fn()
    return (time.time() - t) / repeats


z = torch.randn(1, D, K, T)
with torch.no_grad():
    print(f"bands {K}, chunk {T} frames, 1 thread, seconds per chunk")
    print(f"block stack, shipped:          {seconds(lambda: stack_shipped(z.clone())):.3f}")
    print(f"block stack, folded + cl:      {seconds(lambda: stack_folded(z.clone())):.3f}")
    print(f"band projections in:           {seconds(project_in):.3f}")
    print(f"band projections out:          {seconds(lambda: project_out(z)):.3f}")
    print(f"band projections out, cl feat: {seconds(lambda: project_out(z.contiguous(memory_format=torch.channels_last))):.3f}")
