#!/usr/bin/python3
"""How the pseudo-mix benchmark's ranking depends on the scoring, not the model.

Reads the embeddings `stemscope-cli evaluate-mix --embeddings DIR` writes and scores each focus and
pipeline under several ways of comparing two tracks:

  centroid   cosine of the track centroids (the benchmark's and the engine's scoring; this row
             must reproduce evaluate-mix's acc@1, a check of the files); since session 47 each
             segment weighs its segment_weights entry (a mix model's block length)
  centroid-unweighted  the same with every segment weighing alike (the pooling before session 47)
  centered   the same after subtracting the mean of the gallery's segment embeddings (what every
             item shares: in the app, the library's mean), then re-normalising
  csls       cross-domain similarity local scaling (Lample et al. 2018): 2 cos - r_q - r_g, r the
             mean cosine to the k nearest of the other side; penalises "hub" items near everything
  centered+csls  both
  trimmed20, trimmed33  the centroid after dropping the 20 % / 33 % of each track's segments least
             like its centroid (segments where the part is silent or buried) (session 41)
  chamfer    mean over the query's segments of the best cosine to any gallery segment (session 41)
  pairmean   mean cosine over all query x gallery segment pairs (session 41)
  library-csls  CSLS as the engine would serve it (session 42): queries and gallery are one library,
             r is each track's mean cosine to its k nearest other library tracks (either side);
             must reproduce evaluate-mix's "engine ranking" (library-csls-unweighted: equal weights)
  library-centered+csls  the same after subtracting the library's mean track centroid

  docs/results/focus_on_mixes_scoring.py DIR [--k 5]
"""
import argparse
import glob
import os

import numpy as np


def unit(x):
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(n, 1e-12)


def centroids(seg, track, n, weights=None):
    c = np.zeros((n, seg.shape[1]), dtype=np.float64)
    w = np.ones(len(seg)) if weights is None else weights
    for i in range(n):
        m = track == i
        if m.any():
            c[i] = (seg[m] * w[m][:, None]).sum(axis=0)
    return unit(c)


def trimmed_centroids(seg, track, n, drop):
    c = np.zeros((n, seg.shape[1]), dtype=np.float64)
    plain = centroids(seg, track, n)
    for i in range(n):
        rows = seg[track == i]
        if len(rows):
            keep = np.argsort(rows @ plain[i])[int(drop * len(rows)):]
            c[i] = rows[keep].mean(axis=0)
    return unit(c)


def segment_sets(qs, qt, gs, gt, n, reduce):
    sim = np.full((n, n), -2.0)
    for i in range(n):
        a = qs[qt == i]
        for j in range(n):
            b = gs[gt == j]
            if len(a) and len(b):
                sim[i, j] = reduce(a @ b.T)
    return sim


def scores(sim, distractor):
    n = sim.shape[0]
    nearest = sim.argmax(axis=1)
    acc = float(np.mean(nearest == np.arange(n)))
    dis = float(np.mean(nearest == distractor))
    # rank of the right item: 1 + how many score strictly higher
    rank = 1 + (sim > sim[np.arange(n), np.arange(n)][:, None]).sum(axis=1)
    return acc, dis, float(np.mean(1.0 / rank))


def sign_test(gained, lost):
    """Two-sided sign test on the queries one way finds and the other misses."""
    from math import comb
    k = gained + lost
    return min(1.0, 2 * sum(comb(k, i) for i in range(min(gained, lost) + 1)) / 2 ** k) if k else 1.0


def csls(sim, k):
    k = min(k, sim.shape[0] - 1)
    rq = np.sort(sim, axis=1)[:, -k:].mean(axis=1)
    rg = np.sort(sim, axis=0)[-k:, :].mean(axis=0)
    return 2 * sim - rq[:, None] - rg[None, :]


def library_csls(cq, cg, k):
    # One library of 2n tracks, as NeighbourSearch sees it: r from each track's k nearest others.
    lib = np.vstack([cq, cg])
    sim = lib @ lib.T
    np.fill_diagonal(sim, -np.inf)
    r = np.sort(sim, axis=1)[:, -k:].mean(axis=1)
    n = cq.shape[0]
    return 2 * (cq @ cg.T) - r[:n, None] - r[None, n:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--k", type=int, default=5)
    a = ap.parse_args()
    print("| focus | pipeline | scoring | acc@1 | distractor@1 | MRR |")
    print("| --- | --- | --- | --- | --- | --- |")
    for dfile in sorted(glob.glob(os.path.join(a.dir, "*.distractor.npy"))):
        stem = dfile[: -len(".distractor.npy")]
        focus, pipeline = os.path.basename(stem).split(".", 1)
        load = lambda side, what: np.load(f"{stem}.{side}_{what}.npy").astype(np.float64)
        distractor = np.load(dfile).astype(int).ravel()
        n = len(distractor)
        qs, qt = load("query", "segments"), load("query", "segment_track").ravel().astype(int)
        gs, gt = load("gallery", "segments"), load("gallery", "segment_track").ravel().astype(int)
        # Each segment's weight in its track's centroid (session 47: a mix model's block length);
        # files written before then have none: equal weights.
        weights = lambda side, count: (load(side, "segment_weights").ravel()
                                       if os.path.exists(f"{stem}.{side}_segment_weights.npy") else np.ones(count))
        qw, gw = weights("query", len(qs)), weights("gallery", len(gs))
        variants = {}
        variants["centroid"] = centroids(qs, qt, n, qw) @ centroids(gs, gt, n, gw).T
        variants["centroid-unweighted"] = centroids(qs, qt, n) @ centroids(gs, gt, n).T
        mean = gs.mean(axis=0, keepdims=True)
        cq, cg = centroids(unit(qs - mean), qt, n), centroids(unit(gs - mean), gt, n)
        variants["centered"] = cq @ cg.T
        variants["csls"] = csls(variants["centroid"], a.k)
        variants["centered+csls"] = csls(variants["centered"], a.k)
        pq, pg = centroids(qs, qt, n, qw), centroids(gs, gt, n, gw)
        variants["library-csls"] = library_csls(pq, pg, a.k)
        variants["library-csls-unweighted"] = library_csls(centroids(qs, qt, n), centroids(gs, gt, n), a.k)
        centre = np.vstack([pq, pg]).mean(axis=0, keepdims=True)
        variants["library-centered+csls"] = library_csls(unit(pq - centre), unit(pg - centre), a.k)
        for drop in (0.2, 0.33):
            variants[f"trimmed{round(drop * 100)}"] = trimmed_centroids(qs, qt, n, drop) @ trimmed_centroids(gs, gt, n, drop).T
        variants["chamfer"] = segment_sets(qs, qt, gs, gt, n, lambda m: m.max(axis=1).mean())
        variants["pairmean"] = segment_sets(qs, qt, gs, gt, n, lambda m: m.mean())
        for name, sim in variants.items():
            acc, dis, mrr = scores(sim, distractor)
            print(f"| {focus} | {pipeline} | {name} | {acc:.2f} | {dis:.2f} | {mrr:.2f} |")


if __name__ == "__main__":
    main()
