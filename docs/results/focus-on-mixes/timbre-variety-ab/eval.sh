#!/bin/bash
# Scores one arm of run.sh served as mixharm: the 448 usual validation queries
# (../set-level-ab/eval.sh, embeddings in /work/cache/set-ab/emb-ARM) and the two unseen-soundfont
# renderings of val48 (embeddings in /work/cache/timbre-ab/emb-ARM/SET). Then compare arms with
# docs/results/focus_on_mixes_model_ab.py (commands in validation.md).
#   eval.sh ARM        (control | treatment; the model is /work/cache/timbre-ab/ARM)
ARM=$1
cd "$(dirname "$0")/../../../.."
THREADS=1 docs/results/focus-on-mixes/set-level-ab/eval.sh $ARM /work/cache/timbre-ab/$ARM
ROOT=/work/cache/set-ab/root-$ARM   # made by set-level-ab/eval.sh: the served models, mixharm = this arm
for set in val48-csound val48-opl3; do
  OMP_NUM_THREADS=1 build/app/stemscope-cli evaluate-mix --corpus /work/corpus/$set --seconds 14 --models $ROOT \
    --pipelines default --focus piano,guitar --embeddings /work/cache/timbre-ab/emb-$ARM/$set > /work/cache/timbre-ab/eval-$ARM-$set.txt 2>&1
done
