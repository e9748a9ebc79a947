#!/bin/bash
# issue #16: the harmonic piano/guitar specialist from scratch with the solo teacher (A/B against
# the served run's first 10 000-step schedule, same seed and settings; its step-10 000 model is
# ../harmonic-run/model-10000.pt). Resumable: rerun this script (it passes --resume).
cd "$(dirname "$0")/../../../.."  # the repository root
exec build/app/stemscope-cli train-mix --corpus /work/corpus/train,/work/corpus/separation --bank /work/cache/mixfocus-cqt.bank \
  --out /work/cache/mixharm-solo --features cqt --arch harmonic --channels 8,384,384,384 --focuses piano,guitar --steps 10000 \
  --curriculum-fraction 0.25 --quiet-part-prob 0.25 --quiet-part-db 12 --solo-teacher 0.5 \
  --checkpoint-every 500 --threads 2 \
  --validate /work/corpus/val48 --validate-songs 48 --validate-seconds 14 --resume >> /work/cache/mixharm-solo.log 2>&1
