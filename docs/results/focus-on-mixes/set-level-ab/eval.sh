#!/bin/bash
# Scores MODEL_DIR served as mixharm (piano and guitar) on the five validation sets (448 queries a
# focus); embeddings in /work/cache/set-ab/emb-NAME/SET for focus_on_mixes_model_ab.py.
#   eval.sh NAME MODEL_DIR      e.g. eval.sh served /work/main/models/mixharm
# PARTNER=DIR also serves DIR as mixfocus, and PIPELINES (default: default) names the pipelines to
# score, e.g. a join: PARTNER=/work/cache/mixharm-solo PIPELINES=default+mixfocus eval.sh join models/mixharm
# SETS (default: the five sets) names the corpora under /work/corpus to score.
NAME=$1; MODEL=$(realpath "$2")
ROOT=/work/cache/set-ab/root-$NAME
rm -rf $ROOT; mkdir -p $ROOT
for m in /work/main/models/*; do ln -s $m $ROOT/$(basename $m); done
rm $ROOT/mixharm; ln -s $MODEL $ROOT/mixharm
[ -n "$PARTNER" ] && { rm $ROOT/mixfocus; ln -s "$(realpath "$PARTNER")" $ROOT/mixfocus; }
cd /work/main
for set in ${SETS:-val48 more100-0 more100-1 more100-2 more100-3}; do
  OMP_NUM_THREADS=${THREADS:-1} build/app/stemscope-cli evaluate-mix --corpus /work/corpus/$set --seconds 14 --models $ROOT \
    --pipelines ${PIPELINES:-default} --focus piano,guitar --embeddings /work/cache/set-ab/emb-$NAME/$set > /work/cache/set-ab/eval-$NAME-$set.txt 2>&1
done
