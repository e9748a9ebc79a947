#!/usr/bin/python3
"""Speed peer for the separator benchmark: torchaudio's HDemucs architecture (untrained weights:
only the timing matters) on the same 4-minute file, same thread count.

usage: /usr/bin/python3 docs/benchmarks/hdemucs_peer.py FILE [--threads 2] [--variant low|medium|high]
Input is decoded with torchaudio (stereo 44.1 kHz as HDemucs expects) and processed in 10 s chunks
with 1 s overlap, as torchaudio's separation tutorial does; prints the x real-time factor.
"""
import argparse
import time

import torch
import torchaudio

ap = argparse.ArgumentParser()
ap.add_argument("file")
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--variant", default="high")
ap.add_argument("--seconds", type=float, default=0, help="only the first N seconds (0 = all)")
a = ap.parse_args()
torch.set_num_threads(a.threads)
wav, sr = torchaudio.load(a.file)
if wav.shape[0] == 1:
    wav = wav.repeat(2, 1)
if sr != 44100:
    wav = torchaudio.functional.resample(wav, sr, 44100)
    sr = 44100
if a.seconds > 0:
    wav = wav[:, : int(a.seconds * sr)]
model = getattr(torchaudio.models, "hdemucs_" + a.variant)(sources=["drums", "bass", "other", "vocals"]).eval()
chunk, overlap = 10 * sr, 1 * sr
t0 = time.time()
with torch.inference_mode():
    start = 0
    n = wav.shape[1]
    while start < n:
        end = min(n, start + chunk + overlap)
        model(wav[None, :, start:end])
        start += chunk
dt = time.time() - t0
dur = n / sr
print(f"HDemucs ({a.variant}, untrained) {dur:.1f} s of stereo 44.1 kHz audio in {dt:.1f} s: "
      f"{dur / dt:.2f}x real time, {a.threads} threads, torch {torch.__version__}")
