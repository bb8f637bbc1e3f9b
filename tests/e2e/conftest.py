"""Fixtures for end-to-end tests: a sink upstream, the Edge binary, helpers.

Everything listens on 127.0.0.1 and is stopped when the test ends.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("EDGE_SHARED", REPO.parent / "shared"))
HARNESS = SHARED / "conformance" / "harness.py"
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))


def _binary(env_name: str, name: str) -> Path:
    path = Path(os.environ.get(env_name, TARGET / "debug" / name))
    if not path.exists():
        pytest.skip(f"{path} not built")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, timeout: float = 5.0):
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return resp.status, resp.read()


def wait_until(predicate, timeout: float = 15.0, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(interval)
    return False


class Sink:
    """The conformance harness's sink: stores what it receives."""

    def __init__(self, proc: subprocess.Popen, port: int):
        self.proc = proc
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def raw(self):
        return json.loads(http_get(self.url + "/raw")[1])

    def output(self):
        return json.loads(http_get(self.url + "/output")[1])

    def reset(self):
        http_get(self.url + "/reset")


@pytest.fixture
def sink():
    if not HARNESS.exists():
        pytest.skip("conformance harness (../shared) not available")
    proc = subprocess.Popen(
        [sys.executable, str(HARNESS), "sink", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    port = None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("SINK_PORT="):
            port = int(line.strip().split("=", 1)[1])
            break
    assert port, "sink did not start"
    yield Sink(proc, port)
    try:
        http_get(f"http://127.0.0.1:{port}/shutdown", timeout=1)
    except OSError:
        pass
    proc.terminate()
    proc.wait(timeout=5)


def require_harness():
    """Skips the calling test when the conformance harness (../shared, or
    $EDGE_SHARED) is absent. Call it from the test's own thread: a skip
    raised in another thread (a Timer) does not skip the test."""
    if not HARNESS.exists():
        pytest.skip("conformance harness (../shared) not available")


def start_sink_process(*args: str, port: int = 0) -> Sink:
    """Starts a harness sink with extra arguments (`--fail-status`,
    `--delay-ms`, ...) on `port` (0: a free one). Stop it with `stop_sink`."""
    require_harness()
    proc = subprocess.Popen(
        [sys.executable, str(HARNESS), "sink", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    found = None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("SINK_PORT="):
            found = int(line.strip().split("=", 1)[1])
            break
        if not line and proc.poll() is not None:
            break
    if not found:
        proc.kill()
        proc.wait(timeout=5)
        raise AssertionError(f"sink did not start (args {args}, port {port})")
    return Sink(proc, found)


def stop_sink(s: Sink) -> None:
    """Stops a sink started by `start_sink_process` and waits for its exit."""
    if s.proc.poll() is None:
        s.proc.kill()
    s.proc.wait(timeout=5)


@pytest.fixture
def make_sink():
    """Factory fixture: `make_sink("--delay-ms", "500", port=0)`; every sink
    started through it is stopped when the test ends."""
    started = []

    def make(*args: str, port: int = 0) -> Sink:
        s = start_sink_process(*args, port=port)
        started.append(s)
        return s

    yield make
    for s in started:
        stop_sink(s)


class Edge:
    """A running Edge process with its config and policy file."""

    def __init__(self, proc, port, workdir: Path, policy_path: Path, log_path: Path):
        self.proc = proc
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.workdir = workdir
        self.policy_path = policy_path
        self.log_path = log_path

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def start_edge(tmp_path):
    started = []

    def start(binary_env: str, binary_name: str, policies: dict, **config):
        binary = _binary(binary_env, binary_name)
        port = free_port()
        policy_path = tmp_path / "policies.json"
        policy_path.write_text(json.dumps(policies))
        cfg = {
            "listen_address": "127.0.0.1",
            "listen_port": port,
            "log_level": "debug",
            "policy_providers": [{"id": "local", "type": "file", "path": str(policy_path)}],
        }
        cfg.update(config)
        cfg_path = tmp_path / "edge.json"
        cfg_path.write_text(json.dumps(cfg))
        log_path = tmp_path / f"{binary_name}.log"
        log = open(log_path, "w")
        proc = subprocess.Popen([str(binary), str(cfg_path)], stdout=log, stderr=subprocess.STDOUT)
        edge = Edge(proc, port, tmp_path, policy_path, log_path)
        started.append((edge, log))
        ok = wait_until(lambda: http_get(edge.url + "/_edge/health", timeout=1)[0] == 200)
        assert ok, "edge did not become healthy:\n" + edge.logs()[-3000:]
        return edge

    yield start
    for edge, log in started:
        if edge.proc.poll() is None:
            edge.proc.terminate()
            try:
                edge.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                edge.proc.kill()
        log.close()
