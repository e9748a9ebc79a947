#!/bin/bash
# #16 session 47: A/B of the confidence loss as a fine-tune of the served harmonic specialist.
# ARM = control | treatment; both: same seed, batches, settings; 1 thread each, run side by side.
ARM=$1; shift
EXTRA=""
[ "$ARM" = treatment ] && EXTRA="--confidence-loss 0.5"
cd /work/main
exec build/app/stemscope-cli train-mix --corpus /work/corpus/train,/work/corpus/separation --bank /work/cache/mixfocus-cqt.bank \
  --out /work/cache/conf-ab/$ARM --features cqt --arch harmonic --channels 8,384,384,384 --focuses piano,guitar \
  --init models/mixharm/model.pt --lr 0.0001 --steps 3000 --curriculum-fraction 0 --quiet-part-prob 0.25 --quiet-part-db 12 \
  --checkpoint-every 500 --threads 1 --validate /work/corpus/val48 --validate-songs 48 --validate-seconds 14 $EXTRA "$@"
