#!/usr/bin/env bash
# Runs the conformance harness against the edge binary: JSON, protobuf, and
# the generated cases. Skips cleanly when ../shared is absent.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
SHARED="${EDGE_SHARED:-$REPO/../shared}"
HARNESS="$SHARED/conformance/harness.py"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
EDGE="${EDGE_BIN:-$TARGET/debug/edge}"
PY="${EDGE_PYTHON:-python3}"
if [ ! -f "$HARNESS" ]; then
  echo "conformance harness not found at $HARNESS; skipping"
  exit 0
fi
TEMPLATE="$REPO/tests/conformance/proxy-config.json"
status=0
"$PY" "$HARNESS" proxy --keep-going --config-template "$TEMPLATE" -- "$EDGE" '{config}' || status=1
"$PY" "$HARNESS" proxy --keep-going --content-type application/x-protobuf \
  --config-template "$TEMPLATE" -- "$EDGE" '{config}' || status=1
if [ -d "$SHARED/conformance/generated" ]; then
  "$PY" "$HARNESS" proxy --keep-going --cases "$SHARED/conformance/generated" \
    --config-template "$TEMPLATE" -- "$EDGE" '{config}' || status=1
fi
exit $status
