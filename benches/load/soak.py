#!/usr/bin/env python3
"""Soak test: mixed traffic through Edge for N minutes while its policy file
is rewritten every few seconds and its upstream restarts every minute.

    python3 benches/load/soak.py --minutes 10            # the full run
    python3 benches/load/soak.py --minutes 2 --edge target/release/edge

Traffic (a few client threads, persistent connections): Datadog logs (JSON,
some gzip), OTLP/HTTP logs as JSON and as protobuf, Datadog metric series.
Every record that no policy variant drops carries a unique id
(`soak-<16 hex>`); noise records without ids are what the policies drop,
sample or redact. The upstream is a sink in this process that records every
id it sees in a (decompressed) request body: protobuf strings are stored
verbatim, so one regular expression finds ids in every format.

Fault schedule:
* the policy file is rewritten every `--policy-interval` seconds, cycling
  through valid variants, an empty set and a broken file (fail open), by
  in-place write and by atomic rename in turn;
* the upstream is stopped every `--restart-interval` seconds (listener and
  every open connection closed), left down `--down-seconds`, then started
  again on the same port.

Report: requests sent, acknowledged (2xx), refused (by status), ids
acknowledged, ids received upstream, acknowledged-but-never-received ids, and
Edge's RSS sampled every `--rss-interval` seconds.

Pass/fail (exit status 1 on failure):
* every id in a request Edge acknowledged (2xx) was received upstream;
* at least one request was acknowledged, and Edge is still running;
* RSS stays flat: after a warm-up (the first 20% of the run, at least 20 s),
  the median of the last quarter of samples may exceed the median of the
  first quarter of post-warm-up samples by at most 15% + 8 MiB. The
  least-squares slope of RSS after warm-up (MiB/min) is reported too, for
  spotting a slow leak that a short run cannot fail on.

Needs: the Edge binary (default $CARGO_TARGET_DIR/debug/edge), and the
`opentelemetry-proto` Python package for the protobuf requests (the e2e
venv has it; without it those requests are sent as JSON). Binds 127.0.0.1
only; stops Edge and the sink on exit. Not part of CI.
"""

import argparse
import gzip
import http.client
import http.server
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zlib
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ID_RE = re.compile(rb"soak-[0-9a-f]{16}")

try:
    from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
    from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
    from opentelemetry.proto.logs.v1.logs_pb2 import LogRecord, ResourceLogs, ScopeLogs
except ImportError:  # pragma: no cover - depends on the environment
    ExportLogsServiceRequest = None


def new_id() -> str:
    return "soak-" + uuid.uuid4().hex[:16]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------
# Upstream sink (restartable, keeps its records across restarts)
# ---------------------------------------------------------------------------


class Received:
    def __init__(self):
        self.lock = threading.Lock()
        self.ids = set()
        self.requests = 0

    def add(self, body: bytes):
        found = {m.decode() for m in ID_RE.findall(body)}
        with self.lock:
            self.ids.update(found)
            self.requests += 1


class SinkHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        with self.server.conns_lock:
            self.server.conns.add(self.connection)

    def finish(self):
        with self.server.conns_lock:
            self.server.conns.discard(self.connection)
        super().finish()

    def do_POST(self):  # noqa: N802
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n)
        enc = (self.headers.get("Content-Encoding") or "").lower()
        try:
            if enc == "gzip":
                body = gzip.decompress(body)
            elif enc == "deflate":
                body = zlib.decompress(body)
        except (OSError, zlib.error):
            pass
        self.server.received.add(body)
        out = b"{}"
        self.send_response(202 if self.path.startswith("/api/") else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Connections cut by a simulated restart fail mid-write: expected.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class Sink:
    def __init__(self, port: int, received: Received):
        self.port = port
        self.received = received
        self.server = None
        self.thread = None
        self.restarts = 0

    def start(self):
        deadline = time.monotonic() + 10
        while True:
            try:
                srv = QuietServer(("127.0.0.1", self.port), SinkHandler)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        srv.received = self.received
        srv.conns = set()
        srv.conns_lock = threading.Lock()
        self.server = srv
        self.thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self):
        srv = self.server
        if srv is None:
            return
        srv.shutdown()
        srv.server_close()
        with srv.conns_lock:
            conns = list(srv.conns)
        for c in conns:  # like a process exit: every connection goes
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.server = None


# ---------------------------------------------------------------------------
# Policies
# ---------------------------------------------------------------------------

DROP_NOISE = {
    "id": "drop-debug-noise",
    "name": "drop debug noise",
    "log": {"match": [{"log_field": "severity_text", "exact": "debug", "case_insensitive": True}], "keep": "none"},
}
SAMPLE_NOISE = {
    "id": "sample-noise",
    "name": "sample noise",
    "log": {"match": [{"log_field": "body", "regex": "^noise "}], "keep": "10%"},
}
REDACT_NOISE = {
    "id": "redact-noise",
    "name": "redact noise numbers",
    "log": {
        "match": [{"log_field": "body", "regex": "^noise "}],
        "transform": {"redact": [{"log_field": "body", "regex": "[0-9]+", "replacement": "N"}]},
    },
}
DROP_NOISE_METRICS = {
    "id": "drop-noise-metrics",
    "name": "drop noise metrics",
    "metric": {"match": [{"metric_field": "name", "starts_with": "noise."}], "keep": False},
}
VARIANTS = [
    json.dumps({"policies": [DROP_NOISE, DROP_NOISE_METRICS]}),
    json.dumps({"policies": [SAMPLE_NOISE, REDACT_NOISE]}),
    json.dumps({"policies": [DROP_NOISE, SAMPLE_NOISE, DROP_NOISE_METRICS]}),
    json.dumps({"policies": []}),
    '{"policies": [{"id": "broken", "log": ',  # a half-written file
    json.dumps({"policies": [REDACT_NOISE, DROP_NOISE_METRICS]}),
]


# ---------------------------------------------------------------------------
# Traffic
# ---------------------------------------------------------------------------


def dd_logs(rng):
    ids = [new_id() for _ in range(rng.randint(1, 6))]
    items = [{"message": f"event {i}", "status": rng.choice(["info", "warn", "error"]), "service": "soak",
              "ddtags": f"env:soak,id:{i}"} for i in ids]
    items += [{"message": f"noise {rng.randint(0, 10**6)}", "status": "debug", "service": "soak"}
              for _ in range(rng.randint(0, 3))]
    rng.shuffle(items)
    body = json.dumps(items).encode()
    headers = {"Content-Type": "application/json", "DD-API-KEY": "soak"}
    if rng.random() < 0.3:
        body = gzip.compress(body)
        headers["Content-Encoding"] = "gzip"
    return "/api/v2/logs", body, headers, ids


def otlp_records(rng):
    ids = [new_id() for _ in range(rng.randint(1, 6))]
    recs = [("INFO", f"event {i}", i) for i in ids]
    recs += [("DEBUG", f"noise {rng.randint(0, 10**6)}", None) for _ in range(rng.randint(0, 3))]
    rng.shuffle(recs)
    return ids, recs


def otlp_json(rng):
    ids, recs = otlp_records(rng)
    doc = {"resourceLogs": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "soak"}}]},
        "scopeLogs": [{"scope": {"name": "soak"}, "logRecords": [
            {"timeUnixNano": str(time.time_ns()), "severityText": sev, "body": {"stringValue": body},
             "attributes": ([{"key": "id", "value": {"stringValue": rid}}] if rid else [])}
            for sev, body, rid in recs]}],
    }]}
    return "/v1/logs", json.dumps(doc).encode(), {"Content-Type": "application/json"}, ids


def otlp_proto(rng):
    if ExportLogsServiceRequest is None:
        return otlp_json(rng)
    ids, recs = otlp_records(rng)
    records = [LogRecord(time_unix_nano=time.time_ns(), severity_text=sev, body=AnyValue(string_value=body),
                         attributes=([KeyValue(key="id", value=AnyValue(string_value=rid))] if rid else []))
               for sev, body, rid in recs]
    req = ExportLogsServiceRequest(resource_logs=[ResourceLogs(
        resource={"attributes": [KeyValue(key="service.name", value=AnyValue(string_value="soak"))]},
        scope_logs=[ScopeLogs(log_records=records)])])
    return "/v1/logs", req.SerializeToString(), {"Content-Type": "application/x-protobuf"}, ids


def dd_metrics(rng):
    ids = [new_id() for _ in range(rng.randint(1, 4))]
    now = int(time.time())
    series = [{"metric": "soak.requests", "type": 1, "points": [{"timestamp": now, "value": rng.random()}],
               "tags": ["env:soak", f"id:{i}"]} for i in ids]
    series += [{"metric": "noise.gauge", "type": 3, "points": [{"timestamp": now, "value": 1.0}], "tags": []}
               for _ in range(rng.randint(0, 2))]
    rng.shuffle(series)
    body = json.dumps({"series": series}).encode()
    return "/api/v2/series", body, {"Content-Type": "application/json", "DD-API-KEY": "soak"}, ids


KINDS = [("dd_logs", dd_logs), ("otlp_json", otlp_json), ("otlp_proto", otlp_proto), ("dd_metrics", dd_metrics)]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.sent = Counter()
        self.acked = Counter()
        self.statuses = Counter()
        self.acked_ids = set()
        self.errors = Counter()

    def record(self, kind, status, ids, error=None):
        with self.lock:
            self.sent[kind] += 1
            if status is not None:
                self.statuses[status] += 1
            else:
                self.errors[error] += 1
            if status is not None and 200 <= status < 300:
                self.acked[kind] += 1
                self.acked_ids.update(ids)


def client(port, stats, stop, seed, pause):
    rng = random.Random(seed)
    conn = None
    while not stop.is_set():
        kind, make = rng.choice(KINDS)
        path, body, headers, ids = make(rng)
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
            conn.request("POST", path, body=body, headers=headers)
            resp = conn.getresponse()
            resp.read()
            stats.record(kind, resp.status, ids)
            if resp.status >= 300:
                time.sleep(0.1)  # back off like an agent would (no resend)
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as exc:
            stats.record(kind, None, ids, type(exc).__name__)
            if conn is not None:
                conn.close()
            conn = None
            time.sleep(0.05)
        if pause:
            time.sleep(pause)
    if conn is not None:
        conn.close()


def rss_kb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=10.0)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    ap.add_argument("--edge", default=str(target / "debug" / "edge"), help="Edge binary (default: debug build)")
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--pause", type=float, default=0.002, help="seconds each client sleeps between requests")
    ap.add_argument("--policy-interval", type=float, default=3.0)
    ap.add_argument("--restart-interval", type=float, default=60.0)
    ap.add_argument("--down-seconds", type=float, default=1.5)
    ap.add_argument("--rss-interval", type=float, default=5.0)
    ap.add_argument("--report", help="also write the report as JSON to this file")
    args = ap.parse_args()

    edge_bin = Path(args.edge)
    if not edge_bin.exists():
        sys.exit(f"soak: {edge_bin} not found (cargo build -p edge, or --edge PATH)")
    duration = args.minutes * 60
    work = Path(tempfile.mkdtemp(prefix="edge-soak-"))
    received = Received()
    sink = Sink(free_port(), received)
    sink.start()

    policy_path = work / "policies.json"
    policy_path.write_text(VARIANTS[0])
    edge_port = free_port()
    cfg = {
        "listen_address": "127.0.0.1",
        "listen_port": edge_port,
        "upstream_url": f"http://127.0.0.1:{sink.port}",
        "log_level": "warn",
        "policy_providers": [{"id": "soak", "type": "file", "path": str(policy_path)}],
    }
    (work / "edge.json").write_text(json.dumps(cfg))
    log = open(work / "edge.log", "w")
    edge = subprocess.Popen([str(edge_bin), str(work / "edge.json")], stdout=log, stderr=subprocess.STDOUT)
    stats = Stats()
    stop = threading.Event()
    samples = []  # (seconds since start, RSS KiB)
    policy_writes = 0
    failures = []
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", edge_port), timeout=1):
                    break
            except OSError:
                if edge.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"soak: Edge did not start; log in {work / 'edge.log'}")
                time.sleep(0.1)

        print(f"soak: {args.minutes:g} min, {args.threads} clients, Edge pid {edge.pid} on :{edge_port}, "
              f"sink :{sink.port}, work dir {work}", flush=True)
        threads = [threading.Thread(target=client, args=(edge_port, stats, stop, i, args.pause), daemon=True)
                   for i in range(args.threads)]
        start = time.monotonic()
        for t in threads:
            t.start()
        next_policy = start + args.policy_interval
        next_restart = start + args.restart_interval
        next_rss = start
        next_print = start + 30
        while time.monotonic() - start < duration:
            now = time.monotonic()
            if edge.poll() is not None:
                failures.append(f"Edge exited with status {edge.returncode}")
                break
            if now >= next_rss:
                kb = rss_kb(edge.pid)
                if kb is not None:
                    samples.append((now - start, kb))
                next_rss += args.rss_interval
            if now >= next_policy:
                text = VARIANTS[policy_writes % len(VARIANTS)]
                if policy_writes % 2:
                    policy_path.write_text(text)
                else:
                    tmp = policy_path.with_suffix(".tmp")
                    tmp.write_text(text)
                    os.replace(tmp, policy_path)
                policy_writes += 1
                next_policy += args.policy_interval
            if now >= next_restart:
                sink.stop()
                time.sleep(args.down_seconds)
                sink.start()
                sink.restarts += 1
                next_restart = time.monotonic() + args.restart_interval
            if now >= next_print:
                with stats.lock:
                    sent, acked = sum(stats.sent.values()), sum(stats.acked.values())
                print(f"  t={now - start:5.0f}s sent={sent} acked={acked} rss={samples[-1][1] / 1024:.1f}MiB "
                      f"policy_writes={policy_writes} restarts={sink.restarts}", flush=True)
                next_print += 30
            time.sleep(0.02)
        stop.set()
        for t in threads:
            t.join(20)
        time.sleep(0.5)  # let the last upstream exchanges land
        elapsed = time.monotonic() - start
    finally:
        stop.set()
        if edge.poll() is None:
            edge.terminate()
            try:
                edge.wait(timeout=15)
            except subprocess.TimeoutExpired:
                edge.kill()
        sink.stop()
        log.close()

    with stats.lock, received.lock:
        acked_ids = set(stats.acked_ids)
        got = set(received.ids)
        report = {
            "minutes": round(elapsed / 60, 2),
            "requests_sent": sum(stats.sent.values()),
            "requests_acknowledged": sum(stats.acked.values()),
            "sent_by_kind": dict(stats.sent),
            "acknowledged_by_kind": dict(stats.acked),
            "statuses": {str(k): v for k, v in sorted(stats.statuses.items())},
            "client_errors": dict(stats.errors),
            "ids_acknowledged": len(acked_ids),
            "ids_received_upstream": len(got),
            "upstream_requests": received.requests,
            "acknowledged_not_received": len(acked_ids - got),
            "policy_writes": policy_writes,
            "upstream_restarts": sink.restarts,
            "rss_mib": [[round(t), round(kb / 1024, 1)] for t, kb in samples],
        }
    missing = acked_ids - got
    if missing:
        failures.append(f"{len(missing)} acknowledged ids never reached the upstream, e.g. {sorted(missing)[:3]}")
    if report["requests_acknowledged"] == 0:
        failures.append("nothing was acknowledged")

    # RSS flatness.
    warm = max(20.0, 0.2 * elapsed)
    post = [kb for t, kb in samples if t >= warm]
    if len(post) >= 8:
        q = max(2, len(post) // 4)
        first, last = statistics.median(post[:q]), statistics.median(post[-q:])
        allowed = first * 1.15 + 8 * 1024
        pts = [(t, kb) for t, kb in samples if t >= warm]
        mt = statistics.fmean(t for t, _ in pts)
        mk = statistics.fmean(kb for _, kb in pts)
        var = sum((t - mt) ** 2 for t, _ in pts)
        slope = sum((t - mt) * (kb - mk) for t, kb in pts) / var if var else 0.0  # KiB/s
        report["rss_judgement"] = {
            "slope_mib_per_min": round(slope * 60 / 1024, 3),
            "warmup_s": round(warm),
            "first_quarter_median_mib": round(first / 1024, 1),
            "last_quarter_median_mib": round(last / 1024, 1),
            "allowed_mib": round(allowed / 1024, 1),
            "peak_mib": round(max(kb for _, kb in samples) / 1024, 1),
        }
        if last > allowed:
            failures.append(f"RSS grew: {first / 1024:.1f} MiB -> {last / 1024:.1f} MiB (allowed {allowed / 1024:.1f})")
    else:
        failures.append(f"too few RSS samples after warm-up ({len(post)}) to judge memory; run longer")
    report["failures"] = failures
    report["passed"] = not failures

    print(json.dumps({k: v for k, v in report.items() if k != "rss_mib"}, indent=2))
    print("rss (s, MiB): " + " ".join(f"{t}:{m}" for t, m in report["rss_mib"]))
    if args.report:
        Path(args.report).write_text(json.dumps(report, indent=2))
    if failures:
        print(f"soak: FAIL (Edge's log: {work / 'edge.log'})\n  " + "\n  ".join(failures))
    else:
        shutil.rmtree(work, ignore_errors=True)
        print("soak: PASS")
    sys.exit(0 if not failures else 1)


if __name__ == "__main__":
    main()
