#!/usr/bin/python3
"""Validation curves of learning-to-rank models (`rank train --curve`): MAP@20 and nDCG@20 on the
validation songs against training seconds, one line per CSV (e.g. the five methods of one fold).

  /usr/bin/python3 docs/results/plot_rank_curves.py OUT.png A.curve.csv [B.curve.csv ...] [--chance X]
"""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def main(argv):
    chance = None
    if "--chance" in argv:
        i = argv.index("--chance")
        chance = float(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    if len(argv) < 3:
        sys.exit(__doc__)
    out, files = argv[1], argv[2:]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for f in files:
        rows = list(csv.DictReader(open(f)))
        if not rows:
            continue
        t = [float(r["seconds"]) / 60 for r in rows]
        label = os.path.basename(f).replace(".curve.csv", "").replace(".csv", "")
        axes[0].plot(t, [float(r["val_map"]) for r in rows], marker="o", ms=3, label=label)
        axes[1].plot(t, [float(r["val_ndcg"]) for r in rows], marker="o", ms=3, label=label)
    for ax, name in zip(axes, ["validation MAP@20", "validation nDCG@20"]):
        ax.set_xlabel("training minutes")
        ax.set_ylabel(name)
        ax.grid(alpha=0.3)
    if chance is not None:
        axes[0].axhline(chance, color="grey", ls="--", lw=1, label="chance")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(out)


if __name__ == "__main__":
    main(sys.argv)
