#!/bin/bash
# issue #16: the served harmonic piano/guitar specialist's first 10 000-step schedule (same command,
# width, seed and settings) on 2164 training songs instead of 1164: the 1000 separation-split songs
# 1032-2031 (tools/render-workspace.sh ... more) join train + separation. A/B against the served
# run's own curve (models/mixharm/learning_curve.csv) on the same 48 validation songs.
cd "$(dirname "$0")/../../../.."  # the repository root
exec build/app/stemscope-cli train-mix --corpus /work/corpus/train,/work/corpus/separation,/work/corpus/more \
  --bank /work/cache/mixfocus-cqt-2164.bank \
  --out /work/cache/mixharm-2164 --features cqt --arch harmonic --channels 8,384,384,384 --focuses piano,guitar --steps 10000 \
  --curriculum-fraction 0.25 --quiet-part-prob 0.25 --quiet-part-db 12 \
  --checkpoint-every 500 --threads 2 \
  --validate /work/corpus/val48 --validate-songs 48 --validate-seconds 14 --resume >> /work/cache/mixharm-2164.log 2>&1
