#!/usr/bin/env bash
# Runs every test of the project: format and lint checks, the Rust test suite,
# the public policy conformance suite through the `edge policy eval` runner,
# and the end-to-end tests with real Python clients.
#
# The conformance and end-to-end parts need ../shared (the conformance cases
# and harness) next to the repository; they are skipped when it is absent.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

# Reuse a target directory outside the clone when one exists.
if [ -z "${CARGO_TARGET_DIR:-}" ]; then
  for d in /work/target "$HOME/.cache/edge/target"; do
    if [ -d "$d" ]; then export CARGO_TARGET_DIR="$d"; break; fi
  done
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/edge/target}"
fi
mkdir -p "$CARGO_TARGET_DIR"
# CI builds from a fresh clone: incremental artefacts would only fill the disk.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"; fi
venv="${EDGE_VENV:-$HOME/.cache/edge/venv}"
shared="${EDGE_SHARED:-$here/../shared}"
step() { printf '\n==== %s ====\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test"
cargo test --workspace --locked --no-fail-fast 2>&1 | tee "$CARGO_TARGET_DIR/cargo-test.log"

step "build edge binary"
cargo build --locked -p edge -p edge-datadog

# Every library crate packaged as for crates.io (nothing is published);
# see the script for which crates are verified by a build.
step "cargo package (library crates)"
bash scripts/package-check.sh
edge="$CARGO_TARGET_DIR/debug/edge"

if [ ! -d "$shared/conformance" ]; then
  echo "conformance: $shared/conformance not found, skipping conformance and e2e"
  exit 0
fi
py="python3"
[ -x "$venv/bin/python" ] && py="$venv/bin/python"
harness="$shared/conformance/harness.py"
fail=0
run_harness() {
  local label="$1"; shift
  step "conformance: $label"
  if ! "$py" "$harness" "$@"; then
    echo "conformance: $label FAILED"
    fail=1
  fi
}
run_harness "runner (suite)" runner --keep-going -- "$edge" policy eval
run_harness "runner (generated)" runner --keep-going --cases "$shared/conformance/generated" -- "$edge" policy eval
run_harness "runner-http (suite)" runner-http --keep-going -- "$edge" policy eval
step "conformance: proxy (JSON, protobuf, generated)"
EDGE_BIN="$edge" EDGE_PYTHON="$py" EDGE_SHARED="$shared" bash tests/conformance/run.sh || fail=1

step "end-to-end tests (real clients)"
EDGE_BIN="$edge" EDGE_DATADOG_BIN="$CARGO_TARGET_DIR/debug/edge-datadog" EDGE_SHARED="$shared" \
  "$py" -m pytest -q tests/e2e || fail=1

# Every fuzz target built on the pinned stable toolchain, the kept inputs
# replayed, then a short fuzzing run per target (EDGE_SKIP_FUZZ=1 skips).
if [ "${EDGE_SKIP_FUZZ:-0}" != 1 ]; then
  step "fuzz smoke (fuzz/, ${FUZZ_SECONDS:-10}s per target)"
  FUZZ_SECONDS="${FUZZ_SECONDS:-10}" bash scripts/fuzz-smoke.sh || fail=1
fi

exit $fail
