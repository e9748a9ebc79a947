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
# Issue #17 (session 25 on): the larger separator on 500 of the 984 training songs, juce_dsp
# augmentation, validation SDR at every checkpoint; resumable (--resume), hours on 2 cores.
"$CLI" separation train --corpus "$C/separation" --max-songs 500 --out /work/cache/sep-h512/model.pt \
  --steps 4000 --batch 12 --excerpt 3 --hidden 512 --blocks 8 --threads 2 --augment \
  --validate "$C/sepval" --validate-songs 16 --validate-seconds 20 --checkpoint-every 250 --lr 0.001 --resume
/usr/bin/python3 docs/results/plot_separator_curve.py /work/cache/sep-h512/learning_curve.csv \
  docs/results/separation-learning-curve.png
# Session 32 on: the band-split network (64 features per band x 8 blocks) from scratch on all 984
# training songs (half floats in memory), resumable over sessions; its curve beside the 512 x 8 run's.
"$CLI" separation train --corpus "$C/separation" --half-precision --arch bandsplit --hidden 64 --blocks 8 \
  --out /work/cache/sep-band/model.pt --steps 8000 --batch 12 --excerpt 3 --threads 2 --augment \
  --validate "$C/sepval" --validate-songs 16 --validate-seconds 20 --checkpoint-every 250 --resume \
  --data-cache /work/cache/sep-data.bin
/usr/bin/python3 docs/results/plot_separator_curve.py /work/cache/sep-band/learning_curve.csv \
  docs/results/separation-bandsplit-curve.png docs/results/separation-learning-curve.csv
# Session 43: the run finished at step 8000 and was promoted on the 32 unseen valextra songs, then
# the test split was scored once (baselines table, per-song values, spectrogram figure).
cp /work/cache/sep-band/model.pt /work/cache/sep-band/model.train.json models/separator/
"$CLI" separation evaluate --corpus "$C/valextra" --seconds 30 --model models/separator \
  --csv docs/results/separation-bandsplit-run/valextra/bandsplit-8000.csv
"$CLI" separation baselines --corpus "$C/test" --seconds 30 --model models/separator \
  --out docs/results/separation-baselines-test.md
"$CLI" separation evaluate --corpus "$C/test" --seconds 30 --model models/separator --csv docs/results/separation-test-sdr-30s.csv
/usr/bin/python3 docs/results/plot_separation_spectrograms.py --corpus "$C/test" --csv docs/results/separation-test-sdr-30s.csv \
  --model models/separator --out docs/results/separation-spectrograms.png --start 5
