#!/bin/bash
# The 48 validation songs (val48: separation songs 0-15 and 1000-1031) rendered again, same music,
# with a soundfont no model was trained on (issue #16, "results are also checked on other instrument
# sounds"). Debian packages: csound-soundfont (sf_GMbank.sf2, a sampled GM bank) and opl3-soundfont
# (OPL-3_FM_128M.sf2, FM synthesis). Resumable (complete songs are skipped).
#   render.sh [CLI] [ROOT]    -> ROOT/val48-csound, ROOT/val48-opl3 (song folders named as in val48)
set -euo pipefail
CLI=${1:-build/app/stemscope-cli}; ROOT=${2:-/work/corpus}
for pair in csound:/usr/share/sounds/sf2/sf_GMbank.sf2 opl3:/usr/share/sounds/sf2/OPL-3_FM_128M.sf2; do
  name=${pair%%:*}; font=${pair#*:}
  [ -f "$font" ] || { echo "render.sh: $font missing (apt install csound-soundfont opl3-soundfont)" >&2; exit 2; }
  out=$ROOT/val48-$name
  "$CLI" corpus render --split separation --songs 16 --out "$out" --soundfonts "$font" --jobs ${JOBS:-2}
  "$CLI" corpus render --split separation --first 1000 --songs 32 --out "$out" --soundfonts "$font" --jobs ${JOBS:-2}
done
