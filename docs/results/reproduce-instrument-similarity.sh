#!/usr/bin/env bash
# Reproduces docs/results/instrument-similarity.md: trains one model per focus and seed on the train
# corpus, evaluates every seed on the test corpus, plots the figures. 2 CPU threads throughout.
#   docs/results/reproduce-instrument-similarity.sh [CLI] [TRAIN] [TEST] [SEEDS] [EPOCHS] [MINING]
# Seed 1 goes to models/<focus>/ (the shipped models), seeds 2.. to $OUTDIR/seed<S>/<focus>/
# (OUTDIR defaults to build/instrsim-runs, git-ignored).
set -euo pipefail
CLI=${1:-build/app/stemscope-cli}
TRAIN=${2:-/work/corpus/train}
TEST=${3:-/work/corpus/test}
SEEDS=${4:-"1 2 3 4 5"}
EPOCHS=${5:-6}
MINING=${6:-batch-hard}
OUTDIR=${OUTDIR:-build/instrsim-runs}
RUNS=()
for seed in $SEEDS; do
  if [ "$seed" = 1 ]; then root=models; else root=$OUTDIR/seed$seed; fi
  for focus in mix drums bass piano guitar; do
    "$CLI" train --corpus "$TRAIN" --focus "$focus" --mining "$MINING" --seed "$seed" --epochs "$EPOCHS" \
      --threads 2 --out "$root/$focus" --quiet
  done
  RUNS+=("$root")
done
"$CLI" evaluate --corpus "$TEST" --models "$(IFS=,; echo "${RUNS[*]}")" --out $OUTDIR/eval
/usr/bin/python3 docs/results/plot_instrument_similarity.py $OUTDIR/eval docs/results
