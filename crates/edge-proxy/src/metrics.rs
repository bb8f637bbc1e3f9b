//! Edge's own counters, rendered in Prometheus text format.
//!
//! Everything here is lock-free: a request touches a handful of relaxed
//! atomic adds and nothing else.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds (seconds) of the duration histograms.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Lowest and highest status code counted individually.
const FIRST_CODE: u16 = 100;
const CODES: usize = 500;

/// Why an upstream attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpstreamErrorKind {
    /// Could not connect (refused, unreachable, DNS, TLS); nothing was sent.
    Connect,
    /// The connection was not established within the connect timeout;
    /// nothing was sent.
    ConnectTimeout,
    /// The exchange did not finish within the total timeout.
    Timeout,
    /// The connection was reset or closed before the response was complete.
    Reset,
    /// Any other failure (protocol error, invalid response).
    Other,
}

const KINDS: [UpstreamErrorKind; 5] = [
    UpstreamErrorKind::Connect,
    UpstreamErrorKind::ConnectTimeout,
    UpstreamErrorKind::Timeout,
    UpstreamErrorKind::Reset,
    UpstreamErrorKind::Other,
];

impl UpstreamErrorKind {
    /// The `kind` label of `edge_upstream_errors_total`.
    pub fn label(self) -> &'static str {
        match self {
            UpstreamErrorKind::Connect => "connect",
            UpstreamErrorKind::ConnectTimeout => "connect_timeout",
            UpstreamErrorKind::Timeout => "timeout",
            UpstreamErrorKind::Reset => "reset",
            UpstreamErrorKind::Other => "other",
        }
    }

    /// True when the request certainly never reached the upstream, so that
    /// sending it again cannot duplicate data.
    pub fn nothing_sent(self) -> bool {
        matches!(
            self,
            UpstreamErrorKind::Connect | UpstreamErrorKind::ConnectTimeout
        )
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Why an upstream request was sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryReason {
    /// The previous attempt could not connect.
    Connect,
    /// The upstream answered 502, 503 or 504.
    Status,
}

/// A histogram of durations with the fixed [`BUCKETS`]. Each observation
/// increments one bucket; rendering accumulates.
#[derive(Debug, Default)]
struct Histogram {
    /// Observations per bucket; the last slot is above the largest bound.
    buckets: [AtomicU64; BUCKETS.len() + 1],
    sum_micros: AtomicU64,
}

impl Histogram {
    fn observe(&self, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        let slot = BUCKETS
            .iter()
            .position(|bound| secs <= *bound)
            .unwrap_or(BUCKETS.len());
        self.buckets[slot].fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add(
            u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
    }

    /// Writes the `_bucket`, `_sum` and `_count` lines of one series;
    /// `labels` is empty or `key="value",` pairs ending with a comma.
    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let mut cumulative = 0u64;
        for (i, bound) in BUCKETS.iter().enumerate() {
            cumulative += self.buckets[i].load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{{labels}le=\"{bound}\"}} {cumulative}");
        }
        cumulative += self.buckets[BUCKETS.len()].load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{{labels}le=\"+Inf\"}} {cumulative}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let plain = labels.trim_end_matches(',');
        if plain.is_empty() {
            let _ = writeln!(out, "{name}_sum {sum}");
            let _ = writeln!(out, "{name}_count {cumulative}");
        } else {
            let _ = writeln!(out, "{name}_sum{{{plain}}} {sum}");
            let _ = writeln!(out, "{name}_count{{{plain}}} {cumulative}");
        }
    }
}

/// Per-route counters.
#[derive(Debug)]
struct RouteCounters {
    /// Responses by status class 1xx..5xx.
    by_class: [AtomicU64; 5],
    /// Responses by status code 100..599.
    by_code: Box<[AtomicU64]>,
    /// Time from request head received to response head ready.
    duration: Histogram,
    /// Time from sending upstream to the upstream's response head, per
    /// attempt (failed attempts included).
    upstream: Histogram,
}

impl Default for RouteCounters {
    fn default() -> Self {
        RouteCounters {
            by_class: Default::default(),
            by_code: (0..CODES).map(|_| AtomicU64::new(0)).collect(),
            duration: Histogram::default(),
            upstream: Histogram::default(),
        }
    }
}

/// All proxy metrics; lock-free.
#[derive(Debug)]
pub(crate) struct Metrics {
    route_names: Vec<String>,
    routes: Vec<RouteCounters>,
    upstream_errors: [AtomicU64; KINDS.len()],
    retries: [AtomicU64; 2],
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
    decode_failures: AtomicU64,
    too_large: AtomicU64,
    overloaded: AtomicU64,
    unfiltered_over_budget: AtomicU64,
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
            retries: Default::default(),
            bytes_in: AtomicU64::new(0),
            bytes_out: AtomicU64::new(0),
            decode_failures: AtomicU64::new(0),
            too_large: AtomicU64::new(0),
            overloaded: AtomicU64::new(0),
            unfiltered_over_budget: AtomicU64::new(0),
        }
    }

    pub(crate) fn request_done(&self, route: usize, status: u16, elapsed: Duration) {
        let Some(r) = self.routes.get(route) else {
            return;
        };
        let class = (status / 100).clamp(1, 5) as usize - 1;
        r.by_class[class].fetch_add(1, Ordering::Relaxed);
        if let Some(c) = status
            .checked_sub(FIRST_CODE)
            .and_then(|i| r.by_code.get(usize::from(i)))
        {
            c.fetch_add(1, Ordering::Relaxed);
        }
        r.duration.observe(elapsed);
    }

    /// One upstream attempt finished (response head or failure) after
    /// `elapsed`.
    pub(crate) fn upstream_attempt(&self, route: usize, elapsed: Duration) {
        if let Some(r) = self.routes.get(route) {
            r.upstream.observe(elapsed);
        }
    }

    pub(crate) fn upstream_error(&self, kind: UpstreamErrorKind) {
        self.upstream_errors[kind.index()].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn retry(&self, reason: RetryReason) {
        self.retries[reason as usize].fetch_add(1, Ordering::Relaxed);
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

    /// A body forwarded unfiltered because filtering it could never fit
    /// `max_inflight_bytes`.
    pub(crate) fn unfiltered_over_budget(&self) {
        self.unfiltered_over_budget.fetch_add(1, Ordering::Relaxed);
    }

    /// A request refused with `503` at the concurrency or in-flight bytes limit.
    pub(crate) fn overloaded(&self) {
        self.overloaded.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn render(&self, out: &mut String) {
        let _ = writeln!(out, "# HELP edge_build_info Edge version.");
        let _ = writeln!(out, "# TYPE edge_build_info gauge");
        let _ = writeln!(
            out,
            "edge_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        );
        let routes = || self.route_names.iter().zip(&self.routes);

        let _ = writeln!(
            out,
            "# HELP edge_requests_total Requests answered, by route and status class."
        );
        let _ = writeln!(out, "# TYPE edge_requests_total counter");
        for (name, counters) in routes() {
            for (i, c) in counters.by_class.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "edge_requests_total{{route=\"{name}\",status_class=\"{}xx\"}} {}",
                    i + 1,
                    c.load(Ordering::Relaxed)
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP edge_responses_total Responses by route and exact status code (codes seen so far)."
        );
        let _ = writeln!(out, "# TYPE edge_responses_total counter");
        for (name, counters) in routes() {
            for (i, c) in counters.by_code.iter().enumerate() {
                let n = c.load(Ordering::Relaxed);
                if n > 0 {
                    let _ = writeln!(
                        out,
                        "edge_responses_total{{route=\"{name}\",code=\"{}\"}} {n}",
                        usize::from(FIRST_CODE) + i
                    );
                }
            }
        }
        let _ = writeln!(
            out,
            "# HELP edge_request_duration_seconds Time from request head to response head, by route."
        );
        let _ = writeln!(out, "# TYPE edge_request_duration_seconds histogram");
        for (name, counters) in routes() {
            counters.duration.render(
                out,
                "edge_request_duration_seconds",
                &format!("route=\"{name}\","),
            );
        }
        let _ = writeln!(
            out,
            "# HELP edge_upstream_duration_seconds Time from sending upstream to the upstream's response head (or failure), per attempt, by route."
        );
        let _ = writeln!(out, "# TYPE edge_upstream_duration_seconds histogram");
        for (name, counters) in routes() {
            counters.upstream.render(
                out,
                "edge_upstream_duration_seconds",
                &format!("route=\"{name}\","),
            );
        }
        let _ = writeln!(
            out,
            "# HELP edge_upstream_errors_total Failed upstream attempts, by kind."
        );
        let _ = writeln!(out, "# TYPE edge_upstream_errors_total counter");
        for kind in KINDS {
            let _ = writeln!(
                out,
                "edge_upstream_errors_total{{kind=\"{}\"}} {}",
                kind.label(),
                self.upstream_errors[kind.index()].load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(
            out,
            "# HELP edge_upstream_retries_total Upstream requests sent again, by reason."
        );
        let _ = writeln!(out, "# TYPE edge_upstream_retries_total counter");
        for (reason, c) in ["connect", "status"].iter().zip(&self.retries) {
            let _ = writeln!(
                out,
                "edge_upstream_retries_total{{reason=\"{reason}\"}} {}",
                c.load(Ordering::Relaxed)
            );
        }
        let simple = [
            (
                "edge_request_bytes_received_total",
                "Request body bytes received from clients, as sent (compressed or not).",
                &self.bytes_in,
            ),
            (
                "edge_request_bytes_forwarded_total",
                "Request body bytes handed to the upstream client (compressed or not; counted also when the upstream then fails).",
                &self.bytes_out,
            ),
            (
                "edge_request_decode_failures_total",
                "Request bodies that could not be decompressed or decoded.",
                &self.decode_failures,
            ),
            (
                "edge_request_too_large_total",
                "Requests refused with 413 (body or decoded size over its limit).",
                &self.too_large,
            ),
            (
                "edge_request_overloaded_total",
                "Requests refused with 503 at the concurrency limit or the in-flight byte budget.",
                &self.overloaded,
            ),
            (
                "edge_request_unfiltered_over_budget_total",
                "Requests forwarded without running policies because processing them did not fit the budget.",
                &self.unfiltered_over_budget,
            ),
        ];
        for (name, help, c) in simple {
            let _ = writeln!(out, "# HELP {name} {help}");
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
        m.upstream_attempt(0, Duration::from_millis(7));
        m.retry(RetryReason::Connect);
        let mut out = String::new();
        m.render(&mut out);
        for line in [
            "edge_requests_total{route=\"datadog_logs\",status_class=\"2xx\"} 1",
            "edge_requests_total{route=\"datadog_logs\",status_class=\"5xx\"} 1",
            "edge_requests_total{route=\"passthrough\",status_class=\"4xx\"} 1",
            "edge_responses_total{route=\"datadog_logs\",code=\"502\"} 1",
            "edge_responses_total{route=\"passthrough\",code=\"404\"} 1",
            "edge_request_duration_seconds_bucket{route=\"datadog_logs\",le=\"0.005\"} 1",
            "edge_request_duration_seconds_bucket{route=\"datadog_logs\",le=\"0.05\"} 2",
            "edge_request_duration_seconds_bucket{route=\"passthrough\",le=\"10\"} 0",
            "edge_request_duration_seconds_bucket{route=\"passthrough\",le=\"+Inf\"} 1",
            "edge_request_duration_seconds_count{route=\"datadog_logs\"} 2",
            "edge_upstream_duration_seconds_bucket{route=\"datadog_logs\",le=\"0.01\"} 1",
            "edge_upstream_errors_total{kind=\"timeout\"} 1",
            "edge_upstream_errors_total{kind=\"connect\"} 0",
            "edge_upstream_retries_total{reason=\"connect\"} 1",
        ] {
            assert!(out.lines().any(|l| l == line), "missing {line}\n{out}");
        }
        assert!(!out.contains("code=\"200\""), "{out}");
    }

    #[test]
    fn odd_status_codes_do_not_panic() {
        let m = Metrics::new(vec!["r".into()]);
        m.request_done(0, 99, Duration::ZERO);
        m.request_done(0, 999, Duration::ZERO);
        m.request_done(7, 200, Duration::ZERO);
        let mut out = String::new();
        m.render(&mut out);
        assert!(out.contains("edge_requests_total{route=\"r\",status_class=\"1xx\"} 1"));
        assert!(out.contains("edge_requests_total{route=\"r\",status_class=\"5xx\"} 1"));
    }
}
