"""Edge syncs policies from a policy server, reports hits back, keeps working
while the server is away, and switches policies when the server's set changes."""

import gzip
import json
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import HARNESS, http_get, wait_until

API_KEY = "abcdefabcdefabcdefabcdefabcdef12"


def policies(drop_status):
    return {
        "policies": [
            {
                "id": f"drop-{drop_status}",
                "name": f"drop {drop_status}",
                "log": {"match": [{"log_field": "severity_text", "exact": drop_status}], "keep": "none"},
            }
        ]
    }


class PolicyServer:
    def __init__(self, path, port=0):
        self.path = path
        self.proc = subprocess.Popen(
            [sys.executable, str(HARNESS), "policy-server", "--policies", str(path), "--port", str(port),
             "--interval", "1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.port = None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if line.startswith("HTTP_PORT="):
                self.port = int(line.strip().split("=", 1)[1])
                break
        assert self.port, "policy server did not start"
        self.url = f"http://127.0.0.1:{self.port}"

    def stats(self):
        return {p["policy_id"]: p for p in json.loads(http_get(self.url + "/stats")[1])["policies"]}

    def stop(self):
        try:
            http_get(self.url + "/shutdown", timeout=1)
        except OSError:
            pass
        self.proc.terminate()
        self.proc.wait(timeout=5)


def send(edge, statuses):
    body = json.dumps([{"message": f"m{i}", "status": s, "service": "web"} for i, s in enumerate(statuses)])
    req = urllib.request.Request(edge.url + "/api/v2/logs", data=gzip.compress(body.encode()), method="POST",
                                 headers={"Content-Type": "application/json", "Content-Encoding": "gzip",
                                          "DD-API-KEY": API_KEY})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status


def received_statuses(sink):
    out = []
    for r in sink.raw():
        if r["path"] == "/api/v2/logs":
            out.extend(log["status"] for log in json.loads(r["body"]))
    return out


@pytest.fixture
def policy_server(tmp_path):
    if not HARNESS.exists():
        pytest.skip("conformance harness (../shared) not available")
    path = tmp_path / "server-policies.json"
    path.write_text(json.dumps(policies("debug")))
    servers = [PolicyServer(path)]
    yield servers
    for s in servers:
        s.stop()


def test_policies_from_server_with_hits_reported(sink, start_edge, policy_server, tmp_path):
    server = policy_server[0]
    edge = start_edge("EDGE_BIN", "edge", {"policies": []}, upstream_url=sink.url,
                      policy_providers=[{"id": "central", "type": "http",
                                         "url": server.url + "/v1/policy/sync", "poll_interval_secs": 1}])

    # Policies arrive in the background; until then Edge forwards everything.
    def synced():
        sink.reset()
        send(edge, ["debug", "info"])
        return received_statuses(sink) == ["info"]

    assert wait_until(synced, timeout=20, interval=0.3), edge.logs()[-3000:]

    sink.reset()
    # The successful probe above dropped exactly one debug record.
    before = 1
    assert send(edge, ["debug", "debug", "debug", "info"]) == 202
    assert received_statuses(sink) == ["info"]
    assert wait_until(lambda: server.stats().get("drop-debug", {}).get("hits", 0) >= before + 3, timeout=10)
    time.sleep(2.5)  # two more sync rounds must not double-count
    assert server.stats()["drop-debug"]["hits"] == before + 3

    # The server goes away: the last good policies stay active.
    port = server.port
    server.stop()
    policy_server.clear()
    time.sleep(1.5)
    sink.reset()
    send(edge, ["debug", "warn"])
    assert received_statuses(sink) == ["warn"]

    # It comes back on the same address with a different policy set.
    path = tmp_path / "server-policies.json"
    path.write_text(json.dumps(policies("warn")))
    server = PolicyServer(path, port=port)
    policy_server.append(server)

    def switched():
        sink.reset()
        send(edge, ["debug", "warn"])
        return received_statuses(sink) == ["debug"]

    assert wait_until(switched, timeout=30, interval=0.5), edge.logs()[-3000:]
    assert API_KEY not in edge.logs()
