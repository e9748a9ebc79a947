#!/usr/bin/env bash
# Installs every Debian package Stemscope needs to build, test and render its corpus.
# Idempotent and non-interactive; safe to run repeatedly. Run as root (or via sudo).
set -euo pipefail

PKGS=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang-format
  # GUI
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev libqt6svg6 qt6-multimedia-dev
  libgl-dev libxkbcommon-dev xvfb xauth
  # ML
  libtorch-dev libopenblas0-pthread
  # audio + DSP
  juce-modules-source libfftw3-dev libsqlite3-dev
  libflac-dev libvorbis-dev libogg-dev libasound2-dev libfreetype-dev libcurl4-openssl-dev
  # ANN index
  libhnswlib-dev
  # JSON (models/pipelines.json)
  nlohmann-json3-dev
  # file tags (title, artist, album) of imported files
  libtag1-dev
  # synthetic corpus
  libfluidsynth-dev mma fluid-soundfont-gm musescore-general-soundfont-small timgm6mb-soundfont
  # reference implementations for fixtures/cross-checks (not needed at run time)
  python3 python3-numpy python3-torchaudio python3-scipy python3-mir-eval
  # test tooling (lame: real MP3 content for the decoder tests)
  sox lame
  # benchmark baselines (docs/benchmarks/tsne_vs_sklearn.py)
  python3-sklearn
  # figures of docs/results (plot_instrument_similarity.py)
  python3-matplotlib
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PKGS[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
