#!/usr/bin/env bash
# Reproduces docs/results/learning-to-rank.md: the auto-tagger baseline and the triplet-loss
# network with each mining strategy (and Auto-pool) on the synthetic corpus, each trained for the
# same wall-clock budget on 2 threads, then evaluated on held-out train songs + the test split.
#   docs/results/reproduce-learning-to-rank.sh [CLI] [TRAIN] [TEST] [OUT] [BUDGET_SECONDS]
set -euo pipefail
CLI=${1:-build/app/stemscope-cli}
TRAIN=${2:-/work/corpus/train}
TEST=${3:-/work/corpus/test}
OUT=${4:-build/rank-runs}
BUDGET=${5:-150}
mkdir -p "$OUT"
common=(--corpus "$TRAIN" --threads 2 --seed 1 --budget "$BUDGET" --epochs 100)
"$CLI" rank train "${common[@]}" --mode at --pooling max --out "$OUT/at.rank"
for m in neighbors random distance; do
  "$CLI" rank train "${common[@]}" --mode tl --mining "$m" --pooling max --out "$OUT/tl-$m.rank"
done
"$CLI" rank train "${common[@]}" --mode tl --mining distance --pooling autopool --out "$OUT/tl-distance-autopool.rank"
"$CLI" rank evaluate "$OUT/at.rank" "$OUT/tl-neighbors.rank" "$OUT/tl-random.rank" "$OUT/tl-distance.rank" \
  "$OUT/tl-distance-autopool.rank" --corpus "$TRAIN" --test "$TEST" --out "$OUT/table.md"
