#!/usr/bin/env bash
# Reproduces docs/results/separation.md: trains the separator (models/separator), measures SDR /
# SI-SDR on the test split, separates the train and test splits and runs the paper's
# separated-stem experiment (focus models trained and evaluated on separated stems).
#   docs/results/reproduce-separation.sh [CLI] [CORPUS_ROOT]
# CORPUS_ROOT holds separation/ (corpus render --split separation --songs 93), train/ and test/.
set -euo pipefail
CLI=${1:-build/app/stemscope-cli}
C=${2:-/work/corpus}
OUT=${OUTDIR:-build/separation-runs}
"$CLI" separation train --corpus "$C/separation" --out models/separator --steps 1500 --batch 12 --excerpt 2 --threads 1
"$CLI" separation evaluate --corpus "$C/test" --model models/separator --csv docs/results/separation-test-sdr.csv
"$CLI" separation apply --corpus "$C/test" --out "$C/test-sep"
"$CLI" separation apply --corpus "$C/train" --out "$C/train-sep"
for focus in drums bass piano guitar; do
  "$CLI" train --corpus "$C/train-sep" --focus "$focus" --mining batch-hard --seed 1 --epochs 6 --threads 2 \
    --out "$OUT/separated/$focus" --quiet
done
"$CLI" evaluate --corpus "$C/test-sep" --models "$OUT/separated" --focus drums,bass,piano,guitar --out "$OUT/eval-separated"
# Speed: the 4-minute benchmark file through our separator and through torchaudio's HDemucs (untrained).
sox "$C/test/test-0000/mix.flac" "$C/test/test-0001/mix.flac" "$C/test/test-0002/mix.flac" \
  "$C/test/test-0003/mix.flac" -c 2 "$C/bench-4min.flac" trim 0 240
"$CLI" separate "$C/bench-4min.flac" --out "$OUT/bench-stems"
OMP_NUM_THREADS=2 /usr/bin/python3 docs/benchmarks/hdemucs_peer.py "$C/bench-4min.flac" --threads 2 --variant high
