#!/usr/bin/env bash
# The installed layout works without the source tree's models: install the build into a scratch
# prefix, then analyse one file with the installed CLI. The models must come from
# <prefix>/share/stemscope/models (found next to the executable), never from the source tree.
# Usage: installed_layout.sh BUILD_DIR
set -euo pipefail
build="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
unset STEMSCOPE_MODELS
cmake --install "$build" --prefix "$tmp/prefix" > "$tmp/install.log"
cli="$tmp/prefix/bin/stemscope-cli"
models="$tmp/prefix/share/stemscope/models"
test -x "$cli" || { echo "FAIL: no installed CLI at $cli"; exit 1; }
test -f "$models/mix/model.pt" || { echo "FAIL: no installed mix model in $models"; exit 1; }
if find "$models" -name '*.ckpt' | grep -q .; then echo "FAIL: training checkpoints were installed"; exit 1; fi

# A 10 s two-tone test file (standard library only).
/usr/bin/python3 - "$tmp/tone.wav" <<'PY'
import math, struct, sys, wave
rate = 22050
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
    w.writeframes(b"".join(struct.pack("<h", int(8000 * (math.sin(2 * math.pi * 220 * i / rate) +
                  0.5 * math.sin(2 * math.pi * 330 * i / rate)) / 1.5)) for i in range(rate * 10)))
PY

"$cli" library create "$tmp/lib.sqlite"
"$cli" library import "$tmp/lib.sqlite" "$tmp/tone.wav" --quiet
"$cli" library analyze "$tmp/lib.sqlite" --focus mix --workers 1 --quiet | tee "$tmp/analyze.log"
grep -q "1/1 tracks analysed" "$tmp/analyze.log" || { echo "FAIL: the installed CLI did not analyse the file"; exit 1; }
"$cli" library status "$tmp/lib.sqlite" | tee "$tmp/status.log"
grep -qF "models from $models" "$tmp/status.log" || { echo "FAIL: models not taken from the installed prefix"; exit 1; }
grep -q "mix: .*" "$tmp/status.log"
echo "PASS: installed layout analyses with $models"
