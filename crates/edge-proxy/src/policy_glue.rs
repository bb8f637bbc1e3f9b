//! Glue between the proxy and the policy engine: starting providers from
//! configuration and reporting policy state on the admin routes.

use std::fmt::Write as _;
use std::sync::Arc;

use std::time::Duration;

use edge_config::{PolicyEncoding, PolicyProviderConfig, ServiceConfig};
use edge_policy::Registry;

use edge_policy::sync::ClientIdentity;
use edge_policy::{Encoding, FileProvider, HttpProvider, Provider as _};

/// Running providers; stopped at shutdown.
pub(crate) struct Providers {
    running: Vec<edge_policy::ProviderHandle>,
    http: Vec<edge_policy::HttpProviderHandle>,
}

impl Providers {
    pub(crate) async fn stop(self) {
        let (running, http) = (self.running, self.http);
        // Joining the provider threads (and the HTTP providers' final
        // report) blocks briefly.
        let _ = tokio::task::spawn_blocking(move || {
            for handle in running {
                handle.shutdown();
            }
            for handle in http {
                handle.shutdown();
            }
        })
        .await;
    }
}

/// Starts every configured provider. A provider that cannot start is logged
/// and skipped: Edge serves fail-open rather than not at all.
pub(crate) async fn start_providers(
    configs: &[PolicyProviderConfig],
    service: &ServiceConfig,
    registry: &Arc<Registry>,
) -> Providers {
    let mut running = Vec::new();
    let mut http_handles = Vec::new();
    for config in configs {
        match config {
            PolicyProviderConfig::File { id, path } => {
                let provider = FileProvider::new(path).with_id(id.clone());
                match provider.start(registry.clone()) {
                    Ok(handle) => {
                        tracing::info!(provider = %id, path = %path, "file policy provider started");
                        running.push(handle);
                    }
                    Err(error) => {
                        tracing::error!(provider = %id, path = %path, %error, "file policy provider failed to start; running without its policies");
                    }
                }
            }
            PolicyProviderConfig::Http(http) => {
                let provider = HttpProvider::new(http.id.clone(), http.url.clone())
                    .with_interval(Duration::from_secs(http.poll_interval_secs))
                    .with_headers(http.headers.clone())
                    .with_encoding(match http.encoding {
                        PolicyEncoding::Json => Encoding::Json,
                        PolicyEncoding::Protobuf => Encoding::Protobuf,
                    })
                    .with_identity(identity(service));
                let registry = registry.clone();
                // `spawn` never waits for the server but blocks briefly while
                // its client starts.
                let started = tokio::task::spawn_blocking(move || provider.spawn(registry)).await;
                match started {
                    Ok(Ok(handle)) => {
                        tracing::info!(provider = %http.id, "http policy provider started");
                        http_handles.push(handle);
                    }
                    Ok(Err(error)) => {
                        tracing::error!(provider = %http.id, %error, "http policy provider failed to start; running without its policies");
                    }
                    Err(error) => {
                        tracing::error!(provider = %http.id, %error, "http policy provider failed to start; running without its policies");
                    }
                }
            }
        }
    }
    Providers {
        running,
        http: http_handles,
    }
}

fn identity(service: &ServiceConfig) -> ClientIdentity {
    let defaults = ClientIdentity::default();
    ClientIdentity {
        service_name: service.name.clone(),
        service_namespace: service.namespace.clone(),
        service_version: service
            .version
            .clone()
            .unwrap_or_else(|| env!("CARGO_PKG_VERSION").to_owned()),
        resource_attributes: service
            .resource_attributes
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        labels: service
            .labels
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        ..defaults
    }
}

/// Body of `/_edge/policies`.
pub(crate) fn policies_json(registry: &Registry) -> serde_json::Value {
    let policies: Vec<serde_json::Value> = registry
        .policy_statuses()
        .into_iter()
        .map(|s| {
            serde_json::json!({
                "id": s.id,
                "source": s.source_id,
                "errors": s.errors,
                "match_hits": s.match_hits,
                "match_misses": s.match_misses,
            })
        })
        .collect();
    serde_json::json!({ "policies": policies })
}

/// Per-policy counters for `/_edge/metrics`.
pub(crate) fn write_policy_metrics(registry: &Registry, out: &mut String) {
    let statuses = registry.policy_statuses();
    let _ = writeln!(out, "# TYPE edge_policy_match_total counter");
    for s in &statuses {
        let id = escape_label(&s.id);
        let _ = writeln!(
            out,
            "edge_policy_match_total{{policy=\"{id}\",result=\"hit\"}} {}",
            s.match_hits
        );
        let _ = writeln!(
            out,
            "edge_policy_match_total{{policy=\"{id}\",result=\"miss\"}} {}",
            s.match_misses
        );
    }
    let _ = writeln!(out, "# TYPE edge_policies_active gauge");
    let _ = writeln!(out, "edge_policies_active {}", statuses.len());
}

fn escape_label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
