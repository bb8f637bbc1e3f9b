"""The policy examples in the README compile, and the example configs are valid."""

import os
import re
import subprocess

import pytest

from conftest import REPO, _binary


def test_readme_policy_examples_compile(tmp_path):
    edge = _binary("EDGE_BIN", "edge")
    text = (REPO / "README.md").read_text()
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if b.startswith("policies:")]
    assert blocks, "README has no policy example"
    for i, block in enumerate(blocks):
        path = tmp_path / f"readme-{i}.yaml"
        path.write_text(block)
        out = subprocess.run([str(edge), "policy", "check", str(path)], capture_output=True, text=True)
        assert out.returncode == 0, out.stdout + out.stderr


def test_policy_check_reports_errors(tmp_path):
    edge = _binary("EDGE_BIN", "edge")
    path = tmp_path / "bad.yaml"
    path.write_text("policies:\n  - id: bad\n    name: bad\n    log:\n      match: [{log_field: body, regex: '(['}]\n      keep: none\n")
    out = subprocess.run([str(edge), "policy", "check", str(path)], capture_output=True, text=True)
    assert out.returncode != 0
    assert "invalid regex" in out.stdout + out.stderr


@pytest.mark.parametrize("config", sorted((REPO / "examples" / "configs").glob("*")), ids=lambda p: p.name)
def test_example_configs(config):
    edge = _binary("EDGE_BIN", "edge")
    if "polic" in config.name:
        cmd = [str(edge), "policy", "check", str(config)]
    else:
        cmd = [str(edge), "config", "check", str(config)]
    env = dict(os.environ, EDGE_UPSTREAM="https://intake.example", EDGE_LOGS_UPSTREAM="https://logs.example")
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env=env)
    assert out.returncode == 0, out.stdout + out.stderr


def test_readme_lists_every_example_and_only_existing_ones():
    text = (REPO / "README.md").read_text()
    section = text[text.index("## Embedding `edge-policy`"):]
    section = section[: section.index("\n## ", 3)]
    listed = set(re.findall(r"^\| `([a-z_]+)` \|", section, re.M))
    files = {p.stem for p in (REPO / "examples" / "examples").glob("*.rs")}
    assert listed == files, f"README lists {sorted(listed)}, examples/examples has {sorted(files)}"


def test_readme_example_configs_exist():
    text = (REPO / "README.md").read_text()
    for name in set(re.findall(r"examples/configs/([A-Za-z0-9_.-]+\.(?:json|yaml))", text)):
        assert (REPO / "examples" / "configs" / name).is_file(), name


def test_quick_start_end_to_end(tmp_path):
    """The README's quick start as written: the stand-in intake, the Datadog
    distribution on `datadog-local.yaml` (ports moved by `EDGE_*` overrides),
    and the README's curl batch: the two records the example policies keep
    reach the intake, the other two do not."""
    import json
    import subprocess
    import sys
    import time

    from conftest import free_port, http_get, wait_until

    edge_bin = _binary("EDGE_DATADOG_BIN", "edge-datadog")
    text = (REPO / "README.md").read_text()
    quick = text[text.index("## Quick start"):text.index("\n## ", text.index("## Quick start") + 3)]
    assert "python3 examples/intake/intake.py" in quick
    assert "examples/configs/datadog-local.yaml" in quick
    batch = json.loads(re.search(r"-d '(\[.*?\])'", quick, re.S).group(1))

    intake_port, edge_port, admin_port = free_port(), free_port(), free_port()
    intake_log = open(tmp_path / "intake.out", "w")
    intake = subprocess.Popen(
        [sys.executable, "-u", str(REPO / "examples" / "intake" / "intake.py"), "--port", str(intake_port)],
        stdout=intake_log, stderr=subprocess.STDOUT)
    assert wait_until(lambda: "intake listening" in (tmp_path / "intake.out").read_text())
    env = dict(os.environ, EDGE_LISTEN_PORT=str(edge_port),
               EDGE_UPSTREAM_URL=f"http://127.0.0.1:{intake_port}",
               EDGE_ADMIN_LISTEN_ADDRESS=f"127.0.0.1:{admin_port}")
    edge_log = open(tmp_path / "edge.out", "w")
    edge = subprocess.Popen([str(edge_bin), "examples/configs/datadog-local.yaml"], cwd=REPO, env=env,
                            stdout=edge_log, stderr=subprocess.STDOUT)
    try:
        assert wait_until(lambda: http_get(f"http://127.0.0.1:{admin_port}/_edge/health", timeout=1)[0] == 200)
        import urllib.request
        req = urllib.request.Request(
            f"http://127.0.0.1:{edge_port}/api/v2/logs", data=json.dumps(batch).encode(), method="POST",
            headers={"Content-Type": "application/json", "DD-API-KEY": "test"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.status == 202
            assert resp.read() == b"{}"
        deadline = time.monotonic() + 5
        while "payment failed" not in (tmp_path / "intake.out").read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        seen = (tmp_path / "intake.out").read_text()
        assert "--> POST /api/v2/logs" in seen
        assert "user signed in" in seen and "payment failed" in seen
        assert "cache detail" not in seen and "GET /health" not in seen
    finally:
        for proc in (edge, intake):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        intake_log.close()
        edge_log.close()
