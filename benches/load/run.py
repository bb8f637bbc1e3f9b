#!/usr/bin/env python3
"""Loopback load benchmark for Edge.

Builds the release binaries, generates payloads and a 100-policy file,
starts a fast sink, a plain byte-forwarding proxy and Edge (passthrough and
with policies), drives each scenario with `edge-load` and prints a markdown
table with ratios against sending straight to the sink.

    python3 benches/load/run.py            # full run (~5 minutes)
    python3 benches/load/run.py --quick    # smoke run (~1 minute)
    python3 benches/load/run.py --nginx    # issue 7's way: nginx sink, oha (or wrk)

With --nginx the sink is nginx (own temporary prefix and config, answers 202),
a second nginx configured as a plain reverse proxy is measured as a reference,
and the load generator is `oha` (or `wrk` when oha is not installed, or with
--generator wrk); only the small-request scenarios run unless --only says
otherwise.

Every server binds 127.0.0.1 and exits by itself after --max-seconds.
"""

import argparse
import gzip
import json
import shutil
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", "/work/target"))
BIN = TARGET / "release"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

DD = ["content-type: application/json", "dd-api-key: bench-key"]
OJ = ["content-type: application/json"]
OP = ["content-type: application/x-protobuf"]
GZ = ["content-encoding: gzip"]
# name, path, payload file, headers
SCENARIOS = [
    ("datadog small", "/api/v2/logs", "dd-small.json", DD),
    ("datadog large", "/api/v2/logs", "dd-large.json", DD),
    ("datadog 0.9 MB gzip", "/api/v2/logs", "dd-1mb.json.gz", DD + GZ),
    ("otlp json small", "/v1/logs", "otlp-small.json", OJ),
    ("otlp json large", "/v1/logs", "otlp-large.json", OJ),
    ("otlp json 1 MB gzip", "/v1/logs", "otlp-1mb.json.gz", OJ + GZ),
    ("otlp proto small", "/v1/logs", "otlp-small.pb", OP),
    ("otlp proto large", "/v1/logs", "otlp-large.pb", OP),
    ("otlp proto 1 MB gzip", "/v1/logs", "otlp-1mb.pb.gz", OP + GZ),
]
UNVERIFIED = "edge passthrough, unverified"
QUICK = ["datadog small", "datadog 0.9 MB gzip", "otlp proto small"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout=15.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"port {port} did not open")


def build():
    env = dict(os.environ, CARGO_TARGET_DIR=str(TARGET))
    subprocess.run(
        ["cargo", "build", "--release", "-p", "edge", "-p", "edge-loadgen"],
        cwd=ROOT, env=env, check=True,
    )


class Proc:
    """A server process; `pid` is the server itself (not a wrapper)."""

    def __init__(self, argv, port, log):
        self.log = open(log, "w")
        self.p = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        self.pid = self.p.pid
        wait_port(port, self.p)

    def status(self, key):
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
        return 0

    def cpu_seconds(self):
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def reset_peak(self):
        try:
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
        except OSError:
            pass

    def stop(self):
        self.p.terminate()
        try:
            self.p.wait(10)
        except subprocess.TimeoutExpired:
            self.p.kill()
        self.log.close()


def edge_config(work, name, port, admin, sink_port, policies, verify_unfiltered=True):
    path = work / f"{name}.yaml"
    otlp = "" if verify_unfiltered else "otlp:\n  verify_unfiltered: false\n"
    path.write_text(
        f"""listen_address: 127.0.0.1
listen_port: {port}
admin_listen_address: 127.0.0.1:{admin}
upstream_url: http://127.0.0.1:{sink_port}
log_level: warn
max_body_size: 10485760
max_decoded_bytes: 67108864
policy_providers:
  - id: bench
    type: file
    path: {policies}
{otlp}"""
    )
    return path


def load(port, scenario, payloads, args, connections=None, duration=None):
    generator = getattr(args, "generator", "edge-load")
    if generator == "oha":
        return load_oha(port, scenario, payloads, args, connections, duration)
    if generator == "wrk":
        return load_wrk(port, scenario, payloads, args, connections, duration)
    return load_edge_load(port, scenario, payloads, args, connections, duration)


def payload_size(file):
    """Uncompressed payload bytes of one request body."""
    data = file.read_bytes()
    return len(gzip.decompress(data)) if file.suffix == ".gz" else len(data)


def load_oha(port, scenario, payloads, args, connections, duration):
    """One `oha` run (after a discarded warm-up run), as edge-load's report."""
    _, path, file, headers = scenario
    url = f"http://127.0.0.1:{port}{path}"

    def once(seconds):
        argv = [args.oha, "-z", f"{seconds}s", "-c", str(connections or args.connections),
                "-m", "POST", "-D", str(payloads / file), "--no-tui", "--output-format", "json"]
        for h in headers:
            argv += ["-H", h]
        out = subprocess.run(argv + [url], check=True, capture_output=True, text=True)
        return json.loads(out.stdout)

    if args.warmup > 0:
        once(args.warmup)
    d = once(duration or args.duration)
    statuses = d.get("statusCodeDistribution") or {}
    ok = sum(n for code, n in statuses.items() if code.startswith("2"))
    errors = sum(n for code, n in statuses.items() if not code.startswith("2"))
    # Requests cut off by the end of the run are not errors.
    errors += sum(n for e, n in (d.get("errorDistribution") or {}).items() if "deadline" not in e)
    seconds = d["summary"]["total"]
    rps = ok / seconds if seconds else 0.0
    pct = d.get("latencyPercentiles") or {}
    return {
        "rps": rps,
        "payload_mb_per_s": rps * payload_size(payloads / file) / 1e6,
        "p50_ms": (pct.get("p50") or 0) * 1000,
        "p99_ms": (pct.get("p99") or 0) * 1000,
        "errors": errors,
        "generator": "oha",
    }


WRK_SCRIPT = """wrk.method = "POST"
local f = assert(io.open(os.getenv("EDGE_BENCH_BODY"), "rb"))
wrk.body = f:read("*a")
f:close()
for line in string.gmatch(os.getenv("EDGE_BENCH_HEADERS"), "[^\\n]+") do
  local k, v = string.match(line, "^([^:]+):%s*(.*)$")
  wrk.headers[k] = v
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def load_wrk(port, scenario, payloads, args, connections, duration):
    """One `wrk` run (after a discarded warm-up run), as edge-load's report."""
    _, path, file, headers = scenario
    script = payloads / "wrk-post.lua"
    if not script.exists():
        script.write_text(WRK_SCRIPT)
    env = dict(os.environ, EDGE_BENCH_BODY=str(payloads / file), EDGE_BENCH_HEADERS="\n".join(headers))
    conns = connections or args.connections

    def once(seconds):
        argv = [args.wrk, "-t", "1", "-c", str(conns), "-d", f"{max(1, round(seconds))}s",
                "-s", str(script), f"http://127.0.0.1:{port}{path}"]
        out = subprocess.run(argv, check=True, capture_output=True, text=True, env=env)
        return json.loads(out.stdout.strip().splitlines()[-1])

    if args.warmup > 0:
        once(args.warmup)
    d = once(duration or args.duration)
    seconds = d["duration_us"] / 1e6
    rps = (d["requests"] - d["errors"]) / seconds if seconds else 0.0
    return {
        "rps": rps,
        "payload_mb_per_s": rps * payload_size(payloads / file) / 1e6,
        "p50_ms": d["p50_us"] / 1000,
        "p99_ms": d["p99_us"] / 1000,
        "errors": d["errors"],
        "generator": "wrk",
    }


NGINX_CONF = """daemon off;
master_process off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  default_type application/json;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  client_max_body_size 64m;
  client_body_buffer_size 2m;
  keepalive_requests 100000000;
  keepalive_timeout 75s;
{body}
}}
"""

# The sink: 202 `{{}}` to everything.
SINK_BODY = """  server {{
    listen 127.0.0.1:{port};
    location / {{ return 202 '{{}}'; }}
  }}"""

# A plain reverse proxy to the sink with a keep-alive upstream pool.
PROXY_BODY = """  upstream sink {{
    server 127.0.0.1:{sink_port};
    keepalive 128;
    keepalive_requests 100000000;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://sink;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }}
  }}"""


def nginx(work, name, port, body, args):
    """One nginx process (one worker) with its own prefix under `work`;
    `timeout` stops it after --max-seconds (and passes SIGTERM on). The
    returned pid is nginx's own, not the wrapper's."""
    prefix = work / name
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=prefix, body=body))
    argv = ["timeout", str(args.max_seconds), args.nginx_binary,
            "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    proc = Proc(argv, port, work / f"{name}.log")
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    if children:
        proc.pid = int(children[0])
    return proc


def nginx_sink(work, port, args):
    """nginx answering 202 `{}` to everything."""
    return nginx(work, "nginx", port, SINK_BODY.format(port=port), args)


def nginx_proxy(work, port, sink_port, args):
    """nginx as a plain reverse proxy: the reference for what a mature C
    proxy costs on the same cores."""
    return nginx(work, "nginx-proxy", port, PROXY_BODY.format(port=port, sink_port=sink_port), args)


def load_edge_load(port, scenario, payloads, args, connections=None, duration=None):
    _, path, file, headers = scenario
    argv = [
        str(BIN / "edge-load"),
        "--url", f"http://127.0.0.1:{port}{path}",
        "--body", str(payloads / file),
        "--connections", str(connections or args.connections),
        "--duration", str(duration or args.duration),
        "--warmup", str(args.warmup),
        "--threads", str(args.load_threads),
    ]
    for h in headers:
        argv += ["--header", h]
    out = subprocess.run(argv, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def fmt_rate(x):
    return f"{x / 1000:.1f}k" if x >= 10000 else f"{x:.0f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="three scenarios, 2 s each")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--duration", type=float, default=5.0)
    ap.add_argument("--warmup", type=float, default=1.0)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--load-threads", type=int, default=1)
    ap.add_argument("--policies", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=1,
                    help="measure every target this many times, alternating; report the median ratio")
    ap.add_argument("--only", action="append", help="scenario name substring (repeatable)")
    ap.add_argument("--max-seconds", type=int, default=1800, help="lifetime of every server")
    ap.add_argument("--json", type=Path, help="also write raw results here")
    ap.add_argument("--nginx", action="store_true",
                    help="issue 7's setup: nginx (202) as the sink, oha (or wrk) as the generator; small scenarios")
    ap.add_argument("--generator", choices=["auto", "edge-load", "oha", "wrk"], default="auto",
                    help="load generator (auto: edge-load, or with --nginx oha if installed else wrk)")
    ap.add_argument("--oha", default=shutil.which("oha") or str(Path.home() / ".cargo/bin/oha"))
    ap.add_argument("--wrk", default=shutil.which("wrk") or "wrk")
    ap.add_argument("--nginx-binary", default=shutil.which("nginx") or "/usr/sbin/nginx")
    ap.add_argument("--edge-binary", type=Path, default=None, help="Edge binary to measure (default: the release build)")
    args = ap.parse_args()
    if args.generator == "auto":
        args.generator = "edge-load"
        if args.nginx:
            args.generator = "oha" if Path(args.oha).is_file() else "wrk"
    if args.nginx and not args.only:
        args.only = ["small"]
    if args.quick:
        args.duration = min(args.duration, 2.0)
        args.warmup = min(args.warmup, 0.5)
    if not args.no_build:
        build()

    scenarios = [s for s in SCENARIOS if not args.quick or s[0] in QUICK]
    if args.only:
        scenarios = [s for s in scenarios if any(o in s[0] for o in args.only)]

    work = Path(tempfile.mkdtemp(prefix="edge-load-"))
    payloads = work / "payloads"
    subprocess.run(
        [str(BIN / "edge-payload"), "--out", str(payloads), "--policies", str(args.policies)],
        check=True, capture_output=True,
    )
    life = ["--max-seconds", str(args.max_seconds)]
    sink_port, plain_port = free_port(), free_port()
    procs = []
    results = {}
    rss = {}
    try:
        if args.nginx:
            sink = nginx_sink(work, sink_port, args)
        else:
            sink = Proc([str(BIN / "edge-sink"), "--listen", f"127.0.0.1:{sink_port}"] + life, sink_port,
                        work / "sink.log")
        procs.append(sink)
        plain = Proc(
            [str(BIN / "plain-proxy"), "--listen", f"127.0.0.1:{plain_port}", "--upstream", f"127.0.0.1:{sink_port}"] + life,
            plain_port, work / "plain.log",
        )
        procs.append(plain)
        targets = [("direct", sink_port, None), ("plain proxy", plain_port, plain)]
        if args.nginx:
            nginx_port = free_port()
            nproxy = nginx_proxy(work, nginx_port, sink_port, args)
            procs.append(nproxy)
            targets.append(("nginx proxy", nginx_port, nproxy))
            # The ceiling: Content-Length framing and four socket calls per
            # request, nothing else (see relay-proxy.rs).
            relay_port = free_port()
            relay = Proc(
                [str(BIN / "relay-proxy"), "--listen", f"127.0.0.1:{relay_port}",
                 "--upstream", f"127.0.0.1:{sink_port}"] + life,
                relay_port, work / "relay.log",
            )
            procs.append(relay)
            targets.append(("relay", relay_port, relay))
        edges = [("edge passthrough", "policies-empty.json", True),
                 (f"edge {args.policies} policies", "policies.json", True)]
        if any(sc[0].startswith("otlp") for sc in scenarios):
            # `otlp.verify_unfiltered: false`: OTLP bodies of a signal without
            # policies are forwarded without being decompressed or checked.
            edges.insert(1, (UNVERIFIED, "policies-empty.json", False))
        for name, pol, verify in edges:
            port, admin = free_port(), free_port()
            cfg = edge_config(work, name.replace(" ", "-").replace(",", ""), port, admin, sink_port,
                              payloads / pol, verify)
            # `timeout` would hide the pid; Edge is stopped in `finally`.
            p = Proc([str(args.edge_binary or BIN / "edge"), "--config", str(cfg)], port, work / f"{name}.log")
            procs.append(p)
            time.sleep(1.0)
            rss[name] = {"idle_rss": p.status("VmRSS")}
            targets.append((name, port, p))

        for sc in scenarios:
            runs = {}
            for _ in range(args.rounds):
                for tname, port, proc in targets:
                    if tname == UNVERIFIED and not sc[0].startswith("otlp"):
                        continue
                    cpu0 = 0.0
                    if proc:
                        proc.reset_peak()
                        cpu0 = proc.cpu_seconds()
                    r = load(port, sc, payloads, args)
                    if proc:
                        total_s = args.duration + args.warmup
                        cpu = proc.cpu_seconds() - cpu0
                        # Payload bytes over warm-up and measurement together.
                        gb = r["payload_mb_per_s"] * total_s / 1000.0
                        r["cpu_s_per_gb"] = cpu / gb if gb > 0 else None
                        r["peak_rss"] = proc.status("VmHWM")
                    if sc[0].endswith("small"):
                        r["light"] = load(port, sc, payloads, args, connections=1,
                                          duration=max(1.0, args.duration / 2))
                    # Against the direct run of the same round.
                    direct = r["rps"] if tname == "direct" else runs["direct"][-1]["rps"]
                    r["ratio"] = r["rps"] / direct if direct else 0.0
                    runs.setdefault(tname, []).append(r)
                    print(f"{sc[0]:24} {tname:20} {fmt_rate(r['rps']):>8} req/s "
                          f"{r['payload_mb_per_s']:8.1f} MB/s p50 {r['p50_ms']:.2f} ms p99 {r['p99_ms']:.2f} ms "
                          f"ratio {r['ratio']:.2f} errors {r['errors']}", file=sys.stderr)
            for tname, rs in runs.items():
                # The round with the median ratio stands for the target.
                rs = sorted(rs, key=lambda r: r["ratio"])
                results[(sc[0], tname)] = rs[len(rs) // 2] | {"ratios": [r["ratio"] for r in rs]}
        for name in rss:
            p = next(t[2] for t in targets if t[0] == name)
            rss[name]["after_rss"] = p.status("VmRSS")
    finally:
        for p in reversed(procs):
            p.stop()
        if args.nginx:
            # Payloads and logs: the disk is shared, nginx's mode leaves nothing.
            shutil.rmtree(work, ignore_errors=True)

    tnames = [t[0] for t in targets]
    sink_name = "nginx" if args.nginx else "edge-sink"
    print(f"sink: {sink_name}, load generator: {args.generator}, {args.connections} connections, "
          f"{args.duration:g} s per scenario after {args.warmup:g} s warm-up")
    print()
    print("| scenario | target | req/s | MB/s (payload) | vs direct | p50 ms | p99 ms | p99 added ms @1 conn | CPU s/GB | peak RSS MB |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for sc in scenarios:
        base = results[(sc[0], "direct")]
        for t in tnames:
            if (sc[0], t) not in results:
                continue
            r = results[(sc[0], t)]
            ratio = r["ratio"]
            added = ""
            if "light" in r and t != "direct":
                added = f"{r['light']['p99_ms'] - base['light']['p99_ms']:.2f}"
            cpu = f"{r['cpu_s_per_gb']:.1f}" if r.get("cpu_s_per_gb") else ""
            peak = f"{r['peak_rss'] / 1e6:.1f}" if r.get("peak_rss") else ""
            errs = f" ({r['errors']} errors)" if r["errors"] else ""
            print(f"| {sc[0]} | {t} | {fmt_rate(r['rps'])}{errs} | {r['payload_mb_per_s']:.1f} | {ratio:.2f} | "
                  f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {added} | {cpu} | {peak} |")
    print()
    for name, v in rss.items():
        print(f"- {name}: idle RSS {v['idle_rss'] / 1e6:.1f} MB, RSS after the run {v['after_rss'] / 1e6:.1f} MB")
    # Passthrough vs plain proxy.
    for sc in scenarios:
        pp = results[(sc[0], "plain proxy")]["rps"]
        ep = results[(sc[0], "edge passthrough")]["rps"]
        if pp:
            print(f"- {sc[0]}: edge passthrough / plain proxy = {ep / pp:.2f}")
            if (sc[0], UNVERIFIED) in results:
                eu = results[(sc[0], UNVERIFIED)]["rps"]
                print(f"- {sc[0]}: {UNVERIFIED} / plain proxy = {eu / pp:.2f}")
    if args.rounds > 1:
        print(f"- {args.rounds} rounds; the row of each target is its round with the median ratio; all ratios:")
        for sc in scenarios:
            for t in tnames:
                if (sc[0], t) in results and t != "direct":
                    rs = ", ".join(f"{x:.2f}" for x in results[(sc[0], t)]["ratios"])
                    print(f"  - {sc[0]}, {t}: {rs}")
    # Edge with policies vs a mature C reverse proxy without any.
    for sc in scenarios:
        if (sc[0], "nginx proxy") in results:
            n = results[(sc[0], "nginx proxy")]["rps"]
            e = results.get((sc[0], f"edge {args.policies} policies"), {}).get("rps", 0)
            if n:
                print(f"- {sc[0]}: edge {args.policies} policies / nginx proxy = {e / n:.2f}")
        if (sc[0], "relay") in results:
            c = results[(sc[0], "relay")]["rps"]
            e = results.get((sc[0], f"edge {args.policies} policies"), {}).get("rps", 0)
            if c:
                print(f"- {sc[0]}: edge {args.policies} policies / relay = {e / c:.2f}")
    if args.json:
        args.json.write_text(json.dumps({f"{k[0]} | {k[1]}": v for k, v in results.items()} | {"rss": rss}, indent=1))


if __name__ == "__main__":
    main()
