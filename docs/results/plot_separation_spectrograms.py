#!/usr/bin/python3
"""Spectrograms for listening-by-eye: mix / separator estimate / true stem, one song per source.

For each source the song is the one whose SDR (from `separation evaluate --csv`) is closest to the
source's median: a typical song, not the best one. The estimates come from `stemscope-cli separate`.

  /usr/bin/python3 docs/results/plot_separation_spectrograms.py --corpus /work/corpus/test \
      --csv docs/results/separation-test-sdr.csv --model models/separator \
      --cli build/app/stemscope-cli --out docs/results/separation-spectrograms.png
"""
import argparse
import csv
import os
import statistics
import subprocess
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torchaudio  # noqa: E402

SOURCES = ["drums", "bass", "piano", "guitar"]
RATE = 22050


def load(path, start, seconds):
    wave, sr = torchaudio.load(path)
    wave = wave.mean(0, keepdim=True)
    if sr != RATE:
        wave = torchaudio.functional.resample(wave, sr, RATE)
    a = int(start * RATE)
    return wave[0, a:a + int(seconds * RATE)]


def spectrogram_db(x):
    spec = torch.stft(x, 1024, 256, window=torch.hann_window(1024), return_complex=True).abs()
    return 20 * np.log10(spec.numpy() + 1e-5)


def typical_songs(csv_path):
    rows = list(csv.DictReader(open(csv_path)))
    chosen = {}
    for s in SOURCES:
        sdr = {r["song"]: float(r["sdr_db"]) for r in rows if r["source"] == s}
        med = statistics.median(sdr.values())
        song = min(sdr, key=lambda k: abs(sdr[k] - med))
        chosen[s] = (song, sdr[song], med)
    return chosen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--csv", required=True)
    ap.add_argument("--model", default="models/separator")
    ap.add_argument("--cli", default="build/app/stemscope-cli")
    ap.add_argument("--out", required=True)
    ap.add_argument("--start", type=float, default=10.0)
    ap.add_argument("--seconds", type=float, default=8.0)
    a = ap.parse_args()

    chosen = typical_songs(a.csv)
    fig, axes = plt.subplots(len(SOURCES), 3, figsize=(13, 2.6 * len(SOURCES)), sharex=True, sharey=True)
    with tempfile.TemporaryDirectory() as tmp:
        separated = {}
        for s, (song, sdr, med) in chosen.items():
            if song not in separated:
                out = os.path.join(tmp, song)
                subprocess.run([a.cli, "separate", os.path.join(a.corpus, song, "mix.flac"), "--out", out,
                                "--model", a.model], check=True, stdout=subprocess.DEVNULL)
                separated[song] = out
            mix = load(os.path.join(a.corpus, song, "mix.flac"), a.start, a.seconds)
            est = load(os.path.join(separated[song], s + ".flac"), a.start, a.seconds)
            ref = load(os.path.join(a.corpus, song, s + ".flac"), a.start, a.seconds)
            row = SOURCES.index(s)
            top = spectrogram_db(mix).max()
            for col, (title, x) in enumerate([("mix", mix), ("estimate", est), ("truth", ref)]):
                ax = axes[row, col]
                ax.imshow(spectrogram_db(x), origin="lower", aspect="auto", cmap="magma", vmin=top - 80, vmax=top,
                          extent=[a.start, a.start + a.seconds, 0, RATE / 2000])
                ax.set_ylim(0, 8)
                ax.set_title(f"{s}: {title}" + (f"  ({song}, SDR {sdr:.1f} dB; median {med:.1f})" if col == 1 else ""),
                             fontsize=9)
                if col == 0:
                    ax.set_ylabel("kHz")
                if row == len(SOURCES) - 1:
                    ax.set_xlabel("s")
    fig.suptitle(f"Separator {a.model}: mix / estimate / true stem (song closest to the median SDR per source)")
    fig.tight_layout()
    fig.savefig(a.out, dpi=90)
    print("wrote", a.out)


if __name__ == "__main__":
    main()
