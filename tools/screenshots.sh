#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png: runs the GUI headless on a fresh demo library (generated,
# imported and analysed in a scratch folder; your own library is not touched), waits for the
# background jobs, saves main.png, map.png, heatmap.png, heatmap-selection.png, neighbours.png and
# compare.png, quits.
#   tools/screenshots.sh [OUT_DIR] [extra stemscope options, e.g. --library FILE]
# Environment: STEMSCOPE_BUILD_DIR (default build), SCREENSHOT_PLATFORM=offscreen|xvfb (default offscreen).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${STEMSCOPE_BUILD_DIR:-build}
OUT=${1:-docs/screenshots}
shift || true
APP="$BUILD_DIR/app/stemscope"
if [[ ! -x "$APP" ]]; then
  echo "no $APP: build first (./stemscope.sh build)" >&2
  exit 2
fi
mkdir -p "$OUT"
# Settings of a screenshot run go to a scratch config folder, never to the user's.
export XDG_CONFIG_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
if [[ "${SCREENSHOT_PLATFORM:-offscreen}" == xvfb ]] && command -v xvfb-run >/dev/null; then
  xvfb-run -a -s "-screen 0 1600x1000x24" "$APP" --screenshot "$OUT" "$@"
else
  QT_QPA_PLATFORM=offscreen "$APP" --screenshot "$OUT" "$@"
fi
ls -l "$OUT"/*.png
