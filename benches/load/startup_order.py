#!/usr/bin/env python3
"""Regenerates bins/edge/startup-order.ld: the functions an idle Edge runs.

Runs the release `edge` under valgrind's callgrind with the load benchmark's
passthrough and 100-policy configurations and with the example Datadog
config (start, a few seconds idle, SIGTERM), collects every function of the
binary that executed, and writes a linker script that places those functions
first, packed together, in a `.text.edge_warm` output section in front of
`.text` (bins/edge/build.rs passes it to lld).

Why: the kernel maps the cached pages around every code fault (64 KB
fault-around), so the few hundred KB of functions that start-up and the idle
loop run, scattered over 12 MB of `.text`, kept 5.5 MB of code resident
(README, Performance). Packed, they fill a few hundred pages.

The script matches input sections by name with the symbol hash replaced by
`*` (`17h<hash>E` of legacy-mangled Rust names, `.llvm.<n>` suffixes of
ThinLTO), so it keeps working when unrelated code changes: a function that is
renamed or new is simply placed in `.text` as before (no error, a little more
idle RSS). Cold (`#[cold]`) functions sit in `.text.unlikely.<name>` and are
matched too. Regenerate after larger changes of the start-up path:

    cargo build --release -p edge -p edge-loadgen
    python3 benches/load/startup_order.py          # rewrites bins/edge/startup-order.ld
    cargo build --release -p edge                   # relinks with it

Servers bind 127.0.0.1 and are stopped by the script.
"""

import argparse
import bisect
import collections
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (the load benchmark's helpers)

OUT = run.ROOT / "bins/edge/startup-order.ld"


def executed_addresses(callgrind_out, binary_name):
    """Instruction addresses of `binary_name` that ran, per callgrind."""
    addrs, ob, fn, first = set(), None, None, {}
    with open(callgrind_out, errors="replace") as f:
        for line in f:
            if line.startswith("ob="):
                ob = line[3:].strip()
            elif line.startswith("fn="):
                fn = line[3:].strip()
            elif line.startswith("0x") and ob and Path(ob).name == binary_name:
                a = int(line.split()[0], 16)
                addrs.add(a)
                first.setdefault(fn, a)
    return addrs, first


def function_symbols(binary):
    """(start, size, [names]) of every function symbol, sorted by address."""
    out = subprocess.run(["nm", "--defined-only", "-S", str(binary)],
                         capture_output=True, text=True, check=True).stdout
    by_addr = collections.defaultdict(lambda: [0, []])
    for line in out.splitlines():
        p = line.split(None, 3)
        if len(p) == 4 and p[2] in "tTwW":
            a = int(p[0], 16)
            by_addr[a][0] = max(by_addr[a][0], int(p[1], 16))
            by_addr[a][1].append(p[3])
    return sorted((a, s, n) for a, (s, n) in by_addr.items())


def pattern(name):
    """The section-name glob for a symbol: its hash and LTO suffix wildcarded."""
    p = re.sub(r"17h[0-9a-f]{16}E", "17h*E", name)
    p = re.sub(r"\.llvm\.\d+$", "", p)
    if p.startswith(("_ZN", "_R")):
        p += "*"
    return p


def profile(binary, config, idle, work, tag, max_wait=600):
    """Runs `binary` under callgrind until it logged that it listens and that
    its policy file loaded, then `idle` seconds more; returns the output file."""
    out = work / f"callgrind.{tag}.out"
    log_path = work / f"{tag}.log"
    cmd = ["valgrind", "--tool=callgrind", "--dump-instr=yes", "--compress-pos=no",
           "--compress-strings=no", f"--callgrind-out-file={out}", str(binary), "--config", str(config)]
    with open(log_path, "w") as log:
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + max_wait
            while time.monotonic() < deadline:
                text = log_path.read_text(errors="replace")
                if '"listening"' in text and "loaded policy file" in text:
                    break
                if p.poll() is not None:
                    sys.exit(f"{tag}: edge exited early, see its log:\n{text[-2000:]}")
                time.sleep(1)
            else:
                sys.exit(f"{tag}: edge did not start within {max_wait} s under valgrind")
            time.sleep(idle)
        finally:
            p.terminate()
            p.wait(timeout=300)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", type=Path, default=run.BIN / "edge")
    ap.add_argument("--idle", type=float, default=8.0,
                    help="seconds idle under valgrind after start-up, per configuration")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("valgrind is needed")

    work = Path(tempfile.mkdtemp(prefix="edge-order-"))
    try:
        payloads = work / "payloads"
        subprocess.run([str(run.BIN / "edge-payload"), "--out", str(payloads), "--policies", "100"],
                       check=True, capture_output=True)
        sink_port = run.free_port()  # nothing listens: idle, no request is sent
        example = (run.ROOT / "examples/configs/datadog-local.yaml").read_text()
        configs = []
        for tag, policies in [("passthrough", "policies-empty.json"), ("policies", "policies.json")]:
            cfg = run.edge_config(work, tag, run.free_port(), run.free_port(), sink_port, payloads / policies)
            # `info` logs the lines profile() waits for (the benchmark uses `warn`).
            cfg.write_text(cfg.read_text().replace("log_level: warn", "log_level: info"))
            configs.append((tag, cfg))
        ex = work / "example.yaml"
        ex.write_text(example.replace("listen_port: 8126", f"listen_port: {run.free_port()}")
                      .replace("127.0.0.1:8127", f"127.0.0.1:{run.free_port()}")
                      .replace("http://127.0.0.1:9000", f"http://127.0.0.1:{sink_port}")
                      .replace("path: examples/", f"path: {run.ROOT}/examples/"))
        configs.append(("example", ex))

        syms = function_symbols(args.binary)
        starts = [s[0] for s in syms]
        order, seen = [], set()
        for tag, cfg in configs:
            out = profile(args.binary, cfg, args.idle, work, tag)
            addrs, first = executed_addresses(out, args.binary.name)
            # The executable's load address under valgrind, from `main`.
            base = first["main"] - next(a for a, _, names in syms if "main" in names)
            hit = set()
            for a in addrs:
                va = a - base
                i = bisect.bisect_right(starts, va) - 1
                if i >= 0 and syms[i][0] + max(syms[i][1], 1) > va:
                    hit.add(i)
            # Address order of this build keeps related functions together.
            for i in sorted(hit):
                for name in syms[i][2]:
                    p = pattern(name)
                    if p not in seen:
                        seen.add(p)
                        order.append(p)
            print(f"{tag}: {len(hit)} functions", file=sys.stderr)

        lines = [
            "/* Generated by benches/load/startup_order.py: the functions an idle Edge runs",
            "   (start-up and idle loop; passthrough, 100 policies, example config), packed",
            "   in front of .text so that they share few pages. Regenerate after larger",
            "   changes of the start-up path; stale names only cost memory. */",
            "SECTIONS",
            "{",
            "  .text.edge_warm : {",
        ]
        # C and C++ static constructors (Vectorscan, libstdc++) all run at start.
        lines += ["    *(.text.startup .text.startup.*)"]
        lines += [f"    *(.text.{p} .text.unlikely.{p})" for p in order]
        lines += ["  }", "}", "INSERT BEFORE .text;", ""]
        args.out.write_text("\n".join(lines))
        print(f"wrote {args.out}: {len(order)} patterns", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
