"""Every example under examples/examples runs to completion. `cargo test
--workspace` (scripts/test.sh) builds them next to the edge binary; the
examples bind 127.0.0.1 only and stop by themselves."""

import subprocess

import pytest

from conftest import REPO, _binary

EXAMPLES = sorted(p.stem for p in (REPO / "examples" / "examples").glob("*.rs"))
# Needs input files and arguments; the conformance harness drives the same
# code through `edge policy eval`.
NEEDS_ARGS = {"policy_eval"}


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_runs(name, tmp_path):
    edge = _binary("EDGE_BIN", "edge")
    binary = edge.parent / "examples" / name
    if not binary.exists():
        pytest.skip(f"{binary} not built (cargo build -p edge-examples --examples)")
    args = ["--help"] if name in NEEDS_ARGS else []
    out = subprocess.run([str(binary), *args], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    if name in NEEDS_ARGS:
        # Usage errors exit non-zero but must not crash.
        assert out.returncode in (0, 1, 2), out.stdout + out.stderr
        assert "panicked" not in out.stderr, out.stderr
    else:
        assert out.returncode == 0, out.stdout + out.stderr
