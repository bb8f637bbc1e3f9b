"""Fault injection, black box: the real Edge binaries between a client and
an upstream that misbehaves (harness sink with `--fail-status`/`--delay-ms`,
or the small raw-socket mock upstream below), and hostile clients.

Every test checks both sides: what the client was told, and what the
upstream received. The invariant throughout: no request is acknowledged
(2xx) whose records the upstream did not receive.

Everything listens on 127.0.0.1 and stops with the test.
"""

import gzip
import http.client
import json
import os
import re
import signal
import socket
import struct
import threading
import time
import uuid
import zlib
from pathlib import Path

import pytest

from conftest import http_get, require_harness, start_sink_process, stop_sink

DD = ("EDGE_DATADOG_BIN", "edge-datadog")
EDGE = ("EDGE_BIN", "edge")
LOGS = "/api/v2/logs"
NO_POLICIES = {"policies": []}
DROP_DEBUG = {
    "policies": [
        {
            "id": "drop-debug",
            "name": "drop debug logs",
            "log": {"match": [{"log_field": "severity_text", "exact": "debug"}], "keep": "none"},
        }
    ]
}
ID_RE = re.compile(rb"fault-[0-9a-f]{32}")
ACK = range(200, 300)


# ---------------------------------------------------------------------------
# Client side
# ---------------------------------------------------------------------------


def new_id() -> str:
    return f"fault-{uuid.uuid4().hex}"


def logs_body(*ids: str, status: str = "info") -> bytes:
    return json.dumps(
        [{"message": f"event {i}", "status": status, "service": "faults", "ddtags": f"id:{i}"} for i in ids]
    ).encode()


def otlp_logs_body(*ids: str) -> bytes:
    return json.dumps(
        {
            "resourceLogs": [
                {
                    "resource": {"attributes": []},
                    "scopeLogs": [
                        {"logRecords": [{"severityText": "INFO", "body": {"stringValue": f"event {i}"}} for i in ids]}
                    ],
                }
            ]
        }
    ).encode()


# (binary, path, body builder) of the routes the upstream-fault tests cover:
# Datadog logs through the Datadog distribution, OTLP/JSON logs through the
# full one.
ROUTES = {
    "datadog-logs": (DD, LOGS, logs_body),
    "otlp-logs": (EDGE, "/v1/logs", otlp_logs_body),
}


class Reply:
    """What the client saw: a status (None when the connection failed
    before a complete response), headers, body, elapsed seconds."""

    def __init__(self, status, headers, body, elapsed, error=None):
        self.status = status
        self.headers = headers
        self.body = body
        self.elapsed = elapsed
        self.error = error

    @property
    def acked(self) -> bool:
        return self.status in ACK

    def __repr__(self):
        return f"Reply(status={self.status}, elapsed={self.elapsed:.2f}s, error={self.error!r}, body={self.body[:200]!r})"


def post(url: str, body: bytes, path: str = LOGS, headers=None, timeout: float = 10.0) -> Reply:
    host, port = url.removeprefix("http://").split(":")
    hdrs = {"Content-Type": "application/json", "DD-API-KEY": "fault-test-key"}
    hdrs.update(headers or {})
    start = time.monotonic()
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        try:
            conn.request("POST", path, body=body, headers=hdrs)
        except OSError as exc:
            # The server may answer (413, 431) and close before the whole
            # request is sent: read what it said, if connected at all.
            if conn.sock is None:
                return Reply(None, {}, b"", time.monotonic() - start, exc)
        resp = conn.getresponse()
        data = resp.read()
        return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data, time.monotonic() - start)
    except (OSError, http.client.HTTPException) as exc:
        return Reply(None, {}, b"", time.monotonic() - start, exc)
    finally:
        conn.close()


def raw_exchange(port: int, chunks, pause: float = 0.0, read_timeout: float = 5.0):
    """Sends `chunks` over one raw socket (sleeping `pause` between them,
    stopping early if the server closes), then reads until close or
    timeout. Returns (bytes received, seconds from the first byte sent)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=read_timeout)
    start = time.monotonic()
    got = b""
    try:
        for i, chunk in enumerate(chunks):
            if i and pause:
                time.sleep(pause)
            try:
                s.sendall(chunk)
            except OSError:
                break
            # Stop sending once the server answered or closed.
            s.setblocking(False)
            try:
                more = s.recv(65536)
                got += more
                if not more or b"\r\n\r\n" in got:
                    break
            except BlockingIOError:
                pass
            except OSError:
                break
            finally:
                s.setblocking(True)
                s.settimeout(read_timeout)
        while True:
            try:
                more = s.recv(65536)
            except socket.timeout:
                break
            except OSError:
                break
            if not more:
                break
            got += more
    finally:
        s.close()
    return got, time.monotonic() - start


def status_of(raw: bytes):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", raw)
    return int(m.group(1)) if m else None


# ---------------------------------------------------------------------------
# Upstream side
# ---------------------------------------------------------------------------


def sink_ids(sink) -> set:
    """Ids of every record the harness sink stored (raw Datadog bodies)."""
    ids = set()
    for entry in sink.raw():
        ids.update(m.decode() for m in ID_RE.findall(entry["body"].encode()))
    return ids


class MockUpstream:
    """A raw-socket HTTP/1.1 upstream on 127.0.0.1 that reads each request
    completely, records its body, then does what `behaviour(conn)` does
    (which returns True to keep the connection for another request)."""

    def __init__(self, behaviour):
        self.behaviour = behaviour
        self.bodies = []
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def ids(self) -> set:
        with self.lock:
            return {m.decode() for b in self.bodies for m in ID_RE.findall(b)}

    def close(self):
        self.closed = True
        try:
            self.sock.close()
        except OSError:
            pass

    def _accept(self):
        while not self.closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        conn.settimeout(30)
        buf = b""
        try:
            while True:
                while b"\r\n\r\n" not in buf:
                    more = conn.recv(65536)
                    if not more:
                        return
                    buf += more
                head, buf = buf.split(b"\r\n\r\n", 1)
                headers = {}
                for line in head.split(b"\r\n")[1:]:
                    k, _, v = line.partition(b":")
                    headers[k.strip().lower()] = v.strip()
                if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
                    body = b""
                    while True:
                        while b"\r\n" not in buf:
                            buf += conn.recv(65536)
                        size_line, buf = buf.split(b"\r\n", 1)
                        size = int(size_line.split(b";")[0], 16)
                        while len(buf) < size + 2:
                            buf += conn.recv(65536)
                        body += buf[:size]
                        buf = buf[size + 2 :]
                        if size == 0:
                            break
                else:
                    n = int(headers.get(b"content-length", b"0"))
                    while len(buf) < n:
                        more = conn.recv(65536)
                        if not more:
                            return
                        buf += more
                    body, buf = buf[:n], buf[n:]
                if headers.get(b"content-encoding", b"").lower() == b"gzip":
                    body = gzip.decompress(body)
                elif headers.get(b"content-encoding", b"").lower() == b"deflate":
                    body = zlib.decompress(body)
                with self.lock:
                    self.bodies.append(body)
                if not self.behaviour(conn):
                    return
        except OSError:
            return
        finally:
            try:
                conn.close()
            except OSError:
                pass


def reset(conn):
    """Close with RST (SO_LINGER 0) instead of FIN."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()
    return False


def answer(status: int, headers=(), body: bytes = b"{}"):
    def behaviour(conn):
        head = f"HTTP/1.1 {status} X\r\nContent-Length: {len(body)}\r\nContent-Type: application/json\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers)
        conn.sendall(head.encode() + b"\r\n" + body)
        return True

    return behaviour


@pytest.fixture
def mock_upstream():
    made = []

    def make(behaviour):
        m = MockUpstream(behaviour)
        made.append(m)
        return m

    yield make
    for m in made:
        m.close()


def vm_hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


# ---------------------------------------------------------------------------
# Upstream faults
# ---------------------------------------------------------------------------


def test_upstream_refusing_connections_is_not_acknowledged(start_edge):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    edge = start_edge(*DD, NO_POLICIES, upstream_url=f"http://127.0.0.1:{dead}")
    r = post(edge.url, logs_body(new_id()))
    assert r.status in (502, 503), r
    assert r.elapsed < 5, r


def test_upstream_connect_timeout(start_edge):
    # A listener whose accept queue is full: further SYNs are dropped, so a
    # connect hangs (no refusal) until Edge's connect timeout.
    lst = socket.socket()
    lst.bind(("127.0.0.1", 0))
    lst.listen(0)
    port = lst.getsockname()[1]
    fillers = []
    try:
        for _ in range(2):
            f = socket.socket()
            f.settimeout(0.3)
            try:
                f.connect(("127.0.0.1", port))
            except OSError:
                pass
            fillers.append(f)
        edge = start_edge(
            *DD,
            NO_POLICIES,
            upstream_url=f"http://127.0.0.1:{port}",
            upstream_connect_timeout_ms=300,
            upstream_timeout_ms=8000,
        )
        r = post(edge.url, logs_body(new_id()))
        assert r.status in (502, 503, 504), r
        assert r.elapsed < 3, f"connect timeout not applied: {r}"
    finally:
        for f in fillers:
            f.close()
        lst.close()


def test_upstream_slower_than_timeout_is_504(make_sink, start_edge):
    slow = make_sink("--delay-ms", "3000")
    edge = start_edge(*DD, NO_POLICIES, upstream_url=slow.url, upstream_timeout_ms=500)
    r = post(edge.url, logs_body(new_id()))
    assert r.status == 504, r
    assert r.elapsed < 2.5, r


def test_upstream_slow_response_body_is_504(mock_upstream, start_edge):
    def trickle(conn):
        conn.sendall(b"HTTP/1.1 202 Accepted\r\nContent-Length: 100\r\n\r\n")
        for _ in range(100):
            time.sleep(0.1)
            conn.sendall(b"x")
        return False

    up = mock_upstream(trickle)
    edge = start_edge(*DD, NO_POLICIES, upstream_url=up.url, upstream_timeout_ms=800)
    rid = new_id()
    r = post(edge.url, logs_body(rid))
    # The upstream got the data but its answer never completed in time:
    # the client must not see a success it cannot trust.
    assert r.status == 504, r
    assert r.elapsed < 3, r
    assert rid in up.ids()


@pytest.mark.parametrize(
    "status,headers",
    [(429, [("Retry-After", "7")]), (503, [("Retry-After", "3")]), (500, [])],
)
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_upstream_error_status_passes_through(mock_upstream, start_edge, status, headers, route):
    binary, path, make_body = ROUTES[route]
    up = mock_upstream(answer(status, headers, b'{"errors":["injected"]}'))
    edge = start_edge(*binary, NO_POLICIES, upstream_url=up.url)
    rid = new_id()
    r = post(edge.url, make_body(rid), path=path)
    assert r.status == status, r
    for k, v in headers:
        assert r.headers.get(k.lower()) == v, r.headers
    assert b"injected" in r.body
    assert rid in up.ids()


def test_sink_failure_status_then_recovery(make_sink, start_edge):
    # The harness sink fails the first request (not stored) and stores the
    # second: the client is told exactly that.
    s = make_sink("--fail-status", "500", "--fail-count", "1")
    edge = start_edge(*DD, NO_POLICIES, upstream_url=s.url)
    first, second = new_id(), new_id()
    r1 = post(edge.url, logs_body(first))
    r2 = post(edge.url, logs_body(second))
    assert r1.status == 500, r1
    assert r2.acked, r2
    assert sink_ids(s) == {second}


@pytest.mark.parametrize(
    "name,behaviour",
    [
        ("reset before the response", reset),
        ("closed after a partial head", lambda c: (c.sendall(b"HTTP/1.1 200 O"), c.close(), False)[-1]),
        (
            "reset mid-body",
            lambda c: (c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"{" * 10), reset(c))[-1],
        ),
        (
            "closed mid-body",
            lambda c: (c.sendall(b"HTTP/1.1 202 OK\r\nContent-Length: 1000\r\n\r\n" + b"{" * 10), c.close(), False)[
                -1
            ],
        ),
    ],
)
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_upstream_connection_cut_is_never_a_success(mock_upstream, start_edge, name, behaviour, route):
    binary, path, make_body = ROUTES[route]
    up = mock_upstream(behaviour)
    edge = start_edge(*binary, NO_POLICIES, upstream_url=up.url)
    r = post(edge.url, make_body(new_id()), path=path)
    assert not r.acked, f"{name}: {r}"
    assert r.status in (502, 503, 504), f"{name}: {r}"
    assert len(up.bodies) >= 1, "the upstream should have been reached"


def test_pool_recovers_after_upstream_restart(start_edge):
    s = start_sink_process()
    port = s.port
    try:
        edge = start_edge(*DD, NO_POLICIES, upstream_url=s.url)
        before = [new_id() for _ in range(3)]
        for rid in before:  # warm the connection pool
            assert post(edge.url, logs_body(rid)).acked
        assert sink_ids(s) == set(before)
    finally:
        stop_sink(s)

    down = new_id()
    r = post(edge.url, logs_body(down))
    assert r.status in (502, 503, 504), r

    s = start_sink_process(port=port)
    try:
        time.sleep(0.1)
        after = [new_id() for _ in range(5)]
        replies = [post(edge.url, logs_body(rid)) for rid in after]
        assert all(r.acked for r in replies), replies
        assert sink_ids(s) == set(after)
    finally:
        stop_sink(s)


def test_bounded_retries_bridge_a_short_upstream_outage(start_edge):
    # The sink is started from a Timer thread, where a skip would only end
    # that thread: check for the harness here.
    require_harness()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    edge = start_edge(
        *DD, NO_POLICIES, upstream_url=f"http://127.0.0.1:{port}", upstream_retries=6, upstream_retry_backoff_ms=100
    )
    started = {}
    # The upstream comes up while Edge is retrying the refused connection.
    timer = threading.Timer(0.4, lambda: started.setdefault("s", start_sink_process(port=port)))
    timer.start()
    try:
        rid = new_id()
        r = post(edge.url, logs_body(rid))
        timer.join()
        assert r.acked, r
        assert sink_ids(started["s"]) == {rid}
        assert len(started["s"].raw()) == 1, "sent more than once"
    finally:
        timer.join()
        if "s" in started:
            stop_sink(started["s"])


def test_retries_are_bounded(start_edge):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    edge = start_edge(
        *DD, NO_POLICIES, upstream_url=f"http://127.0.0.1:{dead}", upstream_retries=2, upstream_retry_backoff_ms=100
    )
    r = post(edge.url, logs_body(new_id()))
    assert r.status in (502, 503), r
    assert r.elapsed < 2, r  # 3 attempts, backoff 100 ms then 200 ms at most


def test_request_that_reached_upstream_is_not_resent(mock_upstream, start_edge):
    # A reset after the upstream read the request: it may have been
    # processed, so a retry could duplicate data. Edge must not resend.
    up = mock_upstream(reset)
    edge = start_edge(*DD, NO_POLICIES, upstream_url=up.url, upstream_retries=3, upstream_retry_backoff_ms=50)
    r = post(edge.url, logs_body(new_id()))
    assert r.status in (502, 503, 504), r
    time.sleep(0.3)
    assert len(up.bodies) == 1, f"the request was sent {len(up.bodies)} times"


def test_gateway_error_retry_when_enabled(make_sink, start_edge):
    s = make_sink("--fail-status", "503", "--fail-count", "2")
    edge = start_edge(
        *DD,
        NO_POLICIES,
        upstream_url=s.url,
        upstream_retries=3,
        upstream_retry_backoff_ms=50,
        upstream_retry_on_gateway_errors=True,
    )
    rid = new_id()
    r = post(edge.url, logs_body(rid))
    assert r.acked, r
    assert sink_ids(s) == {rid}
    stats = json.loads(http_get(s.url + "/stats")[1])
    assert stats["failed"] == 2 and stats["ingests"] == 3, stats


def metric(edge, name: str) -> float:
    """Value of the Prometheus sample `name` (with its labels, exactly) in
    `/_edge/metrics`; absent counts as a test failure."""
    text = http_get(edge.url + "/_edge/metrics")[1].decode()
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError(f"{name} not in /_edge/metrics:\n{text[:3000]}")


def test_faults_are_counted_in_metrics(start_edge):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    edge = start_edge(*DD, NO_POLICIES, upstream_url=f"http://127.0.0.1:{dead}", max_body_size=1024)
    assert post(edge.url, logs_body(new_id())).status in (502, 503)
    assert post(edge.url, logs_body(*[new_id() for _ in range(50)])).status == 413
    assert metric(edge, 'edge_upstream_errors_total{kind="connect"}') >= 1
    assert metric(edge, "edge_request_too_large_total") >= 1
    assert metric(edge, 'edge_responses_total{route="datadog_logs",code="502"}') >= 1
    assert metric(edge, 'edge_upstream_errors_total{kind="timeout"}') == 0


# ---------------------------------------------------------------------------
# Hostile clients
# ---------------------------------------------------------------------------


def gzip_bomb(decoded_mb: int) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1024 * 1024)
    out = [c.compress(b"[" + b" " * (1024 * 1024 - 1))]
    for _ in range(decoded_mb - 1):
        out.append(c.compress(block))
    out.append(c.flush())
    return b"".join(out)


def test_decompression_bomb_is_refused_within_limit(sink, start_edge):
    edge = start_edge(
        *DD, DROP_DEBUG, upstream_url=sink.url, max_body_size=4 * 1024 * 1024, max_decoded_bytes=1024 * 1024
    )
    bomb = gzip_bomb(256)
    assert len(bomb) < 1024 * 1024
    before = vm_hwm_kb(edge.proc.pid)
    r = post(edge.url, bomb, headers={"Content-Encoding": "gzip"})
    assert r.status == 413, r
    assert r.elapsed < 5, r
    grew_mb = (vm_hwm_kb(edge.proc.pid) - before) / 1024
    assert grew_mb < 64, f"peak RSS grew by {grew_mb:.0f} MiB decoding a bomb limited to 1 MiB"
    assert sink.raw() == []
    # Still serving.
    rid = new_id()
    assert post(edge.url, logs_body(rid)).acked
    assert sink_ids(sink) == {rid}


def test_oversized_body_is_refused(sink, start_edge):
    edge = start_edge(*DD, NO_POLICIES, upstream_url=sink.url, max_body_size=64 * 1024)
    big = logs_body(*[new_id() for _ in range(3000)])
    assert len(big) > 64 * 1024
    r = post(edge.url, big)
    assert r.status == 413, r
    # Without Content-Length (chunked): refused once the limit is crossed.
    head = (
        f"POST {LOGS} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode()
    chunks = [head] + [f"{0x4000:x}\r\n".encode() + big[i : i + 0x4000] + b"\r\n" for i in range(0, 0x4000 * 8, 0x4000)]
    got, _ = raw_exchange(edge.port, chunks + [b"0\r\n\r\n"])
    assert status_of(got) == 413, got[:200]
    assert sink.raw() == []


def test_slow_request_head_is_cut(sink, start_edge):
    edge = start_edge(*DD, NO_POLICIES, upstream_url=sink.url, header_read_timeout_ms=500)
    got, elapsed = raw_exchange(
        edge.port, [f"POST {LOGS} HTTP/1.1\r\n".encode(), b"Host: 127.0.0.1\r\n"], read_timeout=5
    )
    assert elapsed < 3, f"connection held for {elapsed:.1f}s"
    assert status_of(got) in (None, 408), got[:200]
    assert sink.raw() == []


def test_slow_request_body_gets_408_and_nothing_is_forwarded(sink, start_edge):
    edge = start_edge(*DD, NO_POLICIES, upstream_url=sink.url, body_read_timeout_ms=500)
    body = logs_body(new_id())
    head = (
        f"POST {LOGS} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    # A byte every 100 ms: never idle for long, but far too slow overall.
    chunks = [head] + [body[i : i + 1] for i in range(len(body))]
    got, elapsed = raw_exchange(edge.port, chunks, pause=0.1, read_timeout=5)
    assert status_of(got) == 408, got[:200]
    assert elapsed < 3, f"slow body held for {elapsed:.1f}s"
    assert sink.raw() == []


def request_bytes(body: bytes, extra_headers=(), path: str = LOGS) -> bytes:
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in extra_headers)
    head += f"Content-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


def test_oversized_header_is_refused(sink, start_edge):
    edge = start_edge(*DD, NO_POLICIES, upstream_url=sink.url, max_header_bytes=8192)
    got, _ = raw_exchange(edge.port, [request_bytes(logs_body(new_id()), [("X-Big", "a" * 16000)])])
    assert status_of(got) == 431, got[:300]
    # Under the limit passes.
    rid = new_id()
    assert post(edge.url, logs_body(rid), headers={"X-Small": "a" * 1000}).acked
    assert sink_ids(sink) == {rid}


def test_too_many_headers_are_refused(sink, start_edge):
    edge = start_edge(*DD, NO_POLICIES, upstream_url=sink.url)
    many = [(f"X-H{i}", "v") for i in range(150)]  # default cap: 100
    got, _ = raw_exchange(edge.port, [request_bytes(logs_body(new_id()), many)])
    assert status_of(got) == 431, got[:300]
    assert sink.raw() == []


def test_idle_keep_alive_connection_is_closed(sink, start_edge):
    edge = start_edge(*DD, NO_POLICIES, upstream_url=sink.url, idle_timeout_ms=500)
    s = socket.create_connection(("127.0.0.1", edge.port), timeout=5)
    try:
        s.sendall(request_bytes(logs_body(new_id())))
        first = s.recv(65536)
        assert status_of(first) in ACK, first[:200]
        start = time.monotonic()
        rest = b""
        while True:  # nothing more is sent: Edge must hang up by itself
            try:
                more = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not more:
                break
            rest += more
        idle = time.monotonic() - start
    finally:
        s.close()
    assert idle < 3, f"idle connection kept {idle:.1f}s"


def test_client_cannot_choose_the_upstream(sink, mock_upstream, start_edge):
    other = mock_upstream(answer(202))
    edge = start_edge(*DD, NO_POLICIES, upstream_url=sink.url)
    a, b = new_id(), new_id()
    # Absolute-form request target naming another server.
    got, _ = raw_exchange(
        edge.port,
        [request_bytes(logs_body(a), [("Connection", "close")], path=f"http://127.0.0.1:{other.port}{LOGS}")],
        read_timeout=3,
    )
    assert status_of(got) is not None, got[:200]
    # Host header naming another server.
    r = post(edge.url, logs_body(b), headers={"Host": f"127.0.0.1:{other.port}"})
    assert r.acked, r
    assert other.bodies == [], "Edge forwarded to a server the client chose"
    assert b in sink_ids(sink)
    if status_of(got) in ACK:
        assert a in sink_ids(sink)
    # Admin paths are answered by Edge, never forwarded.
    before = len(sink.raw())
    assert http_get(edge.url + "/_edge/health")[0] == 200
    http_get(edge.url + "/_edge/metrics")
    assert len(sink.raw()) == before


# ---------------------------------------------------------------------------
# Overload
# ---------------------------------------------------------------------------


def _concurrently(n, fn):
    results = [None] * n
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        results[i] = fn(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_overload_is_refused_fast_not_queued(make_sink, start_edge):
    slow = make_sink("--delay-ms", "1500")
    edge = start_edge(*DD, NO_POLICIES, upstream_url=slow.url, max_concurrent_requests=2)
    ids = [new_id() for _ in range(10)]
    replies = _concurrently(10, lambda i: post(edge.url, logs_body(ids[i])))
    acked = {ids[i] for i, r in enumerate(replies) if r.acked}
    refused = [r for r in replies if r.status in (429, 503)]
    assert len(acked) + len(refused) == 10, replies
    assert len(acked) <= 2 + 1, replies  # one may slip in as a slot frees
    assert len(refused) >= 7, replies
    assert all(r.elapsed < 1.0 for r in refused), replies
    assert all("retry-after" in r.headers for r in refused), replies
    assert acked <= sink_ids(slow)


def test_inflight_bytes_cap_refuses_fast(make_sink, start_edge):
    slow = make_sink("--delay-ms", "1500")
    edge = start_edge(
        *DD,
        NO_POLICIES,
        upstream_url=slow.url,
        max_concurrent_requests=64,
        max_body_size=2 * 1024 * 1024,
        max_inflight_bytes=1024 * 1024,
    )
    bodies = [logs_body(*[new_id() for _ in range(4500)]) for _ in range(6)]  # ~600 KB each
    assert all(len(b) > 512 * 1024 for b in bodies)
    replies = _concurrently(6, lambda i: post(edge.url, bodies[i]))
    refused = [r for r in replies if r.status in (429, 503)]
    assert all(r.acked or r.status in (429, 503) for r in replies), replies
    assert len(refused) >= 4, replies
    assert all(r.elapsed < 1.0 for r in refused), replies
    received = sink_ids(slow)
    for i, r in enumerate(replies):
        if r.acked:
            assert set(m.decode() for m in ID_RE.findall(bodies[i])) <= received


# ---------------------------------------------------------------------------
# Lifecycle
# ---------------------------------------------------------------------------


def test_sigterm_finishes_in_flight_request_and_exits_0(make_sink, start_edge):
    slow = make_sink("--delay-ms", "1500")
    edge = start_edge(*DD, NO_POLICIES, upstream_url=slow.url, shutdown_grace_period_ms=5000)
    rid = new_id()
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("r", post(edge.url, logs_body(rid))))
    t.start()
    time.sleep(0.5)  # the request is in flight (the sink holds it 1.5 s)
    edge.proc.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    late = post(edge.url, logs_body(new_id()), timeout=3)
    t.join(10)
    r = result["r"]
    assert r.acked, r
    assert rid in sink_ids(slow)
    # Edge stopped accepting: a request after the signal is refused (no
    # listener, or 503), and it is not forwarded (checked below).
    assert not late.acked, late
    assert edge.proc.wait(timeout=10) == 0, edge.logs()[-2000:]
    assert sink_ids(slow) == {rid}


def test_sighup_does_not_drop_in_flight_requests(make_sink, start_edge):
    slow = make_sink("--delay-ms", "800")
    edge = start_edge(*DD, DROP_DEBUG, upstream_url=slow.url)
    rid = new_id()
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("r", post(edge.url, logs_body(rid))))
    t.start()
    time.sleep(0.3)
    edge.proc.send_signal(signal.SIGHUP)
    t.join(10)
    assert result["r"].acked, result["r"]
    assert edge.proc.poll() is None, "SIGHUP killed Edge"
    rid2 = new_id()
    assert post(edge.url, logs_body(rid2)).acked
    assert sink_ids(slow) == {rid, rid2}
    assert "SIGHUP received" in edge.logs()


def test_policy_rewrites_during_traffic_lose_nothing(sink, start_edge):
    edge = start_edge(*DD, DROP_DEBUG, upstream_url=sink.url)
    other = {
        "policies": DROP_DEBUG["policies"]
        + [
            {
                "id": "drop-never",
                "name": "matches nothing sent",
                "log": {"match": [{"log_field": "body", "regex": "^zzz-never"}], "keep": "none"},
            }
        ]
    }
    variants = [json.dumps(other), json.dumps(DROP_DEBUG), '{"policies": [ {"id": "broken"', "{}"]
    stop = threading.Event()

    def rewrite():
        i = 0
        while not stop.is_set():
            text = variants[i % len(variants)]
            if i % 2:
                edge.policy_path.write_text(text)  # in place
            else:
                tmp = edge.policy_path.with_suffix(".tmp")
                tmp.write_text(text)
                os.replace(tmp, edge.policy_path)  # atomic swap
            i += 1
            time.sleep(0.03)

    sent = {}

    def client(k):
        out = []
        for _ in range(25):
            keep = [new_id(), new_id()]
            body = json.dumps(
                [{"message": f"kept {keep[0]}", "status": "info"}, {"message": "noise", "status": "debug"},
                 {"message": f"kept {keep[1]}", "status": "warn"}]
            ).encode()
            out.append((keep, post(edge.url, body)))
        sent[k] = out

    rw = threading.Thread(target=rewrite)
    rw.start()
    try:
        _concurrently(3, client)
    finally:
        stop.set()
        rw.join()
    replies = [r for out in sent.values() for _, r in out]
    assert all(r.acked for r in replies), [r for r in replies if not r.acked][:3]
    expected = {i for out in sent.values() for keep, _ in out for i in keep}
    received = sink_ids(sink)
    missing = expected - received
    assert not missing, f"{len(missing)} acknowledged records never reached the upstream"
    assert edge.proc.poll() is None
