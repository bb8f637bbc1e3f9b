//! The policy view of one Datadog series.

use std::borrow::Cow;

use edge_policy::{AttrScope, MetricField, MetricType, MetricView, Temporality, ValueRef};
use serde::Deserialize;
use serde_json::value::RawValue;

/// A Datadog series kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesKind {
    /// v2 `0`: unspecified.
    Unspecified,
    /// v2 `1`, v1 `"count"`.
    Count,
    /// v2 `2`, v1 `"rate"`.
    Rate,
    /// v2 `3`, v1 `"gauge"`.
    Gauge,
}

impl SeriesKind {
    /// Reads the `type` field in either API version's form: an integer
    /// (v2) or a string (v1; also accepted on v2). `None` when unknown.
    pub fn from_raw(raw: &RawValue) -> Option<SeriesKind> {
        let text = raw.get().trim();
        if text.starts_with('"') {
            let s: Cow<'_, str> = serde_json::from_str(text).ok()?;
            match s.to_ascii_lowercase().as_str() {
                "count" => Some(SeriesKind::Count),
                "rate" => Some(SeriesKind::Rate),
                "gauge" => Some(SeriesKind::Gauge),
                "unspecified" => Some(SeriesKind::Unspecified),
                _ => None,
            }
        } else {
            match text.parse::<i64>().ok()? {
                0 => Some(SeriesKind::Unspecified),
                1 => Some(SeriesKind::Count),
                2 => Some(SeriesKind::Rate),
                3 => Some(SeriesKind::Gauge),
                _ => None,
            }
        }
    }

    /// Mapping onto the policy metric types: counts and rates are sums of
    /// one flush interval (delta), gauges are gauges.
    pub fn metric_type(self) -> Option<MetricType> {
        match self {
            SeriesKind::Count | SeriesKind::Rate => Some(MetricType::Sum),
            SeriesKind::Gauge => Some(MetricType::Gauge),
            SeriesKind::Unspecified => None,
        }
    }

    /// Counts and rates are per-interval values: delta temporality.
    pub fn temporality(self) -> Option<Temporality> {
        match self {
            SeriesKind::Count | SeriesKind::Rate => Some(Temporality::Delta),
            SeriesKind::Gauge | SeriesKind::Unspecified => None,
        }
    }
}

/// A JSON string borrowed from the body when it has no escapes.
#[derive(Debug, Deserialize)]
pub struct JsonStr<'a>(#[serde(borrow)] pub Cow<'a, str>);

impl std::ops::Deref for JsonStr<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// One `resources` entry of a v2 series.
#[derive(Debug, Deserialize)]
pub struct SeriesResource<'a> {
    /// Resource type (`host`, ...): the attribute key.
    #[serde(borrow, default, rename = "type")]
    pub kind: Option<JsonStr<'a>>,
    /// Resource name: the attribute value.
    #[serde(borrow, default)]
    pub name: Option<JsonStr<'a>>,
}

/// One element of `series`, borrowed from the request body. Fields the
/// policies do not read (`points`, `interval`, `metadata`, ...) are skipped
/// without being decoded.
#[derive(Debug, Deserialize)]
pub struct DatadogSeries<'a> {
    /// Metric name.
    #[serde(borrow, default)]
    pub metric: Option<JsonStr<'a>>,
    /// `type`, an integer (v2) or a string (v1).
    #[serde(borrow, default, rename = "type")]
    pub kind: Option<&'a RawValue>,
    /// Unit (v2).
    #[serde(borrow, default)]
    pub unit: Option<JsonStr<'a>>,
    /// `key:value` tags.
    #[serde(borrow, default)]
    pub tags: Option<Vec<JsonStr<'a>>>,
    /// Resources (v2).
    #[serde(borrow, default)]
    pub resources: Option<Vec<SeriesResource<'a>>>,
    /// Host (v1).
    #[serde(borrow, default)]
    pub host: Option<JsonStr<'a>>,
    /// Device (v1).
    #[serde(borrow, default)]
    pub device: Option<JsonStr<'a>>,
}

impl<'a> DatadogSeries<'a> {
    /// Parses one series object.
    pub fn parse(raw: &'a str) -> serde_json::Result<Self> {
        serde_json::from_str(raw)
    }

    /// The series kind, `None` when absent or unknown.
    pub fn series_kind(&self) -> Option<SeriesKind> {
        self.kind.and_then(SeriesKind::from_raw)
    }

    fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .as_deref()?
            .iter()
            .find_map(|tag| tag_value(tag, key))
    }

    fn resource(&self, key: &str) -> Option<&str> {
        let wanted = resource_key(key);
        if wanted == "host" {
            if let Some(host) = self.host.as_deref() {
                return Some(host);
            }
        }
        if wanted == "device" {
            if let Some(device) = self.device.as_deref() {
                return Some(device);
            }
        }
        self.resources.as_deref()?.iter().find_map(|r| {
            (r.kind.as_deref() == Some(wanted)).then(|| r.name.as_deref().unwrap_or(""))
        })
    }
}

/// The value of tag `tag` when its key is `key`: `key:value` gives
/// `value`, a bare `key` (no `:`) an empty value.
pub(super) fn tag_value<'t>(tag: &'t str, key: &str) -> Option<&'t str> {
    match tag.split_once(':') {
        Some((k, v)) if k == key => Some(v),
        None if tag == key => Some(""),
        _ => None,
    }
}

/// The resource type a resource attribute key names (`host.name` is the
/// `host` resource, as in OTLP).
pub(super) fn resource_key(key: &str) -> &str {
    if key == "host.name" {
        "host"
    } else {
        key
    }
}

/// What the policy view of a series reads, whatever its wire format (JSON
/// here, protobuf in [`super::proto`]); [`series_view!`] makes the
/// [`MetricView`] from it, so both formats map onto policies alike.
pub(super) trait SeriesFields {
    /// The metric name.
    fn name(&self) -> Option<&str>;
    /// The unit.
    fn unit(&self) -> Option<&str>;
    /// The value of the tag with key `key`.
    fn tag(&self, key: &str) -> Option<&str>;
    /// The name of the resource (or v1 `host` / `device`) of type `key`.
    fn resource(&self, key: &str) -> Option<&str>;
    /// The series kind, `None` when unknown.
    fn kind(&self) -> Option<SeriesKind>;
}

/// A non-empty string as a policy value (empty counts as absent).
pub(super) fn non_empty(s: Option<&str>) -> Option<ValueRef<'_>> {
    s.filter(|s| !s.is_empty()).map(ValueRef::str)
}

/// Implements [`MetricView`] for a [`SeriesFields`] type (a blanket
/// implementation of the foreign trait is not allowed).
macro_rules! series_view {
    ($t:ty) => {
        impl MetricView for $t {
            fn metric_field(&self, field: MetricField) -> Option<ValueRef<'_>> {
                match field {
                    MetricField::Name => non_empty(SeriesFields::name(self)),
                    MetricField::Unit => non_empty(SeriesFields::unit(self)),
                    // Datadog series carry no description, scope or schema URL.
                    MetricField::Description
                    | MetricField::ResourceSchemaUrl
                    | MetricField::ScopeSchemaUrl
                    | MetricField::ScopeName
                    | MetricField::ScopeVersion => None,
                }
            }

            fn attribute(&self, scope: AttrScope, path: &[String]) -> Option<ValueRef<'_>> {
                // Tags and resources are flat strings: one-segment paths only.
                let [key] = path else { return None };
                match scope {
                    AttrScope::Record => SeriesFields::tag(self, key).map(ValueRef::str),
                    AttrScope::Resource => SeriesFields::resource(self, key).map(ValueRef::str),
                    AttrScope::Scope => None,
                }
            }

            fn metric_type(&self) -> Option<MetricType> {
                SeriesFields::kind(self).and_then(SeriesKind::metric_type)
            }

            fn temporality(&self) -> Option<Temporality> {
                SeriesFields::kind(self).and_then(SeriesKind::temporality)
            }
        }
    };
}

impl SeriesFields for DatadogSeries<'_> {
    fn name(&self) -> Option<&str> {
        self.metric.as_deref()
    }
    fn unit(&self) -> Option<&str> {
        self.unit.as_deref()
    }
    fn tag(&self, key: &str) -> Option<&str> {
        DatadogSeries::tag(self, key)
    }
    fn resource(&self, key: &str) -> Option<&str> {
        DatadogSeries::resource(self, key)
    }
    fn kind(&self) -> Option<SeriesKind> {
        self.series_kind()
    }
}

series_view!(DatadogSeries<'_>);
series_view!(super::proto::ProtoSeries<'_>);
