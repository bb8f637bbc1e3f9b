"""OTLP/HTTP from the OpenTelemetry Python SDK, through Edge, filtered.

The SDK's protobuf exporters (opentelemetry-exporter-otlp-proto-http) send
logs, metrics and spans to the `edge` binary, which forwards to the harness
sink. The tests assert what reached the sink: policies applied, everything
else intact, and the exporter saw success.
"""

import json
import logging
import urllib.request

import pytest

pytest.importorskip("opentelemetry.sdk")
pytest.importorskip("opentelemetry.exporter.otlp.proto.http")

from opentelemetry.exporter.otlp.proto.http import Compression  # noqa: E402
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter  # noqa: E402
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter  # noqa: E402
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter  # noqa: E402
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler  # noqa: E402
from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor  # noqa: E402
from opentelemetry.sdk.metrics import MeterProvider  # noqa: E402
from opentelemetry.sdk.metrics.export import InMemoryMetricReader  # noqa: E402
from opentelemetry.sdk.resources import Resource  # noqa: E402
from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult  # noqa: E402
from opentelemetry.trace import StatusCode  # noqa: E402

POLICIES = {
    "policies": [
        {
            "id": "drop-healthchecks",
            "name": "drop health check logs",
            "log": {"match": [{"log_field": "body", "contains": "healthcheck"}], "keep": "none"},
        },
        {
            "id": "redact-card",
            "name": "redact card numbers",
            "log": {
                "match": [{"log_attribute": "card", "exists": True}],
                "keep": "all",
                "transform": {
                    "redact": [{"log_attribute": "card", "replacement": "[REDACTED]"}],
                    "add": [{"log_attribute": "edge.processed", "value": "true"}],
                },
            },
        },
        {
            "id": "drop-debug-metric",
            "name": "drop a noisy metric",
            "metric": {"match": [{"metric_field": "name", "exact": "debug.queue.depth"}], "keep": False},
        },
        {
            "id": "drop-noise-spans",
            "name": "drop internal noise spans",
            "trace": {"match": [{"trace_field": "name", "exact": "noise"}], "keep": {"percentage": 0.0}},
        },
        {
            "id": "keep-errors",
            "name": "keep every error span",
            "trace": {
                "match": [{"span_status": "SPAN_STATUS_CODE_ERROR", "exists": True}],
                "keep": {"percentage": 100.0},
            },
        },
    ]
}

# The SDK's own LoggingHandler is deprecated in favour of an instrumentation
# package; it is still the simplest real producer of OTLP log records.
pytestmark = pytest.mark.filterwarnings("ignore:.*LoggingHandler.*:DeprecationWarning")

RESOURCE = Resource.create({"service.name": "e2e-otlp", "deployment.environment": "test"})
COMPRESSIONS = [Compression.NoCompression, Compression.Gzip]


@pytest.fixture
def edge(sink, start_edge):
    return start_edge("EDGE_BIN", "edge", POLICIES, upstream_url=sink.url)


def _records(output, outer, middle, inner):
    out = []
    for res in output.get(outer, []):
        for scope in res.get(middle, []):
            out.extend(scope.get(inner, []))
    return out


def _attrs(record):
    result = {}
    for kv in record.get("attributes", []):
        value = kv.get("value", {})
        result[kv["key"]] = next(iter(value.values()), None) if value else None
    return result


def _body(record):
    return record.get("body", {}).get("stringValue")


@pytest.mark.parametrize("compression", COMPRESSIONS, ids=["plain", "gzip"])
def test_sdk_logs_are_filtered_and_transformed(edge, sink, compression):
    exporter = OTLPLogExporter(endpoint=edge.url + "/v1/logs", compression=compression, timeout=10)
    results = []
    original_export = exporter.export

    def export(batch):
        result = original_export(batch)
        results.append(result)
        return result

    exporter.export = export
    provider = LoggerProvider(resource=RESOURCE)
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    logger = logging.getLogger(f"e2e.otlp.{compression.name}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    handler = LoggingHandler(level=logging.INFO, logger_provider=provider)
    logger.addHandler(handler)
    try:
        logger.info("user signed in", extra={"user": "alice"})
        logger.info("GET /healthcheck 200")
        logger.warning("payment declined", extra={"card": "4111-1111-1111-1111"})
        provider.force_flush()
    finally:
        logger.removeHandler(handler)
        provider.shutdown()

    assert len(results) == 3
    assert all(r.name == "SUCCESS" for r in results), results
    records = _records(sink.output(), "resourceLogs", "scopeLogs", "logRecords")
    bodies = [_body(r) for r in records]
    assert bodies == ["user signed in", "payment declined"], bodies
    payment = records[1]
    attrs = _attrs(payment)
    assert attrs["card"] == "[REDACTED]"
    assert attrs["edge.processed"] == "true"
    assert _attrs(records[0])["user"] == "alice"
    assert "edge.processed" not in _attrs(records[0])
    # Untouched parts survive: resource attributes and severity.
    resources = sink.output()["resourceLogs"]
    res_attrs = _attrs(resources[0]["resource"])
    assert res_attrs["service.name"] == "e2e-otlp"
    assert payment.get("severityText") == "WARN"


@pytest.mark.parametrize("compression", COMPRESSIONS, ids=["plain", "gzip"])
def test_sdk_metrics_are_filtered_per_metric(edge, sink, compression):
    reader = InMemoryMetricReader()
    provider = MeterProvider(resource=RESOURCE, metric_readers=[reader])
    meter = provider.get_meter("e2e.meter", "1.0")
    requests = meter.create_counter("http.server.requests", unit="1")
    depth = meter.create_up_down_counter("debug.queue.depth")
    latency = meter.create_histogram("http.server.duration", unit="ms")
    requests.add(3, {"route": "/a"})
    depth.add(7)
    latency.record(12.5, {"route": "/a"})
    data = reader.get_metrics_data()
    provider.shutdown()

    exporter = OTLPMetricExporter(endpoint=edge.url + "/v1/metrics", compression=compression, timeout=10)
    result = exporter.export(data)
    exporter.shutdown()
    assert result.name == "SUCCESS"
    metrics = _records(sink.output(), "resourceMetrics", "scopeMetrics", "metrics")
    names = sorted(m["name"] for m in metrics)
    assert names == ["http.server.duration", "http.server.requests"], names
    counter = next(m for m in metrics if m["name"] == "http.server.requests")
    points = counter["sum"]["dataPoints"]
    assert int(points[0]["asInt"]) == 3
    assert _attrs(points[0]) == {"route": "/a"}


def test_sdk_metrics_all_dropped_answer_success_without_upstream(edge, sink):
    reader = InMemoryMetricReader()
    provider = MeterProvider(resource=RESOURCE, metric_readers=[reader])
    provider.get_meter("e2e.meter").create_up_down_counter("debug.queue.depth").add(1)
    data = reader.get_metrics_data()
    provider.shutdown()
    exporter = OTLPMetricExporter(endpoint=edge.url + "/v1/metrics", timeout=10)
    assert exporter.export(data).name == "SUCCESS"
    exporter.shutdown()
    # Every metric was dropped: Edge answered itself, the sink got nothing.
    assert sink.output().get("resourceMetrics") is None, sink.output()


@pytest.mark.parametrize("compression", COMPRESSIONS, ids=["plain", "gzip"])
def test_sdk_spans_are_sampled_with_tracestate(edge, sink, compression):
    exporter = OTLPSpanExporter(endpoint=edge.url + "/v1/traces", compression=compression, timeout=10)
    results = []
    original_export = exporter.export

    def export(spans):
        result = original_export(spans)
        results.append(result)
        return result

    exporter.export = export
    provider = TracerProvider(resource=RESOURCE)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("e2e.tracer")
    with tracer.start_as_current_span("checkout") as parent:
        with tracer.start_as_current_span("noise"):
            pass
        with tracer.start_as_current_span("charge card") as child:
            child.set_status(StatusCode.ERROR, "declined")
        parent.set_attribute("order.id", "o-1")
    provider.force_flush()
    provider.shutdown()

    assert results and all(r == SpanExportResult.SUCCESS for r in results), results
    spans = _records(sink.output(), "resourceSpans", "scopeSpans", "spans")
    by_name = {s["name"]: s for s in spans}
    assert sorted(by_name) == ["charge card", "checkout"], sorted(by_name)
    # The error span was sampled by a policy: its tracestate carries the
    # threshold; the unmatched span keeps an empty tracestate.
    assert by_name["charge card"].get("traceState") == "ot=th:0"
    assert not by_name["checkout"].get("traceState")
    assert _attrs(by_name["checkout"])["order.id"] == "o-1"
    assert by_name["charge card"]["parentSpanId"] == by_name["checkout"]["spanId"]


def _post(url, body, content_type):
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers.get("Content-Type"), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type"), err.read()


def test_bad_requests_get_4xx_and_nothing_is_forwarded(edge, sink):
    status, ctype, _ = _post(edge.url + "/v1/logs", b"\xff\xff\xff\xff", "application/x-protobuf")
    assert (status, ctype) == (400, "application/x-protobuf")
    status, ctype, body = _post(edge.url + "/v1/traces", b'{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"W47/95gDgQPSabYzgT/GDA=="}]}]}]}', "application/json")
    assert (status, ctype) == (400, "application/json")
    assert json.loads(body)["code"] == 3
    status, _, _ = _post(edge.url + "/v1/traces", b"x", "text/plain")
    assert status == 415
    # Empty exports are answered locally with an empty response.
    status, ctype, body = _post(edge.url + "/v1/logs", b"", "application/x-protobuf")
    assert (status, ctype, body) == (200, "application/x-protobuf", b"")
    status, ctype, body = _post(edge.url + "/v1/logs", b"{}", "application/json")
    assert (status, ctype, json.loads(body)) == (200, "application/json", {})
    assert sink.output() == {}
