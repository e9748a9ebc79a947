#!/usr/bin/python3
"""Writes models/<focus>/MODEL_CARD.md for the shipped focus models from what training and
evaluation recorded: models/<focus>/model.train.json and the CSVs of `stemscope-cli evaluate`.

usage: /usr/bin/python3 tools/write_model_cards.py EVAL_DIR [SEPARATED_EVAL_DIR]
EVAL_DIR is the evaluation of all seeds (docs/results/reproduce-instrument-similarity.sh writes
build/instrsim-runs/eval); the run whose folder is "models" is the shipped one.
"""
import csv
import hashlib
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOCUSES = ["mix", "drums", "bass", "piano", "guitar"]
STEM = {"mix": "mix.flac (the full mix)", "drums": "drums.flac", "bass": "bass.flac", "piano": "piano.flac",
        "guitar": "guitar.flac"}


def knn_rows(eval_dir):
    rows = {}
    with open(Path(eval_dir) / "knn.csv") as f:
        for r in csv.DictReader(f):
            rows.setdefault(r["focus"], []).append((r["run"], float(r["accuracy"]), int(r["segments"])))
    return rows


def main():
    eval_dir = sys.argv[1]
    sep_dir = sys.argv[2] if len(sys.argv) > 2 else None
    knn = knn_rows(eval_dir)
    sep = knn_rows(sep_dir) if sep_dir else {}
    for focus in FOCUSES:
        folder = ROOT / "models" / focus
        info = json.loads((folder / "model.train.json").read_text())
        sha = hashlib.sha256((folder / "model.pt").read_bytes()).hexdigest()
        runs = knn.get(focus, [])
        shipped = [a for run, a, _ in runs if Path(run).name == "models"]
        accs = [a for _, a, _ in runs]
        segs = runs[0][2] if runs else 0
        lines = [
            f"# Model card: `{focus}` focus embedding",
            "",
            f"Instrument-focused similarity (Hashizume, Li & Toda): maps a 3 s segment of the **{focus}** "
            f"signal ({STEM[focus]}) to a 128-d L2-normalised vector; cosine distance = dissimilarity.",
            "",
            "| | |",
            "| --- | --- |",
            f"| file | `models/{focus}/model.pt` ({(folder / 'model.pt').stat().st_size // 1024} KiB), sha256 `{sha[:16]}…` |",
            f"| architecture | {info['model']} (`core/embedding/EmbeddingNet.h`, temporal 1-D convolutions) |",
            "| input | log-mel, 64 Slaney bands, window 2048, hop 512 at 22050 Hz, 129 frames = 3 s; segments at 1.5 s hop, RMS <= -60 dBFS dropped |",
            f"| training data | `{Path(info['corpus']).name}` split of the synthetic Slakh-style corpus (`docs/corpus.md`): {info['songs']} songs, first 40 non-silent segments each = {info['segments']} segments |",
            f"| objective | triplet loss, cosine distance, margin {info['margin']}; positive = other segment of the same song, negative = segment of another song (no tags); mining `{info['mining']}`, batch {info['batch']} (16 songs x 4 segments) |",
            f"| optimiser | Adam, lr {info['lr']} cosine-decayed to 5 %, weight decay 1e-4, {info['epochs']} epochs, seed {info['seed']}, {info['threads']} threads |",
            f"| training time | {info['train_seconds_this_call']:.0f} s on 2 CPU cores (shared with other jobs while it ran) |",
            f"| epoch losses | {', '.join(f'{v:.4f}' for v in info['epoch_loss'])} |",
            "",
            "## Measured (test split: 20 held-out songs, first 40 non-silent segments each)",
            "",
        ]
        if shipped:
            lines.append(f"- kNN (k = 5, leave-one-out) song-ID accuracy of this model: **{100 * shipped[0]:.3f} %** "
                         f"over {segs} segments.")
        if len(accs) > 1:
            lines.append(f"- Same recipe, {len(accs)} seeds: mean {100 * statistics.mean(accs):.3f} %, "
                         f"standard deviation {100 * statistics.stdev(accs):.2f} points.")
        if focus in sep:
            s = [a for run, a, _ in sep[focus]]
            lines.append(f"- Trained and tested on **separated** stems (`models/separator`): {100 * s[0]:.3f} % "
                         "(a separate model, see docs/results/separation.md; not the shipped file).")
        lines += [
            "- Inter-focus correlations and MRR: `docs/results/instrument-similarity.md`.",
            "",
            "## Reproduce",
            "",
            "```sh",
            "stemscope-cli corpus render --split train --out /work/corpus/train",
            "stemscope-cli corpus render --split test  --out /work/corpus/test",
            f"stemscope-cli train --corpus /work/corpus/train --focus {focus} --mining {info['mining']} "
            f"--seed {info['seed']} --epochs {info['epochs']} --threads 2 --out models/{focus}",
            "docs/results/reproduce-instrument-similarity.sh   # all focuses, 5 seeds, evaluation, figures",
            "```",
            "",
            "Limits: trained on synthetic General-MIDI renderings (three soundfonts, MMA grooves), not on "
            "recorded music; similarity means *same song / same part* in that world.",
            "",
        ]
        (folder / "MODEL_CARD.md").write_text("\n".join(lines))
        print("wrote", folder / "MODEL_CARD.md")


main()
