#!/usr/bin/env python3
"""Streams a large Prometheus scrape through Edge and reports Edge's peak RSS.

A generated exposition (default 256 MiB, text format 0.0.4) is served on
127.0.0.1 without being held in memory; Edge is started with a drop policy
and the scrape path pointed at it; the script scrapes Edge once, counting
bytes, then prints bytes in/out and Edge's peak resident set size (VmHWM
from /proc/PID/status).

Usage:
  benches/load/prom_scrape_rss.py [--binary target/release/edge] [--mib 256]
                                  [--limit-mib 64] [--openmetrics]

Exit status 1 when the peak RSS is above --limit-mib. Everything binds
127.0.0.1 and is stopped at the end.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))

POLICIES = {
    "policies": [
        {"id": "drop-debug", "name": "drop debug families",
         "metric": {"match": [{"metric_field": "name", "starts_with": "debug_"}], "keep": False}},
        {"id": "drop-dev", "name": "drop dev series",
         "metric": {"match": [{"datapoint_attribute": ["env"], "exact": "dev"}], "keep": False}},
    ]
}


def family_block(i: int) -> bytes:
    """One block of four families (about 1.6 KiB); half of it is dropped."""
    lines = [
        f"# HELP app_requests_{i} Requests handled by handler {i}.",
        f"# TYPE app_requests_{i} counter",
    ]
    for env in ("prod", "dev"):
        for code in ("200", "404", "500"):
            lines.append(f'app_requests_{i}{{env="{env}",code="{code}",path="/api/v1/items/{i}"}} {i * 7 + 3}')
    lines += [
        f"# HELP debug_buffer_{i} Debug buffer fill level.",
        f"# TYPE debug_buffer_{i} gauge",
        f'debug_buffer_{i}{{shard="a"}} {i % 97}',
        f'debug_buffer_{i}{{shard="b"}} NaN',
        f"# HELP latency_seconds_{i} Latency.",
        f"# TYPE latency_seconds_{i} histogram",
    ]
    for env in ("prod", "dev"):
        for le in ("0.005", "0.05", "0.5", "5", "+Inf"):
            lines.append(f'latency_seconds_{i}_bucket{{env="{env}",le="{le}"}} {i}')
        lines.append(f'latency_seconds_{i}_sum{{env="{env}"}} {i * 0.5}')
        lines.append(f'latency_seconds_{i}_count{{env="{env}"}} {i}')
    lines.append(f'untyped_value_{i}{{msg="say \\"hi\\"",path="C:\\\\temp"}} -Inf')
    return ("\n".join(lines) + "\n").encode()


class Exposition(BaseHTTPRequestHandler):
    total = 0
    openmetrics = False
    served = 0

    def do_GET(self):  # noqa: N802
        self.send_response(200)
        ctype = ("application/openmetrics-text; version=1.0.0; charset=utf-8" if self.openmetrics
                 else "text/plain; version=0.0.4; charset=utf-8")
        self.send_header("Content-Type", ctype)
        self.send_header("Connection", "close")
        self.end_headers()
        sent, i, buf = 0, 0, []
        while sent < self.total:
            block = family_block(i)
            buf.append(block)
            sent += len(block)
            i += 1
            if len(buf) >= 256:
                self.wfile.write(b"".join(buf))
                buf.clear()
        if self.openmetrics:
            buf.append(b"# EOF\n")
            sent += 6
        self.wfile.write(b"".join(buf))
        type(self).served = sent

    def log_message(self, *args):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return -1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default=None, help="edge binary (default: release, else debug build)")
    ap.add_argument("--mib", type=int, default=256, help="size of the generated scrape")
    ap.add_argument("--limit-mib", type=int, default=64, help="peak RSS budget")
    ap.add_argument("--openmetrics", action="store_true")
    args = ap.parse_args()

    binary = Path(args.binary) if args.binary else next(
        (p for p in (TARGET / "release" / "edge", TARGET / "debug" / "edge") if p.exists()), None)
    if binary is None or not binary.exists():
        print("edge binary not found; build it with: cargo build --release -p edge", file=sys.stderr)
        return 2

    Exposition.total = args.mib * 1024 * 1024
    Exposition.openmetrics = args.openmetrics
    target = ThreadingHTTPServer(("127.0.0.1", 0), Exposition)
    threading.Thread(target=target.serve_forever, daemon=True).start()
    target_url = f"http://127.0.0.1:{target.server_address[1]}/metrics"

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "policies.json").write_text(json.dumps(POLICIES))
        port = free_port()
        cfg = {
            "listen_address": "127.0.0.1",
            "listen_port": port,
            "upstream_url": "http://127.0.0.1:9",
            "log_level": "warn",
            "policy_providers": [{"id": "bench", "type": "file", "path": str(tmp / "policies.json")}],
            "prometheus": {
                "path": "/metrics",
                "target_url": target_url,
                "max_input_bytes_per_scrape": 4 * Exposition.total,
                "max_output_bytes_per_scrape": 4 * Exposition.total,
            },
        }
        (tmp / "edge.json").write_text(json.dumps(cfg))
        log = open(tmp / "edge.log", "w")
        edge = subprocess.Popen([str(binary), str(tmp / "edge.json")], stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 20
            while True:
                try:
                    with urllib.request.urlopen(base + "/_edge/health", timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    if time.monotonic() > deadline or edge.poll() is not None:
                        print("edge did not start:\n" + (tmp / "edge.log").read_text()[-2000:], file=sys.stderr)
                        return 2
                    time.sleep(0.1)
            time.sleep(0.5)  # let the file provider load the policies
            rss_idle = status_kib(edge.pid, "VmRSS")
            start = time.monotonic()
            out_bytes, eof = 0, b""
            with urllib.request.urlopen(base + "/metrics", timeout=600) as resp:
                while True:
                    chunk = resp.read(1 << 16)
                    if not chunk:
                        break
                    out_bytes += len(chunk)
                    eof = (eof + chunk)[-6:]
            elapsed = time.monotonic() - start
            hwm = status_kib(edge.pid, "VmHWM")
        finally:
            edge.terminate()
            try:
                edge.wait(timeout=15)
            except subprocess.TimeoutExpired:
                edge.kill()
            log.close()
            target.shutdown()
            target.server_close()

    in_bytes = Exposition.served
    print(f"binary:          {binary}")
    print(f"format:          {'openmetrics' if args.openmetrics else 'text 0.0.4'}")
    print(f"bytes in:        {in_bytes} ({in_bytes / 2**20:.1f} MiB)")
    print(f"bytes out:       {out_bytes} ({out_bytes / 2**20:.1f} MiB, {100 * out_bytes / max(in_bytes, 1):.1f}%)")
    print(f"elapsed:         {elapsed:.2f} s ({in_bytes / 2**20 / max(elapsed, 1e-9):.1f} MiB/s)")
    print(f"edge RSS idle:   {rss_idle / 1024:.1f} MiB")
    print(f"edge peak RSS:   {hwm / 1024:.1f} MiB (VmHWM)")
    ok = 0 < hwm <= args.limit_mib * 1024 and out_bytes > 0
    print(f"result:          {'PASS' if ok else 'FAIL'} (budget {args.limit_mib} MiB)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
