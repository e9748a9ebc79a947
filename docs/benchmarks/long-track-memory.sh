#!/usr/bin/env bash
# Peak RSS of analysing one long track with the engine's defaults (separator + stem cache + every
# focus), for docs/benchmarks/library.md. Usage: long-track-memory.sh [CLI] [MINUTES...]
set -euo pipefail
CLI=${1:-build/app/stemscope-cli}
shift || true
MINUTES=${*:-3 30}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for m in $MINUTES; do
  sox -n -r 44100 -c 2 -b 16 "$tmp/long$m.wav" synth $((m * 60)) pinknoise tremolo 2 60 vol 0.3
  "$CLI" library create "$tmp/lib$m.sqlite" > /dev/null
  "$CLI" library import "$tmp/lib$m.sqlite" "$tmp/long$m.wav" --quiet > /dev/null
  /usr/bin/time -v "$CLI" library analyze "$tmp/lib$m.sqlite" --workers 1 --quiet > "$tmp/log$m" 2>&1
  echo "$m min: $(grep 'done:' "$tmp/log$m" | sed 's/.* in //'), peak RSS $(($(grep 'Maximum resident' "$tmp/log$m" | awk '{print $6}') / 1024)) MiB"
done
