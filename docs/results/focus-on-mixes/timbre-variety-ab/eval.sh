#!/bin/bash
# Scores one arm of run.sh served as mixharm: the 448 usual validation queries and the two
# unseen-soundfont renderings of val48 (../unseen-soundfonts/render.sh), through
# ../set-level-ab/eval.sh (embeddings in /work/cache/set-ab/emb-ARM/SET). Then compare arms with
# docs/results/focus_on_mixes_model_ab.py (commands in validation.md).
#   eval.sh ARM        (control | treatment | warp50 | warp100; the model is /work/cache/timbre-ab/ARM)
cd "$(dirname "$0")/../../../.."
THREADS=1 SETS="val48 more100-0 more100-1 more100-2 more100-3 val48-csound val48-opl3" \
  docs/results/focus-on-mixes/set-level-ab/eval.sh $1 /work/cache/timbre-ab/$1
