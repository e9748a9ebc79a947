#!/usr/bin/python3
"""Length-weighted against equal-weighted track centroids, on the same embeddings (session 47).

Reads the folders `stemscope-cli evaluate-mix --embeddings DIR` writes (one per validation set; each
segment's weight in FOCUS.PIPELINE.*_segment_weights.npy) and scores every focus both ways, under
the benchmark's centroid cosine and the engine's ranking (library CSLS, k = 5), per set and over all
sets, with the queries each pooling finds and the other misses and a two-sided sign test on them.

  docs/results/focus_on_mixes_pooling_ab.py DIR [DIR...] [--pipeline default]
"""
import argparse
import os
import numpy as np

from focus_on_mixes_scoring import centroids, library_csls, sign_test


def found(sim):
    return sim.argmax(axis=1) == np.arange(sim.shape[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--pipeline", default="default")
    a = ap.parse_args()
    print("| focus | scoring | " + " | ".join(os.path.basename(d.rstrip("/")) for d in a.dirs) +
          " | all: equal -> length-weighted | gained / lost | sign test p |")
    print("| --- | --- | " + " | ".join("---" for _ in a.dirs) + " | --- | --- | --- |")
    for focus in ("drums", "bass", "piano", "guitar"):
        for scoring in ("centroid", "engine"):
            cells, hits = [], {0: 0, 1: 0}
            gained = lost = total = 0
            for d in a.dirs:
                stem = os.path.join(d, f"{focus}.{a.pipeline}")
                if not os.path.exists(stem + ".distractor.npy"):
                    cells.append("")
                    continue
                load = lambda side, what: np.load(f"{stem}.{side}_{what}.npy").astype(np.float64)
                n = np.load(stem + ".distractor.npy").size
                qs, qt = load("query", "segments"), load("query", "segment_track").ravel().astype(int)
                gs, gt = load("gallery", "segments"), load("gallery", "segment_track").ravel().astype(int)
                qw, gw = load("query", "segment_weights").ravel(), load("gallery", "segment_weights").ravel()
                ok = []
                for weighted in (False, True):
                    cq = centroids(qs, qt, n, qw if weighted else None)
                    cg = centroids(gs, gt, n, gw if weighted else None)
                    ok.append(found(cq @ cg.T if scoring == "centroid" else library_csls(cq, cg, 5)))
                cells.append(f"{ok[0].mean():.2f} -> {ok[1].mean():.2f}")
                hits[0] += int(ok[0].sum())
                hits[1] += int(ok[1].sum())
                gained += int((ok[1] & ~ok[0]).sum())
                lost += int((ok[0] & ~ok[1]).sum())
                total += n
            p = sign_test(gained, lost)
            print(f"| {focus} | {scoring} | " + " | ".join(cells) +
                  f" | {hits[0]}/{total} -> {hits[1]}/{total} | {gained} / {lost} | {p:.3f} |")


if __name__ == "__main__":
    main()
