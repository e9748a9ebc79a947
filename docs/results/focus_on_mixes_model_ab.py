#!/usr/bin/python3
"""Two models on the same validation sets, query by query (session 47).

Reads the embeddings `stemscope-cli evaluate-mix --embeddings DIR` wrote for model A and model B on
the same sets (DIR pairs in the same order) and compares, per focus, the queries each finds at
rank 1 under the engine's pooling (segment weights from *_segment_weights.npy) and both scorings
(the benchmark's centroid cosine, the engine's library CSLS k = 5), with a two-sided sign test on
the queries one finds and the other misses.

  docs/results/focus_on_mixes_model_ab.py --a DIR [DIR...] --b DIR [DIR...] [--focus piano,guitar]
      [--pipeline NAME] [--pipeline-b NAME]   (B's pipeline, when A and B are two pipelines of one run)
"""
import argparse
import os
import numpy as np

from focus_on_mixes_scoring import centroids, library_csls, sign_test


def found(stem, scoring):
    load = lambda side, what: np.load(f"{stem}.{side}_{what}.npy").astype(np.float64)
    n = np.load(stem + ".distractor.npy").size
    cq = centroids(load("query", "segments"), load("query", "segment_track").ravel().astype(int), n,
                   load("query", "segment_weights").ravel())
    cg = centroids(load("gallery", "segments"), load("gallery", "segment_track").ravel().astype(int), n,
                   load("gallery", "segment_weights").ravel())
    sim = cq @ cg.T if scoring == "centroid" else library_csls(cq, cg, 5)
    return sim.argmax(axis=1) == np.arange(n)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--a", nargs="+", required=True)
    ap.add_argument("--b", nargs="+", required=True)
    ap.add_argument("--focus", default="drums,bass,piano,guitar")
    ap.add_argument("--pipeline", default="default")
    ap.add_argument("--pipeline-b", default=None)
    x = ap.parse_args()
    if len(x.a) != len(x.b):
        raise SystemExit("--a and --b need the same sets")
    print("| focus | scoring | " + " | ".join(os.path.basename(d.rstrip("/")) for d in x.a) +
          " | all: A -> B | B gains / loses | sign test p |")
    print("| --- | --- | " + " | ".join("---" for _ in x.a) + " | --- | --- | --- |")
    for focus in x.focus.split(","):
        for scoring in ("centroid", "engine"):
            cells, ha, hb, gained, lost, total = [], 0, 0, 0, 0, 0
            for da, db in zip(x.a, x.b):
                a = found(os.path.join(da, f"{focus}.{x.pipeline}"), scoring)
                b = found(os.path.join(db, f"{focus}.{x.pipeline_b or x.pipeline}"), scoring)
                cells.append(f"{a.mean():.2f} -> {b.mean():.2f}")
                ha, hb, total = ha + int(a.sum()), hb + int(b.sum()), total + a.size
                gained, lost = gained + int((b & ~a).sum()), lost + int((a & ~b).sum())
            p = sign_test(gained, lost)
            print(f"| {focus} | {scoring} | " + " | ".join(cells) +
                  f" | {ha}/{total} -> {hb}/{total} | {gained} / {lost} | {p:.3f} |")


if __name__ == "__main__":
    main()
