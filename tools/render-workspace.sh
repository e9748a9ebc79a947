#!/usr/bin/env bash
# Renders every corpus the reports and training commands name (docs/results/*.md), on a machine
# that has none of them: a new machine starts with the repository only. Resumable (corpus render
# skips finished songs), so stop and rerun it any time. 30 min on 2 cores (session 31), 20 GB.
#
#   tools/render-workspace.sh [CLI] [ROOT] [WHICH]
#   e.g. tools/render-workspace.sh build/app/stemscope-cli /work/corpus all
#   WHICH: all (default), val (the 48 validation songs), train, test, separation, more, or a comma list
#
# Layout (as the reports expect it):
#   ROOT/train        180 songs (--split train)             ROOT/test     20 songs (--split test)
#   ROOT/sepval       separation songs 0-15                 ROOT/valextra separation songs 1000-1031
#   ROOT/val48        links to sepval + valextra (the focus-on-mixes validation set)
#   ROOT/separation   separation songs 16-999 (training data of the separator and the mix models)
#   ROOT/more         separation songs 1032-2031 (more mix-model training data, issue #16 session 46;
#                     not in "all": only the runs that name it need it, 14 GB, 17 min)
set -euo pipefail
CLI=${1:-build/app/stemscope-cli}
ROOT=${2:-/work/corpus}
WHICH=${3:-all}
JOBS=${JOBS:-2}
wants() { [[ "$WHICH" == all || ",$WHICH," == *",$1,"* ]]; }

mkdir -p "$ROOT"
if wants val; then
  "$CLI" corpus render --split separation --songs 16 --out "$ROOT/sepval" --jobs "$JOBS"
  "$CLI" corpus render --split separation --first 1000 --songs 32 --out "$ROOT/valextra" --jobs "$JOBS"
  mkdir -p "$ROOT/val48"
  for song in "$ROOT"/sepval/*/ "$ROOT"/valextra/*/; do
    [ -f "$song/meta.json" ] || continue
    ln -sfn "$(cd "$song" && pwd)" "$ROOT/val48/$(basename "$song")"
  done
fi
wants train && "$CLI" corpus render --split train --out "$ROOT/train" --jobs "$JOBS"
wants test && "$CLI" corpus render --split test --out "$ROOT/test" --jobs "$JOBS"
wants separation && "$CLI" corpus render --split separation --first 16 --songs 984 --out "$ROOT/separation" --jobs "$JOBS"
[[ ",$WHICH," == *",more,"* ]] && "$CLI" corpus render --split separation --first 1032 --songs 1000 --out "$ROOT/more" --jobs "$JOBS"
echo "render-workspace: done ($ROOT)" >&2
