//! Prometheus scrape filter: `GET /metrics` (configurable).
//!
//! Edge fetches the application's scrape and streams it back filtered by
//! metric policies, one line at a time ([`ScrapeFilter`]):
//!
//! * a family (`# HELP`, `# TYPE`, `# UNIT` and its samples) is the metric:
//!   name, description (unescaped HELP text), unit, and type
//!   (`counter` → sum, `gauge`/`info`/`stateset` → gauge,
//!   `histogram`/`gaugehistogram` → histogram, `summary` → summary,
//!   `unknown`/`untyped`/none → no type); counters and histograms are
//!   cumulative;
//! * every sample line is evaluated as one data point: its labels are the
//!   data point attributes (values unescaped), except `le` of histograms
//!   and `quantile` of summaries, which only distinguish buckets of one
//!   series, so a series is always kept or dropped whole;
//! * a sample belongs to the open family when its name is the family name
//!   or the family name plus a suffix of the family's type (`_total`,
//!   `_created`, `_bucket`, `_count`, `_sum`, `_gcount`, `_gsum`,
//!   `_info`); otherwise it starts a family of its own, without metadata;
//! * kept lines are copied byte for byte; `# HELP`/`# TYPE`/`# UNIT` (and
//!   comments between them) are written only once a sample of the family
//!   survives; lines Edge cannot parse are copied (fail open) and counted;
//! * OpenMetrics (`application/openmetrics-text`) keeps exemplars and
//!   always ends with `# EOF`; in the classic text format exemplars are
//!   removed from kept lines (they are invalid there);
//! * memory is bounded (`max_line_bytes` for a partial line plus as much
//!   for a family's held headers) and a scrape is cut at
//!   `max_input_bytes` read or `max_output_bytes` written: the response then
//!   ends with an error ([`ResponseFilter::aborted`]), so the scraper sees a
//!   failed scrape (as with its own `body_size_limit`) instead of storing a
//!   partial one as complete.

mod decode;
mod filter;
mod parse;
#[cfg(test)]
mod tests;
mod view;

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use edge_policy::Registry;

pub use filter::ScrapeFilter;

use crate::{ProxyModule, RequestParts, ResponseFilter, Route, Routes};

/// The default scrape path.
pub const DEFAULT_PATH: &str = "/metrics";

/// Splits a scrape target URL into the upstream base (scheme, credentials,
/// host and port) and the path (with query) Edge fetches there. A target
/// without a path (or with just `/`) is fetched at the request's path, that
/// is `prometheus.path`; a target with a path is fetched at that path,
/// whatever `prometheus.path` (the route Edge serves) is:
/// `http://app:9100/stats/prometheus` → (`http://app:9100`,
/// `Some("/stats/prometheus")`).
pub fn scrape_target(target_url: &str) -> (String, Option<String>) {
    let trimmed = target_url.split('#').next().unwrap_or(target_url);
    let after_scheme = trimmed.find("://").map_or(0, |i| i + 3);
    let path_start = trimmed[after_scheme..]
        .find(['/', '?'])
        .map_or(trimmed.len(), |i| after_scheme + i);
    let (origin, target_path) = trimmed.split_at(path_start);
    let path = match target_path {
        "" | "/" => None,
        p if p.starts_with('?') => Some(format!("/{p}")),
        p => Some(p.to_owned()),
    };
    (origin.to_owned(), path)
}

/// Limits of one scrape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrometheusSettings {
    /// Exposition bytes read from the target (after decompression) before
    /// the scrape is cut.
    pub max_input_bytes: usize,
    /// Bytes written to the client before the scrape is cut.
    pub max_output_bytes: usize,
    /// Longest line parsed (longer ones are copied unparsed) and largest
    /// header block held for one family.
    pub max_line_bytes: usize,
}

impl Default for PrometheusSettings {
    fn default() -> Self {
        PrometheusSettings {
            max_input_bytes: 16 * 1024 * 1024,
            max_output_bytes: 16 * 1024 * 1024,
            max_line_bytes: 64 * 1024,
        }
    }
}

/// Counters of the Prometheus module (monotonic).
#[derive(Debug, Default)]
pub struct PrometheusStats {
    /// Scrapes filtered.
    pub scrapes: AtomicU64,
    /// Exposition bytes read.
    pub bytes_in: AtomicU64,
    /// Bytes written to clients.
    pub bytes_out: AtomicU64,
    /// Sample lines evaluated.
    pub samples: AtomicU64,
    /// Sample lines dropped by policy.
    pub samples_dropped: AtomicU64,
    /// Families of which no sample survived.
    pub families_dropped: AtomicU64,
    /// Lines that could not be parsed, forwarded as received.
    pub lines_unparsed: AtomicU64,
    /// Lines longer than `max_line_bytes`, forwarded unparsed.
    pub lines_oversized: AtomicU64,
    /// Exemplars removed from classic text-format scrapes.
    pub exemplars_stripped: AtomicU64,
    /// OpenMetrics scrapes that lacked `# EOF` and got one.
    pub eof_added: AtomicU64,
    /// Scrapes cut at a byte limit.
    pub scrapes_truncated: AtomicU64,
    /// Compressed scrapes that failed to decompress midway.
    pub scrapes_decode_failed: AtomicU64,
    /// Scrapes forwarded unfiltered (unsupported `Content-Encoding`).
    pub scrapes_unfiltered: AtomicU64,
    /// Internal faults caught (the scrape continued unfiltered).
    pub internal_errors: AtomicU64,
}

/// Serves the filtered scrape.
pub struct PrometheusModule {
    registry: Arc<Registry>,
    settings: PrometheusSettings,
    stats: Arc<PrometheusStats>,
}

impl PrometheusModule {
    /// A module filtering with `registry`'s current snapshot.
    pub fn new(registry: Arc<Registry>, settings: PrometheusSettings) -> Self {
        PrometheusModule {
            registry,
            settings,
            stats: Arc::default(),
        }
    }

    /// The module's counters.
    pub fn stats(&self) -> Arc<PrometheusStats> {
        self.stats.clone()
    }

    /// The route: `GET path`.
    pub fn routes(path: &str) -> Routes {
        Routes::Exact(vec![Route::get(path)])
    }

    /// A filter for one scrape, using the current policy snapshot.
    pub fn scrape_filter(&self) -> ScrapeFilter {
        ScrapeFilter::new(self.registry.snapshot(), self.settings, self.stats.clone())
    }
}

impl ProxyModule for PrometheusModule {
    fn name(&self) -> &str {
        "prometheus"
    }

    fn response_filter(&self, _req: &RequestParts<'_>) -> Option<Box<dyn ResponseFilter>> {
        Some(Box::new(self.scrape_filter()))
    }

    fn write_metrics(&self, out: &mut String) {
        let s = &self.stats;
        let counters = [
            (
                "edge_prometheus_scrapes_total",
                "Scrapes served through the filter (filtered or passed on).",
                &s.scrapes,
            ),
            (
                "edge_prometheus_bytes_in_total",
                "Scrape bytes read from the target.",
                &s.bytes_in,
            ),
            (
                "edge_prometheus_bytes_out_total",
                "Scrape bytes returned after filtering.",
                &s.bytes_out,
            ),
            (
                "edge_prometheus_samples_total",
                "Samples seen in scrapes.",
                &s.samples,
            ),
            (
                "edge_prometheus_samples_dropped_total",
                "Samples dropped by policies.",
                &s.samples_dropped,
            ),
            (
                "edge_prometheus_families_dropped_total",
                "Metric families of which no sample survived.",
                &s.families_dropped,
            ),
            (
                "edge_prometheus_exemplars_stripped_total",
                "Exemplars removed from classic text-format scrapes.",
                &s.exemplars_stripped,
            ),
            (
                "edge_prometheus_eof_added_total",
                "OpenMetrics `# EOF` lines added to a scrape that lacked one.",
                &s.eof_added,
            ),
            (
                "edge_prometheus_scrapes_truncated_total",
                "Scrapes cut at a byte limit.",
                &s.scrapes_truncated,
            ),
        ];
        for (name, help, value) in counters {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} counter");
            let _ = writeln!(out, "{name} {}", value.load(Ordering::Relaxed));
        }
        // A family of its own (not `edge_fail_open_total`): other modules
        // write that one, and a repeated `# TYPE` would break parsers.
        let _ = writeln!(
            out,
            "# HELP edge_prometheus_fail_open_total Scrape lines or scrapes not filtered (passed on, or the scrape cut short on a decode or internal error), by reason."
        );
        let _ = writeln!(out, "# TYPE edge_prometheus_fail_open_total counter");
        let fail_open = [
            ("line_unparsed", &s.lines_unparsed),
            ("line_oversized", &s.lines_oversized),
            ("decode_failed", &s.scrapes_decode_failed),
            ("encoding_unsupported", &s.scrapes_unfiltered),
            ("internal_error", &s.internal_errors),
        ];
        for (reason, value) in fail_open {
            let _ = writeln!(
                out,
                "edge_prometheus_fail_open_total{{reason=\"{reason}\"}} {}",
                value.load(Ordering::Relaxed)
            );
        }
    }
}
