"""The deployment manifests are valid Kubernetes objects, and the Edge
configuration embedded in them is accepted by `edge config check`."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, _binary

MANIFESTS = sorted((REPO / "deploy" / "kubernetes").glob("*.yaml"))


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda p: p.name)
def test_manifest_schema(manifest):
    validator = Path(sys.executable).parent / "kubernetes-validate"
    if not validator.exists():
        pytest.skip("kubernetes-validate not installed")
    out = subprocess.run([str(validator), "--strict", "--quiet", str(manifest)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda p: p.name)
def test_embedded_config_is_valid(manifest, tmp_path):
    edge = _binary("EDGE_BIN", "edge")
    docs = [d for d in yaml.safe_load_all(manifest.read_text()) if d and d.get("kind") == "ConfigMap"]
    assert docs, "no ConfigMap in manifest"
    for doc in docs:
        cfg = tmp_path / "edge.yaml"
        cfg.write_text(doc["data"]["edge.yaml"])
        out = subprocess.run([str(edge), "config", "check", str(cfg)], capture_output=True, text=True,
                             env={"POLICY_SERVER_TOKEN": "t", "PATH": "/usr/bin:/bin"})
        assert out.returncode == 0, out.stdout + out.stderr
