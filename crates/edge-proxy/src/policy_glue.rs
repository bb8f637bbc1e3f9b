//! Glue between the proxy and the policy engine: starting providers from
//! configuration and reporting policy state on the admin routes.

use std::fmt::Write as _;
use std::sync::Arc;

use edge_config::PolicyProviderConfig;
use edge_policy::Registry;

use edge_policy::{FileProvider, Provider as _};

/// Running providers; stopped at shutdown.
pub(crate) struct Providers {
    running: Vec<edge_policy::ProviderHandle>,
}

impl Providers {
    pub(crate) async fn stop(self) {
        let running = self.running;
        // Joining the provider threads blocks briefly.
        let _ = tokio::task::spawn_blocking(move || {
            for handle in running {
                handle.shutdown();
            }
        })
        .await;
    }
}

/// Starts every configured provider. A provider that cannot start is logged
/// and skipped: Edge serves fail-open rather than not at all.
pub(crate) fn start_providers(
    configs: &[PolicyProviderConfig],
    registry: &Arc<Registry>,
) -> Providers {
    let mut running = Vec::new();
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
                // TODO: start an HTTP provider once the policy engine offers
                // one; until then the entry is accepted, reported, and Edge
                // runs without its policies (fail-open).
                tracing::warn!(provider = %http.id, "http policy providers are not supported yet; ignoring");
            }
        }
    }
    Providers { running }
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
