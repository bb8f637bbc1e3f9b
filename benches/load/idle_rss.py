#!/usr/bin/env python3
"""What an idle Edge process keeps resident, from /proc/PID/smaps.

Starts the release `edge` binary with each configuration (the load
benchmark's passthrough and 100-policy configs, and the example Datadog
config), waits, and prints RSS split into the binary's segments, shared
libraries, heap and malloc arenas, thread stacks and other anonymous memory.
Optionally sends a burst of requests first and measures again after the
process went quiet (what stays resident after traffic).

    python3 benches/load/idle_rss.py                   # release binary
    python3 benches/load/idle_rss.py --binary ./edge --runs 5 --after-load

Every process binds 127.0.0.1 and is stopped by the script (servers started
here also exit by themselves after --max-seconds).
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (the load benchmark's helpers)


def smaps(pid, binary):
    """Rss per category in kB."""
    cats = {}
    binary = str(Path(binary).resolve())
    threads = {int(t.name) for t in Path(f"/proc/{pid}/task").iterdir() if t.name.isdigit()}
    cur = None
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            parts = line.split(None, 5)
            name = parts[5].strip() if len(parts) > 5 else ""
            perms = parts[1]
            start = int(parts[0].split("-")[0], 16)
            size_kb = None
            cur = [name, perms, size_kb, start]
            continue
        key, _, value = line.partition(":")
        if key == "Size":
            cur[2] = int(value.split()[0])
        if key != "Rss":
            continue
        rss = int(value.split()[0])
        name, perms, size_kb, start = cur
        if name == binary:
            cat = {"r-xp": "binary code", "r--p": "binary read-only (rodata, relocations, relro)",
                   "rw-p": "binary data"}.get(perms, "binary other")
            # The relro segment is the second read-only mapping.
            if perms == "r--p" and cats.get("_seen_ro"):
                cat = "binary relro (.data.rel.ro, GOT)"
            if perms == "r--p":
                cats["_seen_ro"] = 1
        elif name.startswith("/"):
            cat = "shared libraries"
        elif name == "[heap]":
            cat = "heap (main arena)"
        elif name == "[stack]":
            cat = "main thread stack"
        elif name.startswith("["):
            cat = "other"
        elif start % (64 << 20) == 0:
            # glibc's non-main arenas are 64 MiB-aligned heaps.
            cat = "malloc arenas"
        elif size_kb in (2048, 8192):
            cat = "thread stacks"
        else:
            cat = "other anonymous (large allocations, TLS)"
        cats[cat] = cats.get(cat, 0) + rss
    cats.pop("_seen_ro", None)
    cats["threads"] = len(threads)
    return cats


def status(pid, key):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", type=Path, default=run.BIN / "edge")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--wait", type=float, default=5.0, help="seconds after start before reading")
    ap.add_argument("--after-load", action="store_true",
                    help="also send 1 MB gzip bodies for 3 s, wait --wait seconds, read again")
    ap.add_argument("--max-seconds", type=int, default=600)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="edge-idle-"))
    payloads = work / "payloads"
    subprocess.run([str(run.BIN / "edge-payload"), "--out", str(payloads), "--policies", "100"],
                   check=True, capture_output=True)
    sink_port = run.free_port()
    sink = run.Proc([str(run.BIN / "edge-sink"), "--listen", f"127.0.0.1:{sink_port}",
                     "--max-seconds", str(args.max_seconds)], sink_port, work / "sink.log")
    example = (run.ROOT / "examples/configs/datadog-local.yaml").read_text()
    rows = []
    try:
        for name, policies in [("passthrough (run.py)", "policies-empty.json"),
                               ("100 policies (run.py)", "policies.json"),
                               ("example datadog-local.yaml", None)]:
            for i in range(args.runs):
                port, admin = run.free_port(), run.free_port()
                if policies:
                    cfg = run.edge_config(work, f"c{i}", port, admin, sink_port, payloads / policies)
                else:
                    cfg = work / "example.yaml"
                    cfg.write_text(
                        example.replace("listen_port: 8126", f"listen_port: {port}")
                        .replace("127.0.0.1:8127", f"127.0.0.1:{admin}")
                        .replace("http://127.0.0.1:9000", f"http://127.0.0.1:{sink_port}")
                        .replace("path: examples/", f"path: {run.ROOT}/examples/")
                    )
                p = run.Proc([str(args.binary), "--config", str(cfg)], port, work / f"edge{i}.log")
                try:
                    time.sleep(args.wait)
                    row = {"config": name, "phase": "idle", "rss": status(p.pid, "VmRSS")} | smaps(p.pid, args.binary)
                    rows.append(row)
                    if args.after_load:
                        sc = next(s for s in run.SCENARIOS if s[0] == "datadog 0.9 MB gzip")
                        largs = argparse.Namespace(connections=20, duration=3.0, warmup=0.2, load_threads=1)
                        run.load(port, sc, payloads, largs)
                        peak = status(p.pid, "VmRSS")
                        time.sleep(args.wait)
                        row = {"config": name, "phase": f"after load (peak {peak / 1024:.0f} MB)",
                               "rss": status(p.pid, "VmRSS")} | smaps(p.pid, args.binary)
                        rows.append(row)
                finally:
                    p.stop()
    finally:
        sink.stop()
        shutil.rmtree(work, ignore_errors=True)

    keys = []
    for r in rows:
        for k in r:
            if k not in ("config", "phase", "rss", "threads") and k not in keys:
                keys.append(k)
    print("| config | phase | RSS MB | threads | " + " | ".join(keys) + " |")
    print("| --- | --- | ---: | ---: | " + " | ".join("---:" for _ in keys) + " |")
    for r in rows:
        cells = " | ".join(f"{r.get(k, 0) / 1024:.2f}" for k in keys)
        print(f"| {r['config']} | {r['phase']} | {r['rss'] / 1024:.2f} | {r['threads']} | {cells} |")


if __name__ == "__main__":
    main()
