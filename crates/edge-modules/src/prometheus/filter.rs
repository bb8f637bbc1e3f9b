//! The streaming scrape filter: one instance per scrape.
//!
//! Memory is bounded by the partial-line buffer (`max_line_bytes`) plus the
//! pending header block of the current family (also `max_line_bytes`); the
//! rest of the scrape streams through. Lines are copied to the output byte
//! for byte; the only rewrite is the removal of exemplars from a classic
//! `text/plain` scrape, where they are invalid.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use edge_policy::PolicySnapshot;
use http::{HeaderMap, StatusCode};

use super::decode::BodyDecoder;
use super::parse::{parse_line, Label, Line, MetaKind, Token};
use super::view::{FamilyMeta, Kind, SampleView};
use super::{PrometheusSettings, PrometheusStats};
use crate::ResponseFilter;

/// How the filter treats the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Parse and filter line by line.
    Filter,
    /// Copy through unchanged (only the byte caps apply): error responses,
    /// unknown encodings, no metric policies, or after an internal fault.
    Copy,
    /// Drop everything that follows (a cap was hit or decoding failed).
    Stopped,
}

/// Counts of one scrape, added to the module's totals when it ends.
#[derive(Debug, Default)]
struct Counts {
    bytes_in: u64,
    bytes_out: u64,
    samples: u64,
    samples_dropped: u64,
    families_dropped: u64,
    lines_unparsed: u64,
    lines_oversized: u64,
    exemplars_stripped: u64,
    eof_added: u64,
    truncated: bool,
    decode_failed: bool,
    unfiltered: bool,
}

/// The family currently being streamed.
#[derive(Debug, Default)]
struct Family {
    meta: FamilyMeta,
    /// Whether a family is open.
    open: bool,
    /// Whether its header lines were written (a sample survived, or we had
    /// to flush them to fail open).
    emitted: bool,
    samples: u64,
    kept: u64,
}

/// A Prometheus scrape filter (see the module documentation).
pub struct ScrapeFilter {
    snapshot: Arc<PolicySnapshot>,
    settings: PrometheusSettings,
    stats: Arc<PrometheusStats>,
    mode: Mode,
    openmetrics: bool,
    decoder: Option<BodyDecoder>,
    /// Whether the body is being decompressed (the header was removed).
    decoding: bool,
    /// A line not yet terminated by `\n`.
    partial: Vec<u8>,
    /// Inside a line longer than `max_line_bytes`: copying it until its end.
    in_long_line: bool,
    /// Header and comment lines of the current family, held until a sample
    /// survives.
    pending: Vec<u8>,
    family: Family,
    labels: Vec<Label>,
    /// Attribute key of the last evaluated sample and its verdict: samples
    /// of one series (histogram buckets, summary quantiles) are evaluated
    /// once.
    last_key: Vec<u8>,
    scratch_key: Vec<u8>,
    last_keep: Option<bool>,
    saw_eof: bool,
    last_out: Option<u8>,
    counts: Counts,
    finished: bool,
}

impl ScrapeFilter {
    /// A filter evaluating against `snapshot` (one snapshot for the whole
    /// scrape, so all samples of a series get the same verdict).
    pub fn new(
        snapshot: Arc<PolicySnapshot>,
        settings: PrometheusSettings,
        stats: Arc<PrometheusStats>,
    ) -> Self {
        let mode = if snapshot.has_metric_policies() {
            Mode::Filter
        } else {
            Mode::Copy
        };
        ScrapeFilter {
            snapshot,
            settings,
            stats,
            mode,
            openmetrics: false,
            decoder: None,
            decoding: false,
            partial: Vec::new(),
            in_long_line: false,
            pending: Vec::new(),
            family: Family::default(),
            labels: Vec::new(),
            last_key: Vec::new(),
            scratch_key: Vec::new(),
            last_keep: None,
            saw_eof: false,
            last_out: None,
            counts: Counts::default(),
            finished: false,
        }
    }

    /// Whether the scrape is parsed as OpenMetrics (decided by `on_head`).
    pub fn is_openmetrics(&self) -> bool {
        self.openmetrics
    }

    /// Sets the exposition format without a response head (tests).
    pub fn set_openmetrics(&mut self, openmetrics: bool) {
        self.openmetrics = openmetrics;
    }

    // --- output -----------------------------------------------------------

    fn emit(&mut self, out: &mut Vec<u8>, bytes: &[u8]) -> bool {
        if self.mode == Mode::Stopped {
            return false;
        }
        if self.counts.bytes_out + bytes.len() as u64 > self.settings.max_output_bytes as u64 {
            self.stop_truncated(out, "max_output_bytes_per_scrape");
            return false;
        }
        if let Some(&b) = bytes.last() {
            self.last_out = Some(b);
        }
        self.counts.bytes_out += bytes.len() as u64;
        out.extend_from_slice(bytes);
        true
    }

    fn stop_truncated(&mut self, _out: &mut Vec<u8>, limit: &'static str) {
        if self.mode != Mode::Stopped {
            self.counts.truncated = true;
            self.mode = Mode::Stopped;
            tracing::warn!(
                limit,
                bytes_in = self.counts.bytes_in,
                bytes_out = self.counts.bytes_out,
                "prometheus scrape truncated at a limit"
            );
        }
    }

    fn flush_pending(&mut self, out: &mut Vec<u8>) {
        if !self.pending.is_empty() {
            let pending = std::mem::take(&mut self.pending);
            self.emit(out, &pending);
            self.pending = pending;
            self.pending.clear();
        }
        if self.family.open {
            self.family.emitted = true;
        }
    }

    // --- input ------------------------------------------------------------

    /// Feeds decoded exposition bytes.
    fn feed(&mut self, mut data: &[u8], out: &mut Vec<u8>) {
        if self.mode == Mode::Stopped {
            return;
        }
        let room = self
            .settings
            .max_input_bytes
            .saturating_sub(self.counts.bytes_in as usize);
        let over = data.len() > room;
        if over {
            data = &data[..room];
        }
        self.counts.bytes_in += data.len() as u64;
        if self.mode == Mode::Copy {
            self.emit(out, data);
        } else {
            self.feed_lines(data, out);
        }
        if over {
            // The unterminated rest of the last line is dropped with it.
            self.partial.clear();
            self.stop_truncated(out, "max_input_bytes_per_scrape");
        }
    }

    fn feed_lines(&mut self, mut data: &[u8], out: &mut Vec<u8>) {
        while !data.is_empty() && self.mode == Mode::Filter {
            let newline = memchr::memchr(b'\n', data);
            if self.in_long_line {
                let end = newline.map_or(data.len(), |i| i + 1);
                self.emit(out, &data[..end]);
                if newline.is_some() {
                    self.in_long_line = false;
                }
                data = &data[end..];
                continue;
            }
            match newline {
                Some(i) => {
                    let (line, rest) = data.split_at(i + 1);
                    if self.partial.is_empty() {
                        self.line(line, out);
                    } else {
                        let mut buf = std::mem::take(&mut self.partial);
                        buf.extend_from_slice(line);
                        self.line(&buf, out);
                        buf.clear();
                        self.partial = buf;
                    }
                    data = rest;
                }
                None => {
                    if self.partial.len() + data.len() > self.settings.max_line_bytes {
                        // Too long to hold: copy it through unparsed.
                        self.counts.lines_oversized += 1;
                        self.flush_pending(out);
                        let partial = std::mem::take(&mut self.partial);
                        self.emit(out, &partial);
                        self.emit(out, data);
                        self.in_long_line = true;
                    } else {
                        self.partial.extend_from_slice(data);
                    }
                    return;
                }
            }
        }
        if self.mode == Mode::Copy && !data.is_empty() {
            self.emit(out, data);
        }
    }

    /// One complete line, including its terminator (absent only for the
    /// last line of a body).
    fn line(&mut self, raw: &[u8], out: &mut Vec<u8>) {
        let mut content = raw;
        if let Some(stripped) = content.strip_suffix(b"\n") {
            content = stripped;
            if let Some(stripped) = content.strip_suffix(b"\r") {
                content = stripped;
            }
        }
        let Ok(text) = std::str::from_utf8(content) else {
            return self.unparsed(raw, out);
        };
        let mut labels = std::mem::take(&mut self.labels);
        match parse_line(text, &mut labels) {
            Ok(Line::Blank) | Ok(Line::Comment) => self.comment(raw, out),
            Ok(Line::Meta {
                kind,
                name,
                text: value,
            }) => self.meta(raw, text, kind, &name, &value, out),
            Ok(Line::Eof) => {
                self.close_family(out);
                self.saw_eof = true;
                self.emit(out, raw);
            }
            Ok(Line::Sample { name, exemplar_at }) => {
                self.sample(raw, text, &name, exemplar_at, &labels, out)
            }
            Err(error) => {
                tracing::debug!(%error, "unparsable exposition line forwarded");
                self.unparsed(raw, out)
            }
        }
        self.labels = labels;
    }

    fn unparsed(&mut self, raw: &[u8], out: &mut Vec<u8>) {
        self.counts.lines_unparsed += 1;
        // Fail open: keep the family's headers in front of the line, in
        // their original order.
        self.flush_pending(out);
        self.emit(out, raw);
    }

    fn comment(&mut self, raw: &[u8], out: &mut Vec<u8>) {
        // Comments among a family's metadata stay with it; once samples
        // have started they are not the family's any more.
        let f = &self.family;
        if f.open && !f.emitted && f.samples == 0 && !self.pending.is_empty() {
            self.hold(raw, out);
        } else {
            self.emit(out, raw);
        }
    }

    /// Adds a line to the pending header block, flushing the block when it
    /// would outgrow its bound.
    fn hold(&mut self, raw: &[u8], out: &mut Vec<u8>) {
        if self.pending.len() + raw.len() > self.settings.max_line_bytes {
            self.flush_pending(out);
            self.emit(out, raw);
        } else {
            self.pending.extend_from_slice(raw);
        }
    }

    fn close_family(&mut self, out: &mut Vec<u8>) {
        if self.family.open && !self.family.emitted && self.family.samples == 0 {
            // Metadata without samples: nothing was dropped, keep it.
            self.flush_pending(out);
        }
        let f = &mut self.family;
        if f.open && f.samples > 0 && f.kept == 0 {
            self.counts.families_dropped += 1;
        }
        f.open = false;
        f.emitted = false;
        f.samples = 0;
        f.kept = 0;
        self.pending.clear();
        self.last_keep = None;
    }

    fn open_family(&mut self, name: &str, out: &mut Vec<u8>) {
        self.close_family(out);
        self.family.meta.reset(name);
        self.family.open = true;
    }

    fn meta(
        &mut self,
        raw: &[u8],
        line: &str,
        kind: MetaKind,
        name: &Token,
        value: &Token,
        out: &mut Vec<u8>,
    ) {
        let name = name.text(line);
        if !(self.family.open && self.family.meta.name == name) {
            self.open_family(&name, out);
        }
        let meta = &mut self.family.meta;
        match kind {
            MetaKind::Help => {
                meta.help.clear();
                meta.help.push_str(&value.text(line));
            }
            MetaKind::Type => meta.kind = Some(Kind::parse(value.raw(line))),
            MetaKind::Unit => {
                meta.unit.clear();
                meta.unit.push_str(value.raw(line));
            }
        }
        self.last_keep = None;
        if self.family.emitted {
            self.emit(out, raw);
        } else {
            self.hold(raw, out);
        }
    }

    fn sample(
        &mut self,
        raw: &[u8],
        line: &str,
        name: &Token,
        exemplar_at: Option<usize>,
        labels: &[Label],
        out: &mut Vec<u8>,
    ) {
        let sample_name = name.text(line);
        if !(self.family.open && self.family.meta.owns(&sample_name)) {
            // A sample without metadata of its own: its own family.
            self.open_family(&sample_name, out);
        }
        self.family.samples += 1;
        self.counts.samples += 1;

        let keep = self.verdict(line, labels);
        if !keep {
            self.counts.samples_dropped += 1;
            return;
        }
        self.family.kept += 1;
        if !self.family.emitted {
            self.flush_pending(out);
        }
        match exemplar_at {
            Some(at) if !self.openmetrics => {
                // Exemplars are invalid in the classic text format.
                self.counts.exemplars_stripped += 1;
                let eol = &raw[line.len()..];
                self.emit(out, &raw[..at]);
                self.emit(out, eol);
            }
            _ => {
                self.emit(out, raw);
            }
        }
    }

    fn verdict(&mut self, line: &str, labels: &[Label]) -> bool {
        let skip = self.family.meta.kind().series_label();
        let key = &mut self.scratch_key;
        key.clear();
        for l in labels {
            let name = l.name.raw(line);
            if Some(name) == skip && !l.name.escaped {
                continue;
            }
            key.extend_from_slice(name.as_bytes());
            key.push(0xff);
            key.extend_from_slice(l.value.raw(line).as_bytes());
            key.push(0xfe);
        }
        if let Some(keep) = self.last_keep {
            if self.scratch_key == self.last_key {
                return keep;
            }
        }
        let view = SampleView {
            family: &self.family.meta,
            line,
            labels,
        };
        let keep = self.snapshot.evaluate_metric(&view).keep();
        std::mem::swap(&mut self.last_key, &mut self.scratch_key);
        self.last_keep = Some(keep);
        keep
    }

    // --- lifecycle ----------------------------------------------------------

    fn process_chunk(&mut self, chunk: &[u8], out: &mut Vec<u8>) {
        if self.mode == Mode::Stopped {
            return;
        }
        match self.decoder.take() {
            None => self.feed(chunk, out),
            Some(mut decoder) => {
                let result = decoder.decode(chunk, &mut |piece| {
                    self.feed(piece, out);
                    self.mode != Mode::Stopped
                });
                self.decoder = Some(decoder);
                if let Err(error) = result {
                    self.decode_failed(&error);
                }
            }
        }
    }

    fn decode_failed(&mut self, error: &std::io::Error) {
        // Part of the scrape may already be out; the rest cannot be read.
        tracing::warn!(%error, "prometheus scrape body could not be decompressed; scrape cut short");
        self.counts.decode_failed = true;
        self.mode = Mode::Stopped;
    }

    fn process_finish(&mut self, out: &mut Vec<u8>) {
        if let Some(mut decoder) = self.decoder.take() {
            if self.mode != Mode::Stopped {
                let result = decoder.finish(&mut |piece| {
                    self.feed(piece, out);
                    self.mode != Mode::Stopped
                });
                if let Err(error) = result {
                    self.decode_failed(&error);
                }
            }
        }
        if self.mode == Mode::Filter {
            if !self.partial.is_empty() {
                let last = std::mem::take(&mut self.partial);
                self.line(&last, out);
            }
            self.close_family(out);
            if self.openmetrics && !self.saw_eof {
                // OpenMetrics requires the terminator; the target forgot it.
                self.counts.eof_added += 1;
                if self.last_out.is_some_and(|b| b != b'\n') {
                    self.emit(out, b"\n");
                }
                self.emit(out, b"# EOF\n");
            }
        }
    }

    /// Runs `f`, turning a panic (a bug) into a fail-open copy of the rest
    /// of the scrape instead of an aborted response.
    fn guarded(&mut self, out: &mut Vec<u8>, input: &[u8], f: fn(&mut Self, &[u8], &mut Vec<u8>)) {
        let mark = out.len();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self, input, out)));
        if result.is_err() {
            tracing::error!("prometheus filter failed; copying the rest of the scrape unfiltered");
            self.stats.internal_errors.fetch_add(1, Ordering::Relaxed);
            out.truncate(mark);
            if self.decoding {
                // The raw input is compressed; it cannot be appended to
                // decoded output.
                self.mode = Mode::Stopped;
                return;
            }
            let pending = std::mem::take(&mut self.pending);
            let partial = std::mem::take(&mut self.partial);
            self.mode = Mode::Copy;
            self.emit(out, &pending);
            self.emit(out, &partial);
            self.emit(out, input);
        }
    }

    fn publish(&mut self) {
        if self.finished {
            return;
        }
        self.finished = true;
        let c = &self.counts;
        let s = &self.stats;
        s.scrapes.fetch_add(1, Ordering::Relaxed);
        s.bytes_in.fetch_add(c.bytes_in, Ordering::Relaxed);
        s.bytes_out.fetch_add(c.bytes_out, Ordering::Relaxed);
        s.samples.fetch_add(c.samples, Ordering::Relaxed);
        s.samples_dropped
            .fetch_add(c.samples_dropped, Ordering::Relaxed);
        s.families_dropped
            .fetch_add(c.families_dropped, Ordering::Relaxed);
        s.lines_unparsed
            .fetch_add(c.lines_unparsed, Ordering::Relaxed);
        s.lines_oversized
            .fetch_add(c.lines_oversized, Ordering::Relaxed);
        s.exemplars_stripped
            .fetch_add(c.exemplars_stripped, Ordering::Relaxed);
        s.eof_added.fetch_add(c.eof_added, Ordering::Relaxed);
        s.scrapes_truncated
            .fetch_add(u64::from(c.truncated), Ordering::Relaxed);
        s.scrapes_decode_failed
            .fetch_add(u64::from(c.decode_failed), Ordering::Relaxed);
        s.scrapes_unfiltered
            .fetch_add(u64::from(c.unfiltered), Ordering::Relaxed);
        tracing::debug!(
            bytes_in = c.bytes_in,
            bytes_out = c.bytes_out,
            samples = c.samples,
            samples_dropped = c.samples_dropped,
            lines_unparsed = c.lines_unparsed,
            truncated = c.truncated,
            "prometheus scrape filtered"
        );
    }
}

fn is_openmetrics(headers: &HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim())
        .is_some_and(|essence| essence.eq_ignore_ascii_case("application/openmetrics-text"))
}

impl ResponseFilter for ScrapeFilter {
    fn on_head(&mut self, status: StatusCode, headers: &mut HeaderMap) {
        self.openmetrics = is_openmetrics(headers);
        if !status.is_success() {
            // Error pages are the target's business.
            self.mode = Mode::Copy;
            return;
        }
        if self.mode != Mode::Filter {
            return;
        }
        let encoding = headers
            .get(http::header::CONTENT_ENCODING)
            .map(|v| v.to_str().unwrap_or("unreadable").to_owned());
        if let Some(encoding) = encoding {
            match BodyDecoder::for_encoding(&encoding) {
                Ok(None) => {}
                Ok(Some(decoder)) => {
                    // Edge sends the filtered scrape uncompressed, which
                    // every client accepts.
                    self.decoder = Some(decoder);
                    self.decoding = true;
                    headers.remove(http::header::CONTENT_ENCODING);
                }
                Err(_) => {
                    tracing::warn!(
                        encoding,
                        "prometheus scrape encoding not supported; forwarded unfiltered"
                    );
                    self.counts.unfiltered = true;
                    self.mode = Mode::Copy;
                }
            }
        }
    }

    fn on_chunk(&mut self, chunk: &[u8], out: &mut Vec<u8>) {
        self.guarded(out, chunk, Self::process_chunk);
    }

    fn aborted(&self) -> bool {
        // A scrape cut short (a byte limit, a body that cannot be
        // decompressed, a failure while decoding) must fail, as Prometheus
        // fails a scrape over its own `body_size_limit`: stored as complete,
        // its missing series would go stale.
        self.mode == Mode::Stopped
    }

    fn finish(&mut self, out: &mut Vec<u8>) {
        self.guarded(out, &[], |me, _, out| me.process_finish(out));
        self.publish();
    }
}

impl Drop for ScrapeFilter {
    fn drop(&mut self) {
        // A scrape the client abandoned still counts.
        self.publish();
    }
}
