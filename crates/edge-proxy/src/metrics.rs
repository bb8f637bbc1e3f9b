//! Edge's own counters, rendered in Prometheus text format.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds (seconds) of the request duration histogram.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Why the upstream exchange failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpstreamErrorKind {
    /// Could not connect (refused, DNS, TLS).
    Connect,
    /// Connect or total timeout.
    Timeout,
    /// Reset or protocol error after connecting.
    Other,
}

impl UpstreamErrorKind {
    fn index(self) -> usize {
        self as usize
    }
    fn label(i: usize) -> &'static str {
        ["connect", "timeout", "other"][i]
    }
}

/// Per-route counters.
#[derive(Debug, Default)]
struct RouteCounters {
    /// Responses by status class 1xx..5xx.
    by_class: [AtomicU64; 5],
}

/// All proxy metrics; lock-free.
#[derive(Debug)]
pub(crate) struct Metrics {
    route_names: Vec<String>,
    routes: Vec<RouteCounters>,
    upstream_errors: [AtomicU64; 3],
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
    decode_failures: AtomicU64,
    too_large: AtomicU64,
    duration_buckets: [AtomicU64; BUCKETS.len()],
    duration_count: AtomicU64,
    duration_sum_micros: AtomicU64,
}

impl Metrics {
    /// Metrics for routes named `route_names` (index = route id).
    pub(crate) fn new(route_names: Vec<String>) -> Self {
        let routes = route_names
            .iter()
            .map(|_| RouteCounters::default())
            .collect();
        Metrics {
            route_names,
            routes,
            upstream_errors: Default::default(),
            bytes_in: AtomicU64::new(0),
            bytes_out: AtomicU64::new(0),
            decode_failures: AtomicU64::new(0),
            too_large: AtomicU64::new(0),
            duration_buckets: Default::default(),
            duration_count: AtomicU64::new(0),
            duration_sum_micros: AtomicU64::new(0),
        }
    }

    pub(crate) fn request_done(&self, route: usize, status: u16, elapsed: Duration) {
        let class = (status / 100).clamp(1, 5) as usize - 1;
        if let Some(r) = self.routes.get(route) {
            r.by_class[class].fetch_add(1, Ordering::Relaxed);
        }
        let secs = elapsed.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                self.duration_buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.duration_count.fetch_add(1, Ordering::Relaxed);
        self.duration_sum_micros
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    pub(crate) fn upstream_error(&self, kind: UpstreamErrorKind) {
        self.upstream_errors[kind.index()].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn bytes(&self, received: usize, sent: usize) {
        self.bytes_in.fetch_add(received as u64, Ordering::Relaxed);
        self.bytes_out.fetch_add(sent as u64, Ordering::Relaxed);
    }

    pub(crate) fn decode_failure(&self) {
        self.decode_failures.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn too_large(&self) {
        self.too_large.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn render(&self, out: &mut String) {
        let _ = writeln!(out, "# TYPE edge_build_info gauge");
        let _ = writeln!(
            out,
            "edge_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        );
        let _ = writeln!(out, "# TYPE edge_requests_total counter");
        for (name, counters) in self.route_names.iter().zip(&self.routes) {
            for (i, c) in counters.by_class.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "edge_requests_total{{route=\"{name}\",status_class=\"{}xx\"}} {}",
                    i + 1,
                    c.load(Ordering::Relaxed)
                );
            }
        }
        let _ = writeln!(out, "# TYPE edge_request_duration_seconds histogram");
        for (i, bound) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "edge_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                self.duration_buckets[i].load(Ordering::Relaxed)
            );
        }
        let count = self.duration_count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "edge_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "edge_request_duration_seconds_sum {}",
            self.duration_sum_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(out, "edge_request_duration_seconds_count {count}");
        let _ = writeln!(out, "# TYPE edge_upstream_errors_total counter");
        for (i, c) in self.upstream_errors.iter().enumerate() {
            let _ = writeln!(
                out,
                "edge_upstream_errors_total{{kind=\"{}\"}} {}",
                UpstreamErrorKind::label(i),
                c.load(Ordering::Relaxed)
            );
        }
        let simple = [
            ("edge_request_bytes_received_total", &self.bytes_in),
            ("edge_request_bytes_forwarded_total", &self.bytes_out),
            ("edge_request_decode_failures_total", &self.decode_failures),
            ("edge_request_too_large_total", &self.too_large),
        ];
        for (name, c) in simple {
            let _ = writeln!(out, "# TYPE {name} counter");
            let _ = writeln!(out, "{name} {}", c.load(Ordering::Relaxed));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_by_route_and_class() {
        let m = Metrics::new(vec!["datadog_logs".into(), "passthrough".into()]);
        m.request_done(0, 202, Duration::from_millis(3));
        m.request_done(0, 502, Duration::from_millis(30));
        m.request_done(1, 404, Duration::from_secs(20));
        m.upstream_error(UpstreamErrorKind::Timeout);
        let mut out = String::new();
        m.render(&mut out);
        assert!(out.contains("edge_requests_total{route=\"datadog_logs\",status_class=\"2xx\"} 1"));
        assert!(out.contains("edge_requests_total{route=\"datadog_logs\",status_class=\"5xx\"} 1"));
        assert!(out.contains("edge_requests_total{route=\"passthrough\",status_class=\"4xx\"} 1"));
        assert!(out.contains("edge_request_duration_seconds_bucket{le=\"0.005\"} 1"));
        assert!(out.contains("edge_request_duration_seconds_bucket{le=\"+Inf\"} 3"));
        assert!(out.contains("edge_upstream_errors_total{kind=\"timeout\"} 1"));
    }
}
