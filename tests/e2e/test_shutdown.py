"""Graceful shutdown of the real binary: SIGTERM while requests wait on a
slow upstream; they complete and are delivered, new connections are refused,
and Edge exits 0."""

import json
import signal
import socket
import threading
import time
import urllib.error
import urllib.request

POLICIES = {
    "policies": [
        {
            "id": "drop-debug",
            "name": "drop debug logs",
            "log": {"match": [{"log_field": "severity_text", "exact": "debug"}], "keep": "none"},
        }
    ]
}


def _post_logs(url, messages, results, index):
    body = json.dumps([{"message": m, "status": "info"} for m in messages]).encode()
    req = urllib.request.Request(
        url + "/api/v2/logs",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "DD-API-KEY": "k"},
    )
    try:
        with urllib.request.urlopen(req, timeout=15) as resp:
            results[index] = resp.status
    except urllib.error.HTTPError as exc:
        results[index] = exc.code
    except OSError as exc:
        results[index] = repr(exc)


def test_sigterm_finishes_in_flight_requests_then_exits_0(make_sink, start_edge):
    sink = make_sink("--delay-ms", "1500")
    edge = start_edge(
        "EDGE_BIN", "edge", POLICIES, upstream_url=sink.url, shutdown_grace_period_ms=10000
    )
    results = [None] * 3
    threads = [
        threading.Thread(target=_post_logs, args=(edge.url, [f"in flight {i}"], results, i))
        for i in range(3)
    ]
    for t in threads:
        t.start()
    # The requests reach Edge and wait on the slow upstream.
    time.sleep(0.6)
    started = time.monotonic()
    edge.proc.send_signal(signal.SIGTERM)
    # The listener closes at once.
    time.sleep(0.3)
    with socket.socket() as s:
        s.settimeout(1)
        refused = s.connect_ex(("127.0.0.1", edge.port)) != 0
    assert refused, "no new connections after SIGTERM"
    for t in threads:
        t.join(timeout=15)
    assert results == [202, 202, 202], results + [edge.logs()[-2000:]]
    assert edge.proc.wait(timeout=10) == 0
    assert time.monotonic() - started < 8
    received = sorted(
        log["message"]
        for r in sink.raw()
        if r["path"] == "/api/v2/logs"
        for log in json.loads(r["body"])
    )
    assert received == ["in flight 0", "in flight 1", "in flight 2"]
    logs = edge.logs()
    assert "shutting down" in logs
