#!/bin/bash
# Scores one arm's final model for piano and guitar on the five validation sets (448 queries).
ARM=$1
ROOT=/work/cache/conf-ab/root-$ARM
rm -rf $ROOT; mkdir -p $ROOT
for m in /work/main/models/*; do ln -s $m $ROOT/$(basename $m); done
rm $ROOT/mixharm; ln -s /work/cache/conf-ab/$ARM $ROOT/mixharm
cd /work/main
for set in val48 more100-0 more100-1 more100-2 more100-3; do
  OMP_NUM_THREADS=1 build/app/stemscope-cli evaluate-mix --corpus /work/corpus/$set --seconds 14 --models $ROOT \
    --pipelines default --focus piano,guitar --embeddings /work/cache/conf-ab/emb-$ARM/$set > /work/cache/conf-ab/eval-$ARM-$set.txt 2>&1
done
