#!/usr/bin/python3
"""Learning curve of the mask separator: training loss and held-out median SDR per source against
steps and wall time (learning_curve.csv from `stemscope-cli separation train --validate`), with the
oracle-ratio-mask ceiling of the 20 test songs as dotted lines for scale.

usage: plot_separator_curve.py learning_curve.csv OUT.png [REFERENCE.csv]
  REFERENCE.csv: another run's curve, drawn dashed (e.g. the shipped model's, to compare at equal
  steps and equal wall time)
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

src, out = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(src)))
step = [int(r["step"]) for r in rows]
minutes = [float(r["seconds"]) / 60 for r in rows]
sources = ["drums", "bass", "piano", "guitar", "other"]
oracle = {"drums": 6.5, "bass": 11.3, "piano": 9.9, "guitar": 6.2}  # test split, docs/results/separation.md
colour = {"drums": "C0", "bass": "C1", "piano": "C2", "guitar": "C3", "other": "C4"}
fig, ax = plt.subplots(1, 3, figsize=(15, 4))
ax[0].plot(step, [float(r["loss"]) for r in rows], color="black")
ax[0].set_xlabel("step")
ax[0].set_ylabel("training L1 loss (magnitudes)")
for s in sources:
    ys = [float(r["val_sdr_" + s]) for r in rows]
    ax[1].plot(step, ys, marker="o", label=s, color=colour[s])
    ax[2].plot(minutes, ys, marker="o", label=s, color=colour[s])
    if s in oracle:
        for a in ax[1:]:
            a.axhline(oracle[s], color=colour[s], linestyle=":", linewidth=1)
if len(sys.argv) > 3:
    ref = list(csv.DictReader(open(sys.argv[3])))
    for s in sources:
        ys = [float(r["val_sdr_" + s]) for r in ref]
        ax[1].plot([int(r["step"]) for r in ref], ys, linestyle="--", linewidth=1, color=colour[s])
        ax[2].plot([float(r["seconds"]) / 60 for r in ref], ys, linestyle="--", linewidth=1, color=colour[s])
    ax[0].plot([int(r["step"]) for r in ref], [float(r["loss"]) for r in ref], color="grey", linestyle="--")
for a in ax[1:]:
    a.set_ylabel("median SDR, 16 held-out songs (dB)")
    a.legend(fontsize=8)
ax[1].set_xlabel("step")
ax[1].set_title("validation SDR (dotted: oracle mask on the test songs" + (", dashed: reference run)" if len(sys.argv) > 3 else ")"))
ax[2].set_xlabel("wall time (min, 2 cores, shared)")
fig.tight_layout()
fig.savefig(out, dpi=90)
print("wrote", out)
