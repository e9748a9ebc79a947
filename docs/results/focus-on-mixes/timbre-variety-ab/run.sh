#!/bin/bash
# #16 session 50: does timbre variety in training carry to instrument sounds no model has heard?
# A/B as a fine-tune of the served harmonic specialist (session 47's plain fine-tune settings:
# lr 1e-4, 3000 steps, piano and guitar), 1 thread each, run side by side:
#   control    train + separation (1164 songs, the three training soundfonts)
#   treatment  the same plus 400 new songs rendered with the OPL-3 FM soundfont
#              (corpus render --split separation --first 1432 --songs 400 --soundfonts OPL-3_FM_128M.sf2)
# Judged on val48 as rendered with the csound GM bank, which neither arm has heard
# (../unseen-soundfonts/render.sh), and on the 448 usual validation queries for what it costs.
# Session 51, two more arms on the control's songs (any other ARM name trains on them, with the
# extra flags): warp50 (--timbre-prob 0.5) and warp100 (--timbre-prob 1.0), the timbre warp.
# Session 52, real sound pairs: twins (--twins /work/corpus/train-twin,/work/corpus/separation-twin
# --twin-prob 0.5), the same songs rendered again each with the next training soundfont
# (corpus render --split train --soundfont-shift 1 --out /work/corpus/train-twin; --split separation
# --first 16 --songs 984 --soundfont-shift 1 --out /work/corpus/separation-twin); a positive then
# hears its part played by another soundfont.
ARM=$1; shift
CORPORA=/work/corpus/train,/work/corpus/separation
[ "$ARM" = treatment ] && CORPORA=$CORPORA,/work/corpus/more-opl3
cd "$(dirname "$0")/../../../.."
exec build/app/stemscope-cli train-mix --corpus $CORPORA --bank /work/cache/mixfocus-cqt.bank \
  --out /work/cache/timbre-ab/$ARM --features cqt --arch harmonic --channels 8,384,384,384 --focuses piano,guitar \
  --init models/mixharm/model.pt --lr 0.0001 --steps 3000 --curriculum-fraction 0 --quiet-part-prob 0.25 --quiet-part-db 12 \
  --checkpoint-every 500 --threads 1 --validate /work/corpus/val48 --validate-songs 48 --validate-seconds 14 "$@"
