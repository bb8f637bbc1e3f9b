//! The policy view of one Prometheus sample.

use std::borrow::Cow;

use edge_policy::{AttrScope, MetricField, MetricType, MetricView, Temporality, ValueRef};

use super::parse::Label;

/// The `# TYPE` of a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Counter,
    Gauge,
    Histogram,
    GaugeHistogram,
    Summary,
    Info,
    StateSet,
    /// `unknown`, `untyped`, an unrecognised type or no `# TYPE` line.
    Unknown,
}

impl Kind {
    pub fn parse(text: &str) -> Kind {
        match text {
            "counter" => Kind::Counter,
            "gauge" => Kind::Gauge,
            "histogram" => Kind::Histogram,
            "gaugehistogram" => Kind::GaugeHistogram,
            "summary" => Kind::Summary,
            "info" => Kind::Info,
            "stateset" => Kind::StateSet,
            _ => Kind::Unknown,
        }
    }

    /// Sample-name suffixes that belong to a family of this type (both
    /// exposition formats; the bare family name always belongs).
    pub fn suffixes(self) -> &'static [&'static str] {
        match self {
            Kind::Counter => &["_total", "_created"],
            Kind::Histogram => &["_bucket", "_count", "_sum", "_created"],
            Kind::GaugeHistogram => &["_bucket", "_gcount", "_gsum"],
            Kind::Summary => &["_count", "_sum", "_created"],
            Kind::Info => &["_info"],
            Kind::Gauge | Kind::StateSet | Kind::Unknown => &[],
        }
    }

    /// The label that tells buckets or quantiles of one series apart; it is
    /// not a data point attribute (one OTLP data point holds all of them).
    pub fn series_label(self) -> Option<&'static str> {
        match self {
            Kind::Histogram | Kind::GaugeHistogram => Some("le"),
            Kind::Summary => Some("quantile"),
            _ => None,
        }
    }

    /// Mapping onto the policy metric types (documented in the README).
    pub fn metric_type(self) -> Option<MetricType> {
        match self {
            Kind::Counter => Some(MetricType::Sum),
            Kind::Gauge | Kind::Info | Kind::StateSet => Some(MetricType::Gauge),
            Kind::Histogram | Kind::GaugeHistogram => Some(MetricType::Histogram),
            Kind::Summary => Some(MetricType::Summary),
            Kind::Unknown => None,
        }
    }

    pub fn temporality(self) -> Option<Temporality> {
        match self {
            Kind::Counter | Kind::Histogram => Some(Temporality::Cumulative),
            _ => None,
        }
    }
}

/// What a policy sees of a family: name, `# HELP`, `# UNIT`, `# TYPE`.
#[derive(Debug, Default)]
pub(crate) struct FamilyMeta {
    /// The family name (unescaped); for a sample without metadata, its own
    /// name.
    pub name: String,
    /// The unescaped `# HELP` text.
    pub help: String,
    /// The `# UNIT` text.
    pub unit: String,
    /// The `# TYPE`.
    pub kind: Option<Kind>,
}

impl FamilyMeta {
    pub fn kind(&self) -> Kind {
        self.kind.unwrap_or(Kind::Unknown)
    }

    pub fn reset(&mut self, name: &str) {
        self.name.clear();
        self.name.push_str(name);
        self.help.clear();
        self.unit.clear();
        self.kind = None;
    }

    /// Whether a sample called `sample` belongs to this family.
    pub fn owns(&self, sample: &str) -> bool {
        match sample.strip_prefix(self.name.as_str()) {
            Some("") => true,
            Some(suffix) => self.kind().suffixes().contains(&suffix),
            None => false,
        }
    }
}

/// One sample line seen as a metric with one data point.
pub(crate) struct SampleView<'a> {
    pub family: &'a FamilyMeta,
    pub line: &'a str,
    pub labels: &'a [Label],
}

fn non_empty(s: &str) -> Option<ValueRef<'_>> {
    (!s.is_empty()).then(|| ValueRef::str(s))
}

impl MetricView for SampleView<'_> {
    fn metric_field(&self, field: MetricField) -> Option<ValueRef<'_>> {
        match field {
            MetricField::Name => non_empty(&self.family.name),
            MetricField::Description => non_empty(&self.family.help),
            MetricField::Unit => non_empty(&self.family.unit),
            // A scrape has no OTel scope or schema URLs.
            MetricField::ResourceSchemaUrl
            | MetricField::ScopeSchemaUrl
            | MetricField::ScopeName
            | MetricField::ScopeVersion => None,
        }
    }

    fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
        // Labels are flat strings: only one-segment paths resolve. The
        // scrape carries no resource or scope attributes (Prometheus adds
        // `job`/`instance` itself, after Edge).
        if scope != AttrScope::Record || path.len() != 1 {
            return None;
        }
        let key = path[0].as_str();
        if self.family.kind().series_label() == Some(key) {
            return None;
        }
        self.labels
            .iter()
            .find(|l| {
                if l.name.escaped {
                    l.name.text(self.line) == key
                } else {
                    l.name.raw(self.line) == key
                }
            })
            .map(|l| match l.value.text(self.line) {
                Cow::Borrowed(s) => ValueRef::str(s),
                Cow::Owned(s) => ValueRef::Str(Cow::Owned(s)),
            })
    }

    fn metric_type(&self) -> Option<MetricType> {
        self.family.kind().metric_type()
    }

    fn temporality(&self) -> Option<Temporality> {
        self.family.kind().temporality()
    }
}
