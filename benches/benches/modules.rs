//! Module pipelines per MB: Datadog logs and OTLP logs (JSON and protobuf)
//! decode → evaluate → encode, identity and gzip, with no policies, 100
//! policies that change nothing and 100 that drop and redact some records;
//! and the Prometheus scrape filter.
//!
//! `cargo bench -p edge-benches --bench modules`

use std::hint::black_box;
use std::io::Write as _;
use std::sync::Arc;

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use edge_loadgen::payload;
use edge_modules::otlp::Encoding;
use edge_modules::{
    DatadogModule, OtlpModule, OtlpSignal, PrometheusModule, PrometheusSettings, RequestAction,
    ResponseFilter,
};
use edge_policy::parse::{parse_document, Format};
use edge_policy::Registry;
use edge_proxy::codec::{self, Codec, ContentEncoding};
use prost::Message as _;

fn registry(policies: &serde_json::Value) -> Arc<Registry> {
    let parsed = parse_document(&policies.to_string(), Format::Json).expect("policies parse");
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let registry = Arc::new(Registry::new());
    registry.update_source_parsed("bench", parsed);
    registry
}

/// The policy sets: name and registry.
fn policy_sets() -> Vec<(&'static str, Arc<Registry>)> {
    vec![
        ("0 policies", registry(&payload::policies(0))),
        (
            "100 unchanged",
            registry(&payload::policies_with(100, false)),
        ),
        ("100 modified", registry(&payload::policies(100))),
    ]
}

/// What the proxy does around a module call: decode, process, re-encode a
/// modified body. Returns the bytes that would be forwarded.
fn pipeline(wire: &Bytes, gzip: bool, process: impl Fn(&[u8]) -> RequestAction) -> usize {
    let (encoding, limit) = if gzip {
        (ContentEncoding::Gzip, 64 << 20)
    } else {
        (ContentEncoding::Identity, 64 << 20)
    };
    let (decoded, found) = codec::decode(encoding, wire, limit).expect("decodes");
    match process(&decoded) {
        RequestAction::ForwardOriginal => wire.len(),
        RequestAction::ForwardModified(body) => {
            if found == Codec::Identity {
                body.len()
            } else {
                codec::encode(found, &body).expect("encodes").len()
            }
        }
        RequestAction::Respond(r) => r.body.len(),
    }
}

fn bench_body(
    c: &mut Criterion,
    group_name: &str,
    plain: &[u8],
    process: &dyn Fn(&Arc<Registry>, &[u8]) -> RequestAction,
) {
    let mut group = c.benchmark_group(group_name);
    group.sample_size(10);
    group.measurement_time(std::time::Duration::from_secs(3));
    group.warm_up_time(std::time::Duration::from_secs(1));
    group.throughput(Throughput::Bytes(plain.len() as u64));
    let gz = Bytes::from(payload::gzip(plain));
    let plain = Bytes::copy_from_slice(plain);
    for (name, reg) in policy_sets() {
        for (wire, gzip, label) in [(&plain, false, "identity"), (&gz, true, "gzip")] {
            group.bench_with_input(BenchmarkId::new(label, name), &(), |b, _| {
                b.iter(|| black_box(pipeline(wire, gzip, |body| process(&reg, body))))
            });
        }
    }
    group.finish();
}

fn datadog(c: &mut Criterion) {
    let n = payload::records_for(1 << 20, |n| payload::datadog_body(n).len());
    let body = payload::datadog_body(n);
    bench_body(c, "datadog_logs_1MB", &body, &|reg, body| {
        DatadogModule::new(reg.clone()).process(body)
    });
}

fn otlp(c: &mut Criterion) {
    let n = payload::records_for(1 << 20, |n| payload::otlp_json(&payload::otlp(n)).len());
    let json = payload::otlp_json(&payload::otlp(n));
    bench_body(c, "otlp_logs_json_1MB", &json, &|reg, body| {
        OtlpModule::new(reg.clone(), OtlpSignal::Logs).process(Encoding::Json, body)
    });
    let n = payload::records_for(1 << 20, |n| payload::otlp(n).encoded_len());
    let proto = payload::otlp(n).encode_to_vec();
    bench_body(c, "otlp_logs_proto_1MB", &proto, &|reg, body| {
        OtlpModule::new(reg.clone(), OtlpSignal::Logs).process(Encoding::Protobuf, body)
    });
}

/// The policy-free OTLP fast paths and the wire evaluation of log records
/// next to what they replaced, in one run (ratios that hold on a busy
/// machine): validate-and-count vs full decode, and, with the 100
/// unchanged policies, the module vs prost decode + evaluation.
fn otlp_paths(c: &mut Criterion) {
    use edge_modules::otlp::{count_records_fast, count_records_full, proto};
    let n = payload::records_for(1 << 20, |n| payload::otlp(n).encoded_len());
    let request = payload::otlp(n);
    let proto_body = request.encode_to_vec();
    let json_body = payload::otlp_json(&payload::otlp(n));
    let mut group = c.benchmark_group("otlp_logs_paths_1MB");
    group.sample_size(10);
    group.measurement_time(std::time::Duration::from_secs(3));
    group.warm_up_time(std::time::Duration::from_secs(1));
    for (name, encoding, body) in [
        ("proto", Encoding::Protobuf, &proto_body),
        ("json", Encoding::Json, &json_body),
    ] {
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(
            BenchmarkId::new(name, "no policies: full decode (before)"),
            |b| b.iter(|| count_records_full(OtlpSignal::Logs, encoding, black_box(body))),
        );
        group.bench_function(
            BenchmarkId::new(name, "no policies: validate + count"),
            |b| b.iter(|| count_records_fast(OtlpSignal::Logs, encoding, black_box(body))),
        );
    }
    group.throughput(Throughput::Bytes(proto_body.len() as u64));
    let reg = registry(&payload::policies_with(100, false));
    let snap = reg.snapshot();
    group.bench_function(
        BenchmarkId::new("proto", "100 unchanged: prost decode + evaluate (before)"),
        |b| {
            b.iter(|| {
                let mut req = request.clone();
                req.clear();
                req.merge(black_box(&proto_body[..])).expect("decodes");
                proto::process_logs(&snap, &mut req)
            })
        },
    );
    let module = OtlpModule::new(reg.clone(), OtlpSignal::Logs);
    group.bench_function(
        BenchmarkId::new("proto", "100 unchanged: evaluated on the wire"),
        |b| b.iter(|| module.process(Encoding::Protobuf, black_box(&proto_body))),
    );
    group.finish();
}

/// About 1 MiB of Prometheus text: 40 families of 300 labelled samples.
fn exposition() -> Vec<u8> {
    let mut out = Vec::new();
    let mut f = 0;
    while out.len() < 1 << 20 {
        let name = format!("app_requests_{f}_total");
        writeln!(
            out,
            "# HELP {name} Requests handled.\n# TYPE {name} counter"
        )
        .unwrap();
        for s in 0..300 {
            writeln!(
                out,
                "{name}{{method=\"GET\",route=\"/api/v{}/orders\",instance=\"node-{}\"}} {}",
                s % 5,
                s % 60,
                s * 17 + f
            )
            .unwrap();
        }
        f += 1;
    }
    out
}

fn metric_policies(count: usize) -> serde_json::Value {
    let policies: Vec<serde_json::Value> = (0..count)
        .map(|i| {
            let matcher = match i % 3 {
                0 => serde_json::json!({"metric_field": "name", "starts_with": format!("app_requests_{i}_")}),
                1 => serde_json::json!({"datapoint_attribute": ["route"], "exact": format!("/api/v{i}/orders")}),
                _ => serde_json::json!({"metric_field": "name", "regex": format!("^go_gc_{i}_.*")}),
            };
            serde_json::json!({"id": format!("m{i:03}"), "name": format!("m{i}"),
                "metric": {"match": [matcher], "keep": false}})
        })
        .collect();
    serde_json::json!({ "policies": policies })
}

fn prometheus(c: &mut Criterion) {
    let text = exposition();
    let mut group = c.benchmark_group("prometheus_filter_1MB");
    group.sample_size(10);
    group.measurement_time(std::time::Duration::from_secs(3));
    group.warm_up_time(std::time::Duration::from_secs(1));
    group.throughput(Throughput::Bytes(text.len() as u64));
    for n in [0usize, 100] {
        let module =
            PrometheusModule::new(registry(&metric_policies(n)), PrometheusSettings::default());
        group.bench_with_input(BenchmarkId::new("policies", n), &n, |b, _| {
            b.iter(|| {
                let mut filter = module.scrape_filter();
                filter.set_openmetrics(false);
                let mut out = Vec::with_capacity(64 * 1024);
                let mut total = 0;
                for chunk in text.chunks(64 * 1024) {
                    filter.on_chunk(chunk, &mut out);
                    total += out.len();
                    out.clear();
                }
                filter.finish(&mut out);
                black_box(total + out.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, datadog, otlp, otlp_paths, prometheus);
criterion_main!(benches);
