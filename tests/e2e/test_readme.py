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
