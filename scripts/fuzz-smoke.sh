#!/usr/bin/env bash
# Fuzz smoke run: build every cargo-fuzz target in fuzz/, replay the kept
# inputs (fuzz/regressions/<target>/, fuzz/seeds/<target>/) through a plain
# `cargo test` of the fuzz crate and through each libFuzzer binary, then fuzz
# each target for a short time starting from its seeds.
# Exits non-zero if any target crashes, times out or runs out of memory.
#
# Works on the stable toolchain pinned by rust-toolchain.toml: the targets
# are built with `cargo fuzz build --sanitizer none`, which only uses stable
# codegen flags (-Cpasses=sancov-module, -Cllvm-args=-sanitizer-coverage-*),
# so there is no AddressSanitizer; panics, overflow checks and
# debug assertions still stop the fuzzer. The module targets use
# edge-modules without its `vectorscan` feature (no C++ build).
#
# Environment:
#   FUZZ_SECONDS        seconds of fuzzing per target (default 20)
#   FUZZ_SKIP_MODULES=1 only the policy targets; edge-modules is not compiled
#   FUZZ_TARGET_DIR     cargo target dir (default "${CARGO_TARGET_DIR}-fuzz",
#                       or <repo>/target-fuzz): kept apart from the dev target
#                       dir because the coverage flags rebuild everything
#   FUZZ_TOOLCHAIN      rustup toolchain to use instead of the pinned one
#                       (e.g. nightly, for `FUZZ_SANITIZER=address`)
#   FUZZ_SANITIZER      cargo fuzz --sanitizer (default none; others need nightly)
#   FUZZ_JOBS           cargo build jobs (default: cargo's choice)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECONDS_PER_TARGET=${FUZZ_SECONDS:-20}
SANITIZER=${FUZZ_SANITIZER:-none}
TC=()
if [[ -n "${FUZZ_TOOLCHAIN:-}" ]]; then
    TC=("+$FUZZ_TOOLCHAIN")
fi
if [[ -n "${CARGO_TARGET_DIR:-}" ]]; then
    DEFAULT_DIR="${CARGO_TARGET_DIR%/}-fuzz"
else
    DEFAULT_DIR="$ROOT/target-fuzz"
fi
TARGET_DIR=${FUZZ_TARGET_DIR:-$DEFAULT_DIR}

POLICY_TARGETS=(policy_parse policy_protobuf otlp_json_logs)
MODULE_TARGETS=(datadog_logs otlp_proto otlp_scan prometheus_filter dd_metrics)

log() { printf '[fuzz-smoke] %s\n' "$*" >&2; }

if ! (cd "$ROOT" && cargo "${TC[@]}" --version) >/dev/null 2>&1; then
    log "toolchain ${FUZZ_TOOLCHAIN:-from rust-toolchain.toml} is missing"
    exit 2
fi
if ! command -v cargo-fuzz >/dev/null 2>&1; then
    log "installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

BUILD_ARGS=(--sanitizer "$SANITIZER" --target-dir "$TARGET_DIR")
TEST_ARGS=(--manifest-path "$ROOT/fuzz/Cargo.toml" --target-dir "$TARGET_DIR")
if [[ -n "${FUZZ_JOBS:-}" ]]; then
    BUILD_ARGS+=(--jobs "$FUZZ_JOBS")
    TEST_ARGS+=(--jobs "$FUZZ_JOBS")
fi
if [[ "${FUZZ_SKIP_MODULES:-0}" == 1 ]]; then
    TARGETS=("${POLICY_TARGETS[@]}")
else
    TARGETS=("${POLICY_TARGETS[@]}" "${MODULE_TARGETS[@]}")
    BUILD_ARGS+=(--features modules)
    TEST_ARGS+=(--features modules)
fi

start=$(date +%s)
log "building ${#TARGETS[@]} targets into $TARGET_DIR"
(cd "$ROOT" && cargo "${TC[@]}" fuzz build "${BUILD_ARGS[@]}")
log "build done in $(($(date +%s) - start))s"

# The kept inputs through the target functions without libFuzzer
# (fuzz/tests/replay.rs): a plain debug build, same target dir.
t0=$(date +%s)
(cd "$ROOT" && cargo "${TC[@]}" test "${TEST_ARGS[@]}")
log "replay tests done in $(($(date +%s) - t0))s"

HOST=$(cd "$ROOT" && rustc "${TC[@]}" -vV | sed -n 's/^host: //p')
BIN_DIR="$TARGET_DIR/$HOST/release"
WORK="$TARGET_DIR/smoke"
rm -rf "$WORK"
mkdir -p "$WORK"

failed=()
for t in "${TARGETS[@]}"; do
    bin="$BIN_DIR/$t"
    if [[ ! -x "$bin" ]]; then
        log "$t: binary $bin missing"
        failed+=("$t(missing)")
        continue
    fi
    mkdir -p "$WORK/$t/corpus" "$WORK/$t/artifacts"
    common=(-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$WORK/$t/artifacts/")

    reg="$ROOT/fuzz/regressions/$t"
    if [[ -d "$reg" ]] && [[ -n "$(ls -A "$reg")" ]]; then
        log "$t: replaying $(ls -A "$reg" | wc -l) regression input(s)"
        if ! "$bin" "${common[@]}" -runs=0 "$reg" >"$WORK/$t/replay.log" 2>&1; then
            log "$t: regression replay FAILED (log: $WORK/$t/replay.log)"
            tail -n 40 "$WORK/$t/replay.log" >&2
            failed+=("$t(regression)")
        fi
    fi

    log "$t: fuzzing for ${SECONDS_PER_TARGET}s"
    if ! "$bin" "${common[@]}" -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 \
        "$WORK/$t/corpus" "$ROOT/fuzz/seeds/$t" >"$WORK/$t/fuzz.log" 2>&1; then
        log "$t: fuzzing FAILED (log: $WORK/$t/fuzz.log, inputs: $WORK/$t/artifacts/)"
        tail -n 60 "$WORK/$t/fuzz.log" >&2
        failed+=("$t")
    else
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$t/fuzz.log")
        log "$t: ok (${execs:-?} executions)"
    fi
done

log "total $(($(date +%s) - start))s"
if ((${#failed[@]})); then
    log "FAILED: ${failed[*]}"
    exit 1
fi
log "all ${#TARGETS[@]} targets passed"
