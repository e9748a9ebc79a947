#!/usr/bin/python3
"""Learning curve of the multi-focus mix model: training loss per focus and held-out pseudo-mix
acc@1 / distractor@1 per focus against steps and wall time (learning_curve.csv from train-mix).

usage: plot_focus_on_mixes_curve.py models/mixfocus/learning_curve.csv docs/results/focus-on-mixes/learning-curve.png \
           [VALIDATION_SONGS (16)] [REFERENCE acc@1 drums,bass,piano,guitar: dashed lines, e.g. the shipped model; - for none]
           [REFERENCE_RUN learning_curve.csv: another run's acc@1 against steps, dashed with open markers]
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

src, out = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 16
reference = [float(v) for v in sys.argv[4].split(",")] if len(sys.argv) > 4 and sys.argv[4] != "-" else None
reference_run = list(csv.DictReader(open(sys.argv[5]))) if len(sys.argv) > 5 else None
rows = list(csv.DictReader(open(src)))
step = [int(r["step"]) for r in rows]
minutes = [float(r["seconds"]) / 60 for r in rows]
parts = ["drums", "bass", "piano", "guitar"]
colour = {"mix": "black", "drums": "C0", "bass": "C1", "piano": "C2", "guitar": "C3"}
fig, ax = plt.subplots(1, 3, figsize=(15, 4))
for f in ["mix"] + parts:
    loss = [float(r["loss_" + f]) for r in rows]
    if any(loss):  # a specialist (train-mix --focuses) leaves the other blocks untrained
        ax[0].plot(step, loss, label=f, color=colour[f])
ax[0].set_xlabel("step")
ax[0].set_ylabel("training triplet loss (mean over active triplets)")
ax[0].legend()
for f in parts:
    xs = [(s, float(r["val_acc1_" + f])) for s, r in zip(step, rows) if r.get("val_acc1_" + f)]
    if not xs:
        continue
    ax[1].plot([x for x, _ in xs], [y for _, y in xs], marker="o", label=f, color=colour[f])
    ds = [(m, float(r["val_distractor1_" + f])) for m, r in zip(minutes, rows) if r.get("val_distractor1_" + f)]
    ax[2].plot([x for x, _ in ds], [y for _, y in ds], marker="o", label=f, color=colour[f])
if reference_run:
    for f in parts:
        # Only as far as this run has come, so both share the step axis.
        xs = [(int(r["step"]), float(r["val_acc1_" + f])) for r in reference_run
              if r.get("val_acc1_" + f) and any(q.get("val_acc1_" + f) for q in rows) and int(r["step"]) <= max(step)]
        if xs:
            ax[1].plot([x for x, _ in xs], [y for _, y in xs], marker="o", markerfacecolor="none", linestyle="--",
                       linewidth=1, color=colour[f], label=f + " (reference run)")
if reference:
    for f, v in zip(parts, reference):
        if any(r.get("val_acc1_" + f) for r in rows):
            ax[1].axhline(v, color=colour[f], linestyle="--", linewidth=1)
for a, title in ((ax[1], f"held-out pseudo-mix acc@1 ({n} songs, T = 14 s)" + (", dashed: reference" if reference or reference_run else "")),
                 (ax[2], "held-out distractor@1")):
    a.axhline(1 / n, color="grey", linestyle=":", label=f"chance (1/{n})")
    a.set_ylim(0, 1.02)
    a.set_title(title)
    a.legend()
ax[1].set_xlabel("step")
ax[2].set_xlabel("wall time (min, 2 cores)")
fig.tight_layout()
fig.savefig(out, dpi=90)
print("wrote", out)
