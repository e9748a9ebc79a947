#!/bin/bash
# #17 session 47: fine-tune the shipped band split on separation + more (see docs/results/separation.md)
cd "$(dirname "$0")/../../.."
exec build/app/stemscope-cli separation train --corpus /work/corpus/separation,/work/corpus/more --half-precision \
  --arch bandsplit --hidden 64 --blocks 8 --init models/separator/model.pt --lr 0.0003 \
  --out /work/cache/sep-more/model.pt --steps 4000 --batch 12 --excerpt 3 --threads 2 --augment \
  --validate /work/corpus/sepval --validate-songs 16 --validate-seconds 20 --checkpoint-every 250 \
  --data-cache /work/cache/sep-data.bin "$@"
