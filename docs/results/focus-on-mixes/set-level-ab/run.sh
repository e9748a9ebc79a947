#!/bin/bash
# #16 session 48: the set-level loss as a fine-tune of the served harmonic specialist, the same
# settings as session 47's confidence A/B (confidence-ab/run.sh: lr 1e-4, 3000 steps, piano and
# guitar) except that each item is 4 analysis windows (7.5 s) compared by their length-weighted
# centroid, and 12 groups a step instead of 24 (192 windows a step, twice the 96 of a plain step).
# Its control is session 47's: that fine-tune without any new loss was level with the served model
# on the 448 validation queries, so this arm is compared with the served model query by query.
cd /work/main
exec build/app/stemscope-cli train-mix --corpus /work/corpus/train,/work/corpus/separation --bank /work/cache/mixfocus-cqt.bank \
  --out /work/cache/set-ab/treatment --features cqt --arch harmonic --channels 8,384,384,384 --focuses piano,guitar \
  --init models/mixharm/model.pt --lr 0.0001 --steps 3000 --curriculum-fraction 0 --quiet-part-prob 0.25 --quiet-part-db 12 \
  --set-segments 4 --groups 12 \
  --checkpoint-every 500 --threads 2 --validate /work/corpus/val48 --validate-songs 48 --validate-seconds 14 "$@"
