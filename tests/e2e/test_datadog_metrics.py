"""Datadog metrics from the official Python client, through Edge, filtered."""

import base64
import json
import struct
import time
import urllib.request
import zlib

import pytest
from datadog_api_client import ApiClient, Configuration
from datadog_api_client.v1.api.metrics_api import MetricsApi as MetricsApiV1
from datadog_api_client.v1.model.metrics_payload import MetricsPayload
from datadog_api_client.v1.model.point import Point
from datadog_api_client.v1.model.series import Series
from datadog_api_client.v2.api.metrics_api import MetricsApi
from datadog_api_client.v2.model.metric_content_encoding import MetricContentEncoding
from datadog_api_client.v2.model.metric_intake_type import MetricIntakeType
from datadog_api_client.v2.model.metric_payload import MetricPayload
from datadog_api_client.v2.model.metric_point import MetricPoint
from datadog_api_client.v2.model.metric_resource import MetricResource
from datadog_api_client.v2.model.metric_series import MetricSeries

from conftest import http_get

POLICIES = {
    "policies": [
        {
            "id": "drop-debug-metrics",
            "name": "drop debug metrics",
            "metric": {"match": [{"metric_field": "name", "starts_with": "debug."}], "keep": False},
        },
        {
            "id": "drop-dev-counts",
            "name": "drop counts from dev",
            "metric": {
                "match": [{"datapoint_attribute": ["env"], "exact": "dev"}, {"metric_type": "sum"}],
                "keep": False,
            },
        },
        {
            "id": "drop-canary-host",
            "name": "drop the canary host",
            "metric": {"match": [{"resource_attribute": ["host"], "exact": "canary-1"}], "keep": False},
        },
    ]
}

API_KEY = "fedcba9876543210fedcba9876543210"


def _client(edge):
    cfg = Configuration(host=edge.url)
    cfg.api_key["apiKeyAuth"] = API_KEY
    cfg.enable_retry = False
    return ApiClient(cfg)


def _series():
    now = int(time.time())
    point = [MetricPoint(timestamp=now, value=1.5)]
    host = lambda name: [MetricResource(name=name, type="host")]  # noqa: E731
    return [
        MetricSeries(metric="app.requests", type=MetricIntakeType.COUNT, points=point,
                     resources=host("web-1"), tags=["env:prod", "route:/api"]),
        MetricSeries(metric="debug.cache.size", type=MetricIntakeType.GAUGE, points=point,
                     resources=host("web-1"), tags=["env:prod"]),
        MetricSeries(metric="app.requests", type=MetricIntakeType.COUNT, points=point,
                     resources=host("web-2"), tags=["env:dev"]),
        MetricSeries(metric="app.temperature", type=MetricIntakeType.GAUGE, points=point,
                     resources=host("web-2"), tags=["env:dev"], unit="celsius"),
        MetricSeries(metric="app.requests", type=MetricIntakeType.COUNT, points=point,
                     resources=host("canary-1"), tags=["env:prod"]),
    ]


def _received(sink, path):
    return [r for r in sink.raw() if r["path"].split("?")[0] == path]


@pytest.mark.parametrize("encoding", [None, MetricContentEncoding.GZIP, MetricContentEncoding.DEFLATE])
def test_v2_series_are_filtered(sink, start_edge, encoding):
    edge = start_edge("EDGE_BIN", "edge", POLICIES, upstream_url=sink.url)
    with _client(edge) as client:
        kwargs = {} if encoding is None else {"content_encoding": encoding}
        MetricsApi(client).submit_metrics(body=MetricPayload(series=_series()), **kwargs)

    raw = _received(sink, "/api/v2/series")
    assert len(raw) == 1, raw
    body = json.loads(raw[0]["body"])
    kept = [(s["metric"], s["resources"][0]["name"], s["tags"][0]) for s in body["series"]]
    assert kept == [("app.requests", "web-1", "env:prod"), ("app.temperature", "web-2", "env:dev")]
    # The kept series are forwarded as the client wrote them.
    assert body["series"][1]["unit"] == "celsius"
    headers = {k.lower(): v for k, v in raw[0]["headers"].items()}
    assert headers.get("dd-api-key") == API_KEY
    assert API_KEY not in edge.logs(), "the API key leaked into Edge's logs"


def test_v2_metrics_url_is_used_and_nothing_dropped_is_byte_identical(sink, start_edge):
    edge = start_edge("EDGE_BIN", "edge", POLICIES, upstream_url="http://127.0.0.1:9", metrics_url=sink.url)
    series = [s for s in _series() if s.metric == "app.temperature"]
    with _client(edge) as client:
        MetricsApi(client).submit_metrics(body=MetricPayload(series=series))
    raw = _received(sink, "/api/v2/series")
    assert len(raw) == 1, raw
    assert [s["metric"] for s in json.loads(raw[0]["body"])["series"]] == ["app.temperature"]


def test_v2_all_dropped_is_acknowledged_without_upstream(sink, start_edge):
    edge = start_edge("EDGE_BIN", "edge", POLICIES, upstream_url=sink.url)
    series = [s for s in _series() if s.metric.startswith("debug.")]
    with _client(edge) as client:
        MetricsApi(client).submit_metrics(body=MetricPayload(series=series))
    assert _received(sink, "/api/v2/series") == []


def test_v1_series_are_filtered(sink, start_edge):
    edge = start_edge("EDGE_BIN", "edge", POLICIES, upstream_url=sink.url)
    now = float(int(time.time()))
    payload = MetricsPayload(series=[
        Series(metric="app.load", type="gauge", points=[Point([now, 0.7])], host="web-1", tags=["env:prod"]),
        Series(metric="app.load", type="gauge", points=[Point([now, 0.9])], host="canary-1", tags=["env:prod"]),
        Series(metric="debug.queue", type="gauge", points=[Point([now, 3.0])], host="web-1"),
    ])
    with _client(edge) as client:
        MetricsApiV1(client).submit_metrics(body=payload)
    raw = _received(sink, "/api/v1/series")
    assert len(raw) == 1, raw
    body = json.loads(raw[0]["body"])
    assert [(s["metric"], s["host"]) for s in body["series"]] == [("app.load", "web-1")]


def _varint(n):
    out = b""
    while True:
        low, n = n & 0x7F, n >> 7
        if not n:
            return out + bytes([low])
        out += bytes([low | 0x80])


def _field(number, payload):
    """A length-delimited protobuf field."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _pb_series(metric, kind, tags, host, value):
    """One `MetricPayload.series` field as the Datadog agent encodes it."""
    resource = _field(1, _field(1, b"host") + _field(2, host.encode()))
    point = _field(4, b"\x09" + struct.pack("<d", value) + b"\x10" + _varint(1_700_000_000))
    body = resource + _field(2, metric.encode()) + b"".join(_field(3, t.encode()) for t in tags)
    body += point + _varint(5 << 3) + _varint(kind) + _field(7, b"System") + _varint(8 << 3) + _varint(10)
    body += _field(9, _field(1, b"\x20\x0a"))  # origin metadata, opaque to Edge
    return _field(1, body)


def test_protobuf_series_from_the_agent_are_filtered(sink, start_edge):
    """Recent agents send `MetricPayload` protobuf, deflate-compressed, to
    /api/v2/series: the dropped series are cut out and the rest reaches the
    intake byte for byte."""
    edge = start_edge("EDGE_BIN", "edge", POLICIES, upstream_url=sink.url)
    series = [
        _pb_series("app.requests", 1, ["env:prod"], "web-1", 12.0),  # kept
        _pb_series("debug.queue", 3, ["env:prod"], "web-1", 3.0),  # name
        _pb_series("app.errors", 1, ["env:dev"], "web-1", 1.0),  # dev count
        _pb_series("app.load", 3, ["env:dev"], "canary-1", 0.5),  # canary host
        _pb_series("app.temperature", 3, ["env:dev"], "web-2", 21.5),  # kept (gauge)
    ]
    req = urllib.request.Request(
        edge.url + "/api/v2/series",
        data=zlib.compress(b"".join(series)),
        method="POST",
        headers={
            "Content-Type": "application/x-protobuf",
            "Content-Encoding": "deflate",
            "DD-API-KEY": API_KEY,
        },
    )
    with urllib.request.urlopen(req, timeout=5) as resp:
        assert resp.status == 202
    raw = _received(sink, "/api/v2/series")
    assert len(raw) == 1, raw
    assert raw[0]["body_encoding"] == "base64", raw[0]
    assert base64.b64decode(raw[0]["body"]) == series[0] + series[4]
    status, metrics = http_get(edge.url + "/_edge/metrics")
    assert status == 200
    assert b"edge_datadog_series_protobuf_bodies_total 1" in metrics
    assert b"edge_datadog_series_dropped_total 3" in metrics

    # Nothing to drop: the body is forwarded unchanged.
    sink.reset()
    data = zlib.compress(series[0])
    req = urllib.request.Request(edge.url + "/api/v2/series", data=data, method="POST",
                                 headers={"Content-Type": "application/x-protobuf",
                                          "Content-Encoding": "deflate", "DD-API-KEY": API_KEY})
    with urllib.request.urlopen(req, timeout=5) as resp:
        assert resp.status == 202
    raw = _received(sink, "/api/v2/series")
    assert len(raw) == 1 and base64.b64decode(raw[0]["body"]) == series[0], raw


def test_protobuf_series_zstd_are_filtered(sink, start_edge):
    """Agents configured with `serializer_compressor_kind: zstd` send
    zstd-compressed `MetricPayload`s: filtered the same way, re-encoded in
    zstd; a payload whose series are all dropped is answered by Edge."""
    zstandard = pytest.importorskip("zstandard")
    edge = start_edge("EDGE_BIN", "edge", POLICIES, upstream_url=sink.url)
    series = [
        _pb_series("debug.queue", 3, ["env:prod"], "web-1", 3.0),  # name
        _pb_series("app.requests", 1, ["env:prod"], "web-1", 12.0),  # kept
        _pb_series("app.rate", 2, ["env:dev"], "web-1", 0.5),  # dev rate
        _pb_series("app.load", 3, ["env:dev"], "canary-1", 0.5),  # canary host
    ]

    def post(payload):
        req = urllib.request.Request(
            edge.url + "/api/v2/series",
            data=zstandard.ZstdCompressor().compress(payload),
            method="POST",
            headers={
                "Content-Type": "application/x-protobuf",
                "Content-Encoding": "zstd",
                "DD-API-KEY": API_KEY,
            },
        )
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, resp.read()

    assert post(b"".join(series))[0] == 202
    raw = _received(sink, "/api/v2/series")
    assert len(raw) == 1, raw
    headers = {k.lower(): v for k, v in raw[0]["headers"].items()}
    assert headers.get("content-encoding") == "zstd"
    assert base64.b64decode(raw[0]["body"]) == series[1]

    # Every series dropped: 202 from Edge, nothing forwarded.
    sink.reset()
    assert post(series[0] + series[2] + series[3]) == (202, b"{}")
    assert _received(sink, "/api/v2/series") == []
