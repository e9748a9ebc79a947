#!/usr/bin/env python3
"""Figures for docs/results/instrument-similarity.md from the CSVs `stemscope-cli evaluate` writes.

usage: /usr/bin/python3 plot_instrument_similarity.py EVAL_DIR OUT_DIR
Writes OUT_DIR/instrument-similarity-tsne.png (exact t-SNE of the test segments per focus, numpy only)
and OUT_DIR/instrument-similarity-distances.png (per-song centroid cosine distance matrices).
"""
import csv
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

FOCUSES = ["mix", "drums", "bass", "piano", "guitar"]


def read_embeddings(path):
    songs, rows = [], []
    with open(path) as f:
        r = csv.reader(f)
        next(r)
        for line in r:
            songs.append(int(line[1]))
            rows.append([float(v) for v in line[2:]])
    return np.array(songs), np.array(rows, dtype=np.float64)


def read_distances(path):
    with open(path) as f:
        r = csv.reader(f)
        header = next(r)[1:]
        d = np.array([[float(v) for v in line[1:]] for line in r])
    return header, d


def tsne(x, perplexity=30.0, iters=750, seed=0):
    """Exact t-SNE (van der Maaten & Hinton 2008) with early exaggeration, on cosine distances."""
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    xn = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    d = np.maximum(0.0, 1.0 - xn @ xn.T)
    p = np.zeros((n, n))
    target = np.log(perplexity)
    for i in range(n):
        lo, hi, beta = 1e-20, 1e20, 1.0
        di = np.delete(d[i], i)
        for _ in range(60):
            pi = np.exp(-di * beta)
            s = pi.sum()
            if s <= 0:
                beta /= 2
                continue
            pi /= s
            h = -np.sum(pi * np.log(np.maximum(pi, 1e-300)))
            if abs(h - target) < 1e-4:
                break
            if h > target:
                lo = beta
                beta = beta * 2 if hi == 1e20 else (beta + hi) / 2
            else:
                hi = beta
                beta = (beta + lo) / 2
        p[i, np.arange(n) != i] = pi
    p = (p + p.T) / (2 * n)
    p = np.maximum(p, 1e-12)
    y = rng.normal(0, 1e-4, (n, 2))
    vel = np.zeros_like(y)
    gains = np.ones_like(y)
    for it in range(iters):
        pe = p * (12.0 if it < 100 else 1.0)
        sq = np.sum(y * y, 1)
        num = 1.0 / (1.0 + sq[:, None] + sq[None, :] - 2 * y @ y.T)
        np.fill_diagonal(num, 0)
        q = np.maximum(num / num.sum(), 1e-12)
        pq = (pe - q) * num
        grad = 4 * ((np.diag(pq.sum(1)) - pq) @ y)
        mom = 0.5 if it < 250 else 0.8
        gains = (gains + 0.2) * ((grad > 0) != (vel > 0)) + gains * 0.8 * ((grad > 0) == (vel > 0))
        gains = np.maximum(gains, 0.01)
        vel = mom * vel - 200.0 * gains * grad
        y += vel
        y -= y.mean(0)
    return y


def main():
    ev, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    focuses = [f for f in FOCUSES if (ev / f"embeddings_{f}.csv").exists()]
    fig, axes = plt.subplots(1, len(focuses), figsize=(4 * len(focuses), 4.2))
    axes = np.atleast_1d(axes)
    cmap = plt.get_cmap("tab20")
    for ax, f in zip(axes, focuses):
        labels, x = read_embeddings(ev / f"embeddings_{f}.csv")
        y = tsne(x)
        ax.scatter(y[:, 0], y[:, 1], c=[cmap(l % 20) for l in labels], s=6)
        ax.set_title(f"{f} ({len(labels)} segments)")
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle("t-SNE of test-segment embeddings, coloured by song (one model per focus)")
    fig.tight_layout()
    fig.savefig(out / "instrument-similarity-tsne.png", dpi=110)

    fig, axes = plt.subplots(1, len(focuses), figsize=(4 * len(focuses), 4.0))
    axes = np.atleast_1d(axes)
    for ax, f in zip(axes, focuses):
        songs, d = read_distances(ev / f"distances_{f}.csv")
        im = ax.imshow(d, cmap="viridis")
        ax.set_title(f"{f}: centroid cosine distance")
        ax.set_xticks([])
        ax.set_yticks([])
        fig.colorbar(im, ax=ax, fraction=0.046)
    fig.tight_layout()
    fig.savefig(out / "instrument-similarity-distances.png", dpi=110)


if __name__ == "__main__":
    main()
