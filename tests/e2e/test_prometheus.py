"""Prometheus scrapes from a real prometheus_client registry, through Edge."""

import gzip
import http.client
import http.server
import threading
import urllib.request

import pytest

prometheus_client = pytest.importorskip("prometheus_client")
from prometheus_client import (  # noqa: E402
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    Summary,
    start_http_server,
)
from prometheus_client.openmetrics.parser import (  # noqa: E402
    text_string_to_metric_families as om_families,
)
from prometheus_client.parser import text_string_to_metric_families  # noqa: E402

from conftest import free_port, http_get  # noqa: E402

POLICIES = {
    "policies": [
        {
            "id": "drop-debug",
            "name": "drop debug families",
            "metric": {"match": [{"metric_field": "name", "starts_with": "debug_"}], "keep": False},
        },
        {
            "id": "drop-dev",
            "name": "drop dev series",
            "metric": {"match": [{"datapoint_attribute": ["env"], "exact": "dev"}], "keep": False},
        },
        {
            "id": "drop-hi",
            "name": "drop by an escaped label value",
            "metric": {"match": [{"datapoint_attribute": ["msg"], "equals": 'say "hi"'}], "keep": False},
        },
        {
            "id": "drop-summaries",
            "name": "drop summaries",
            "metric": {"match": [{"metric_type": "summary"}], "keep": False},
        },
    ]
}


@pytest.fixture
def target():
    """A prometheus_client registry served on 127.0.0.1."""
    reg = CollectorRegistry()
    requests = Counter("http_requests", "HTTP requests.", ["method", "code"], registry=reg)
    requests.labels("get", "200").inc(7)
    requests.labels("post", "500").inc()
    Gauge("debug_queue_depth", "Debug only.", registry=reg).set(3)
    latency = Histogram("request_latency_seconds", "Latency.", ["env"], registry=reg,
                        buckets=(0.1, 1.0))
    latency.labels("dev").observe(0.05)
    latency.labels("prod").observe(0.5)
    latency.labels("prod").observe(2.0)
    Summary("rpc_duration_seconds", "RPC duration.", registry=reg).observe(0.3)
    paths = Gauge("app_paths", "Paths with escapes.", ["path", "msg", "multi"], registry=reg)
    paths.labels("C:\\temp\\", 'say "hi"', "a\nb").set(1)
    paths.labels("D:\\temp", "plain", "x").set(2)
    special = Gauge("app_special_values", "NaN and infinities.", ["v"], registry=reg)
    special.labels("nan").set(float("nan"))
    special.labels("inf").set(float("inf"))
    special.labels("ninf").set(float("-inf"))
    Info("build", "Build information.", registry=reg).info({"version": "1.2.3", "env": "prod"})
    port = free_port()
    server, thread = start_http_server(port, addr="127.0.0.1", registry=reg)
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _get(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()


def _edge(start_edge, sink, target_url, **extra):
    return start_edge("EDGE_BIN", "edge", POLICIES, upstream_url=sink.url,
                      prometheus={"path": "/metrics", "target_url": target_url + "/metrics", **extra})


def _is_subsequence(lines, original):
    it = iter(original)
    return all(any(line == o for o in it) for line in lines)


def test_text_scrape_is_filtered(sink, start_edge, target):
    edge = _edge(start_edge, sink, target)
    _, _, direct = _get(target + "/metrics")
    status, headers, body = _get(edge.url + "/metrics")
    assert status == 200
    assert headers["content-type"].startswith("text/plain")
    text = body.decode()

    families = {f.name: f for f in text_string_to_metric_families(text)}
    assert "debug_queue_depth" not in families
    assert "rpc_duration_seconds" not in families
    assert {"http_requests", "request_latency_seconds", "app_paths", "app_special_values",
            "build_info"} <= set(families)
    # Histogram series of env=dev are gone with all their buckets.
    latency = families["request_latency_seconds"]
    assert {s.labels.get("env") for s in latency.samples} == {"prod"}
    assert len([s for s in latency.samples if s.name.endswith("_bucket")]) == 3
    # Escaped label values were matched unescaped; the other series is intact.
    paths = families["app_paths"].samples
    assert [(s.labels["path"], s.labels["msg"]) for s in paths] == [("D:\\temp", "plain")]
    values = {s.labels["v"]: s.value for s in families["app_special_values"].samples}
    assert values["inf"] == float("inf") and values["ninf"] == float("-inf")
    assert values["nan"] != values["nan"]
    # Every line Edge sent is a line of the original scrape, in order.
    assert _is_subsequence(text.splitlines(), direct.decode().splitlines())
    assert "# HELP debug_queue_depth" not in text
    # In the text format `_created` is a gauge family of its own: it stays.
    assert "# TYPE rpc_duration_seconds summary" not in text


def test_openmetrics_scrape_is_filtered_and_ends_with_eof(sink, start_edge, target):
    edge = _edge(start_edge, sink, target)
    accept = {"Accept": "application/openmetrics-text; version=1.0.0"}
    _, _, direct = _get(target + "/metrics", accept)
    status, headers, body = _get(edge.url + "/metrics", accept)
    assert status == 200
    assert headers["content-type"].startswith("application/openmetrics-text")
    text = body.decode()
    assert text.endswith("# EOF\n")
    families = {f.name: f for f in om_families(text)}
    assert "debug_queue_depth" not in families and "rpc_duration_seconds" not in families
    requests = families["http_requests"]
    assert {s.name for s in requests.samples} == {"http_requests_total", "http_requests_created"}
    assert families["build"].type == "info"
    assert _is_subsequence(text.splitlines(), direct.decode().splitlines())


def test_gzip_scrape_is_decoded_and_filtered(sink, start_edge, target):
    edge = _edge(start_edge, sink, target)
    _, _, plain = _get(edge.url + "/metrics")
    status, headers, body = _get(edge.url + "/metrics", {"Accept-Encoding": "gzip"})
    assert status == 200
    if headers.get("content-encoding") == "gzip":  # pragma: no cover - would be a bug
        body = gzip.decompress(body)
        pytest.fail("Edge should send the filtered scrape uncompressed")
    assert body == plain


class _StaticHandler(http.server.BaseHTTPRequestHandler):
    body = b""
    content_type = "text/plain; version=0.0.4"

    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def static_target():
    servers = []

    def serve(body: bytes, content_type: str):
        handler = type("H", (_StaticHandler,), {"body": body, "content_type": content_type})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for s in servers:
        s.shutdown()
        s.server_close()


MALFORMED = (
    b"# TYPE ok_metric gauge\n"
    b"ok_metric 1\n"
    b"{A}0\n"
    b"o{=\"foo\"} 0\n"
    b"m{a=\"1\",a=\"2\"} 1\n"
    b"m{a=\"1\" 1\n"
    b"debug_x 5\n"
    b"{\"my.metric\",env=\"dev\"} 1\n"
    b"tail_metric 2\n"
)


def test_malformed_lines_pass_through_and_are_counted(sink, start_edge, static_target):
    url = static_target(MALFORMED, "text/plain; version=0.0.4")
    edge = _edge(start_edge, sink, url)
    status, _, body = _get(edge.url + "/metrics")
    assert status == 200
    expected = MALFORMED.replace(b"debug_x 5\n", b"").replace(b"{\"my.metric\",env=\"dev\"} 1\n", b"")
    assert body == expected
    _, metrics = http_get(edge.url + "/_edge/metrics")
    assert b'edge_prometheus_fail_open_total{reason="line_unparsed"} 4' in metrics


def test_openmetrics_exemplars_and_missing_eof(sink, start_edge, static_target):
    body = (
        b"# TYPE req_seconds histogram\n"
        b"req_seconds_bucket{le=\"0.01\",env=\"prod\"} 1 # {trace_id=\"4bf92f3577b34da6\"} 0.006 1700000000.0\n"
        b"req_seconds_bucket{le=\"+Inf\",env=\"prod\"} 2 # {} 1.0\n"
        b"req_seconds_count{env=\"prod\"} 2\n"
        b"req_seconds_sum{env=\"prod\"} 0.5\n"
        b"req_seconds_bucket{le=\"+Inf\",env=\"dev\"} 2 # {\"trace.id\"=\"x\"} 1.0\n"
        b"req_seconds_count{env=\"dev\"} 2\n"
        b"req_seconds_sum{env=\"dev\"} 0.5\n"
    )
    url = static_target(body, "application/openmetrics-text; version=1.0.0; charset=utf-8")
    edge = _edge(start_edge, sink, url)
    _, _, out = _get(edge.url + "/metrics")
    assert out == b"".join(body.splitlines(keepends=True)[:5]) + b"# EOF\n"

    # The same exemplars served as classic text are removed.
    url = static_target(body, "text/plain; version=0.0.4")
    edge2 = _edge(start_edge, sink, url)
    _, _, out = _get(edge2.url + "/metrics")
    assert b" # {" not in out
    assert out.startswith(b"# TYPE req_seconds histogram\nreq_seconds_bucket{le=\"0.01\",env=\"prod\"} 1\n")
    list(text_string_to_metric_families(out.decode()))


def test_a_scrape_cut_at_a_limit_fails_instead_of_looking_complete(sink, start_edge, static_target):
    body = b"".join(b"m_%d %d\n" % (i, i) for i in range(1000))
    url = static_target(body, "text/plain; version=0.0.4")
    for limit in ("max_input_bytes_per_scrape", "max_output_bytes_per_scrape"):
        edge = _edge(start_edge, sink, url, **{limit: 100})
        # The body ends with an error: a client never gets the first lines
        # as a whole scrape (Prometheus would mark every other series stale).
        with pytest.raises((http.client.IncompleteRead, http.client.RemoteDisconnected, ConnectionError)):
            _get(edge.url + "/metrics")
        metrics = urllib.request.urlopen(edge.url + "/_edge/metrics", timeout=10).read().decode()
        assert "edge_prometheus_scrapes_truncated_total 1" in metrics, metrics
        edge.proc.terminate()
        edge.proc.wait(timeout=15)
    # Under the limits the same scrape passes whole.
    edge = _edge(start_edge, sink, url)
    assert _get(edge.url + "/metrics")[2] == body
