"""Datadog logs from the official Python client, through Edge, filtered."""

import json

import pytest
from datadog_api_client import ApiClient, Configuration
from datadog_api_client.v2.api.logs_api import LogsApi
from datadog_api_client.v2.model.content_encoding import ContentEncoding
from datadog_api_client.v2.model.http_log import HTTPLog
from datadog_api_client.v2.model.http_log_item import HTTPLogItem

POLICIES = {
    "policies": [
        {
            "id": "drop-debug",
            "name": "drop debug logs",
            "log": {"match": [{"log_field": "severity_text", "exact": "debug"}], "keep": "none"},
        },
        {
            "id": "drop-healthchecks",
            "name": "drop health checks",
            "log": {"match": [{"log_field": "body", "regex": "GET /health(z)? "}], "keep": "none"},
        },
    ]
}

API_KEY = "0123456789abcdef0123456789abcdef"


def _items():
    return [
        HTTPLogItem(message="user signed in", service="web", hostname="h1", ddsource="python", status="info"),
        HTTPLogItem(message="cache miss detail", service="web", hostname="h1", ddsource="python", status="debug"),
        HTTPLogItem(message="GET /healthz 200", service="web", hostname="h1", ddsource="nginx", status="info"),
        HTTPLogItem(message="payment failed", service="pay", hostname="h2", ddsource="java", status="error",
                    ddtags="env:prod,team:payments"),
    ]


def _submit(edge, encoding):
    cfg = Configuration(host=edge.url)
    cfg.api_key["apiKeyAuth"] = API_KEY
    cfg.enable_retry = False
    with ApiClient(cfg) as client:
        api = LogsApi(client)
        kwargs = {}
        if encoding is not None:
            kwargs["content_encoding"] = encoding
        return api.submit_log(body=HTTPLog(_items()), **kwargs)


@pytest.mark.parametrize("encoding", [None, ContentEncoding.GZIP, ContentEncoding.DEFLATE])
def test_client_logs_are_filtered(sink, start_edge, encoding):
    edge = start_edge("EDGE_DATADOG_BIN", "edge-datadog", POLICIES, upstream_url=sink.url)
    _submit(edge, encoding)

    raw = [r for r in sink.raw() if r["path"] == "/api/v2/logs"]
    assert len(raw) == 1, raw
    received = json.loads(raw[0]["body"])
    messages = [log["message"] for log in received]
    assert messages == ["user signed in", "payment failed"]
    headers = {k.lower(): v for k, v in raw[0]["headers"].items()}
    assert headers.get("dd-api-key") == API_KEY
    assert API_KEY not in edge.logs(), "the API key leaked into Edge's logs"


def test_all_dropped_is_acknowledged_without_upstream(sink, start_edge):
    edge = start_edge("EDGE_BIN", "edge", POLICIES, upstream_url=sink.url)
    cfg = Configuration(host=edge.url)
    cfg.api_key["apiKeyAuth"] = API_KEY
    with ApiClient(cfg) as client:
        LogsApi(client).submit_log(body=HTTPLog([HTTPLogItem(message="x", status="debug")]))
    assert [r for r in sink.raw() if r["path"] == "/api/v2/logs"] == []
