#!/bin/bash
# Pseudo-mix benchmark of the served pipelines on the 48 validation songs as rendered for training
# (val48: FluidR3, MuseScore General Lite, TimGM6mb) and with the unseen soundfonts (render.sh).
# Writes OUT/<set>.md (evaluate-mix's table) for the report's "unseen soundfonts" section.
#   eval.sh [CLI] [ROOT] [OUT]
CLI=${1:-build/app/stemscope-cli}; ROOT=${2:-/work/corpus}; OUT=${3:-/work/cache/unseen}
mkdir -p "$OUT"
for set in val48 val48-csound val48-opl3; do
  OMP_NUM_THREADS=${THREADS:-2} "$CLI" evaluate-mix --corpus "$ROOT/$set" --seconds 14 \
    --pipelines default,clean,separated,mel-stats --focus drums,bass,piano,guitar \
    --embeddings "$OUT/emb/$set" > "$OUT/$set.md" 2> "$OUT/$set.log"
done
