#!/usr/bin/env bash
# Installs everything Edge needs to build and test on a fresh Debian machine:
# system packages for Vectorscan and ISA-L, and a Python virtualenv with the
# real clients the end-to-end tests drive. Safe to run again.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

need_apt=()
command -v cmake >/dev/null 2>&1 || need_apt+=(cmake)
command -v ragel >/dev/null 2>&1 || need_apt+=(ragel)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
[ -d /usr/include/boost ] || need_apt+=(libboost-dev)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
# ISA-L (isal-sys, the proxy's deflate/gzip encoder) is built from source
# with autotools and nasm.
command -v make >/dev/null 2>&1 || need_apt+=(make)
command -v nasm >/dev/null 2>&1 || need_apt+=(nasm)
command -v autoreconf >/dev/null 2>&1 || need_apt+=(autoconf)
command -v automake >/dev/null 2>&1 || need_apt+=(automake)
command -v libtoolize >/dev/null 2>&1 || need_apt+=(libtool)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
# Debian ships python3 without venv/ensurepip; `python3 -m venv` needs them.
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

command -v cargo >/dev/null 2>&1 || {
  echo "setup: cargo not found; install Rust with rustup first" >&2
  exit 1
}

# cargo-fuzz drives the fuzz smoke run of scripts/test.sh (stable toolchain,
# `--sanitizer none`); installed from crates.io only when missing.
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "setup: installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

venv="${EDGE_VENV:-$HOME/.cache/edge/venv}"
if [ ! -x "$venv/bin/python" ]; then
  mkdir -p "$(dirname "$venv")"
  python3 -m venv "$venv"
fi
req="$here/tests/e2e/requirements.txt"
stamp="$venv/.edge-requirements"
if ! cmp -s "$req" "$stamp"; then
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
  cp "$req" "$stamp"
fi
echo "setup: ok (python venv at $venv)"
