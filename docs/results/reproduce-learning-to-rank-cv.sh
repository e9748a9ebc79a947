#!/usr/bin/env bash
# Issue #20: the learning-to-rank methods (and an untrained network, the floor training must beat) compared on every song of the train and test splits
# (K-fold cross-validation: each song is a query exactly once per seed), S seeds per method, each
# model trained to its plateau or for at most the same budget (seconds of training on 2 threads;
# every model writes <method>.curve.csv, validation MAP/nDCG@20 on 16 of its own training songs,
# never the fold's queries, from epoch 0). Then paired bootstrap intervals of every difference.
#
#   docs/results/reproduce-learning-to-rank-cv.sh [CLI] [CORPORA] [OUT] [BUDGET] [FOLDS] [SEEDS] [ORACLE]
#   e.g. ... build/app/stemscope-cli /work/corpus/train,/work/corpus/test build/rank-cv 1200 5 3 all
#        ... (same) style,groove      the oracle ablation: style and groove tags only
#
# Resumable: a finished model is skipped, an interrupted one continues from its checkpoint
# (rank train --resume), a fold already evaluated is not evaluated again. Stop it any time.
set -euo pipefail
CLI=${1:-build/app/stemscope-cli}
CORPORA=${2:-/work/corpus/train,/work/corpus/test}
OUT=${3:-build/rank-cv}
BUDGET=${4:-1200}
FOLDS=${5:-5}
SEEDS=${6:-3}
ORACLE=${7:-all}
VALIDATE=${VALIDATE:-16}  # training songs set aside for the validation curve
# Each trained model stops at its plateau (validation MAP@20 not beaten for PATIENCE epochs of 50
# steps) or at BUDGET seconds, whichever comes first, and keeps its best epoch (rank train --patience).
PATIENCE=${PATIENCE:-10}
# Two chains can share the cores: THREADS=1 SEED_FROM=1 ... 1200 5 1 all and THREADS=1 SEED_FROM=2 ... 1200 5 1 all side by side
# (two one-thread trainings get more steps out of 2 cores than one two-thread training). Where the
# plateau rule stops a model before BUDGET, the thread count changes only the wall time; each
# model's log says what stopped it ("stopped by --budget" or the plateau).
THREADS=${THREADS:-2}
SEED_FROM=${SEED_FROM:-1}
ROOT="$OUT/oracle-${ORACLE//,/-}"
TRAIN="--budget $BUDGET --epochs 100000 --steps 50 --patience $PATIENCE"
methods=(
  "untrained:--mode tl --mining random --pooling max --epochs 0"  # the floor: the network as initialised
  "at:--mode at --pooling max $TRAIN"
  "tl-neighbors:--mode tl --mining neighbors --pooling max $TRAIN"
  "tl-random:--mode tl --mining random --pooling max $TRAIN"
  "tl-distance:--mode tl --mining distance --pooling max $TRAIN"
  "tl-distance-autopool:--mode tl --mining distance --pooling autopool $TRAIN"
)
for seed in $(seq "$SEED_FROM" $((SEED_FROM + SEEDS - 1))); do
  for fold in $(seq 0 $((FOLDS - 1))); do
    dir="$ROOT/seed$seed/fold$fold"
    mkdir -p "$dir"
    models=()
    for m in "${methods[@]}"; do
      name=${m%%:*}
      read -r -a args <<<"${m#*:}"
      models+=("$dir/$name.rank")
      [ -f "$dir/$name.done" ] && continue
      echo "seed $seed fold $fold $name ($BUDGET s)" >&2
      "$CLI" rank train --corpus "$CORPORA" --folds "$FOLDS" --fold "$fold" --fold-seed 1 --seed "$seed" \
        --oracle "$ORACLE" --threads "$THREADS" \
        --validate-songs "$VALIDATE" --curve "$dir/$name.curve.csv" --resume "${args[@]}" --out "$dir/$name.rank" \
        2>>"$dir/$name.log"
      touch "$dir/$name.done"
    done
    [ -f "$dir/eval.json" ] || "$CLI" rank evaluate "${models[@]}" --corpus "$CORPORA" --folds "$FOLDS" --fold "$fold" \
      --fold-seed 1 --oracle "$ORACLE" --json "$dir/eval.json" --out "$dir/table.md" 2>>"$dir/eval.log"
  done
done
for metric in ap ndcg rr; do
  "$CLI" rank compare "$ROOT"/seed*/fold*/eval.json --metric "$metric" >"$ROOT/compare-$metric.md"
done
"$CLI" rank compare "$ROOT"/seed*/fold*/eval.json --pooled >"$ROOT/table.md"
echo "pooled table: $ROOT/table.md; paired comparisons: $ROOT/compare-{ap,ndcg,rr}.md" >&2
