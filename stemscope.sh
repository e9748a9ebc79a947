#!/usr/bin/env bash
# One entry point for people and CI:
#   ./stemscope.sh run    install deps, build, open the app on its embedded default library
#   ./stemscope.sh test   install deps, build, run the whole test suite (unit, integration, GUI)
#   ./stemscope.sh build  install deps and build only
set -euo pipefail
cd "$(dirname "$0")"
BUILD_DIR=${STEMSCOPE_BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}

setup() {
  bash packaging/install-deps.sh
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

case "${1:-}" in
  build) setup ;;
  run)
    setup
    shift
    exec "$BUILD_DIR/app/stemscope" "$@"
    ;;
  test)
    setup
    export QT_QPA_PLATFORM=offscreen OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS"
    ;;
  *)
    echo "usage: $0 run|test|build" >&2
    exit 2
    ;;
esac
