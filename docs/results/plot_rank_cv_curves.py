#!/usr/bin/python3
"""Validation curves of the cross-validated learning-to-rank runs (issue #20), one panel per trained
method, one thin line per seed and fold: validation MAP@20 (16 training songs set aside, never the
fold's queries) against training steps, as the gain over that model's own epoch 0 (the network as
initialised), so a reader sees where training stops paying and whether it pays at all. The dot on
each line is the epoch the plateau rule kept (the best validation MAP@20).

  /usr/bin/python3 docs/results/plot_rank_cv_curves.py ROOT OUT.png
  e.g. ROOT = docs/results/learning-to-rank-cv/oracle-all (seed*/fold*/<method>.curve.csv)
"""
import csv
import glob
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

METHODS = ["at", "tl-neighbors", "tl-random", "tl-distance", "tl-distance-autopool"]


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    root, out = argv[1], argv[2]
    fig, axes = plt.subplots(1, len(METHODS), figsize=(4 * len(METHODS), 3.6), sharey=True)
    for ax, method in zip(axes, METHODS):
        files = sorted(glob.glob(os.path.join(root, "seed*", "fold*", method + ".curve.csv")))
        finished = [f for f in files if os.path.exists(f.replace(".curve.csv", ".done"))]
        for f in finished:
            rows = list(csv.DictReader(open(f)))
            if len(rows) < 2:
                continue
            start = float(rows[0]["val_map"])
            steps = [int(r["steps"]) for r in rows]
            gain = [float(r["val_map"]) - start for r in rows]
            line, = ax.plot(steps, gain, lw=0.8, alpha=0.7)
            best = max(range(len(gain)), key=lambda i: (gain[i], -i))
            ax.plot(steps[best], gain[best], "o", ms=3, color=line.get_color())
        ax.axhline(0, color="grey", ls="--", lw=1)
        ax.set_title(f"{method} ({len(finished)} models)", fontsize=10)
        ax.set_xlabel("training steps")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("validation MAP@20 - epoch 0")
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    print(out)


if __name__ == "__main__":
    main(sys.argv)
