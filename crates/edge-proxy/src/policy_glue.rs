//! Glue between the proxy and the policy engine: starting providers from
//! configuration and reporting policy state on the admin routes.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use edge_config::{PolicyEncoding, PolicyProviderConfig, ServiceConfig};
use edge_policy::Registry;

use edge_policy::sync::ClientIdentity;
use edge_policy::{Encoding, FileProvider, HttpProvider, Provider as _};

/// A started provider.
pub(crate) enum Handle {
    File(edge_policy::ProviderHandle),
    Http(edge_policy::HttpProviderHandle),
}

/// Starts one provider (blocks briefly: a file's first read, an HTTP
/// client's start), logging the outcome; `None` when it failed to start.
type Starter = fn(&PolicyProviderConfig, &ServiceConfig, &Arc<Registry>) -> Option<Handle>;

/// The configured providers: running handles (taken at shutdown) and the
/// ones that failed to start (retried on SIGHUP). Shared with the admin
/// routes.
pub(crate) struct Providers {
    file: Mutex<Vec<(String, edge_policy::ProviderHandle)>>,
    http: Mutex<Vec<(String, edge_policy::HttpProviderHandle)>>,
    not_started: Mutex<Vec<PolicyProviderConfig>>,
    /// Held while failed providers are started again (one retry at a time).
    retrying: Mutex<()>,
    service: ServiceConfig,
    registry: Arc<Registry>,
    starter: Starter,
}

fn provider_kind(config: &PolicyProviderConfig) -> &'static str {
    match config {
        PolicyProviderConfig::File { .. } => "file",
        PolicyProviderConfig::Http(_) => "http",
    }
}

/// Sync state of one provider, for `/_edge/ready` and `/_edge/metrics`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProviderState {
    pub id: String,
    /// `file` or `http`.
    pub kind: &'static str,
    /// Running (false: failed to start, or stopped).
    pub running: bool,
    /// The most recent load or sync succeeded.
    pub ok: bool,
    pub successes: u64,
    pub failures: u64,
    pub last_success: Option<SystemTime>,
    /// Policies in the applied set.
    pub policies: usize,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Providers {
    pub(crate) async fn stop(&self) {
        let running = std::mem::take(&mut *lock(&self.file));
        let http = std::mem::take(&mut *lock(&self.http));
        // Joining the provider threads (and the HTTP providers' final
        // report) blocks briefly.
        let _ = tokio::task::spawn_blocking(move || {
            for (_, handle) in running {
                handle.shutdown();
            }
            for (_, handle) in http {
                handle.shutdown();
            }
        })
        .await;
    }

    /// Asks every running provider to refresh now: file providers re-read
    /// their file, policy servers are synced; providers that failed to
    /// start are started again (on the blocking pool). Requests in flight
    /// keep the snapshot they started with.
    pub(crate) fn reload(self: &Arc<Self>) {
        for (id, h) in lock(&self.file).iter() {
            tracing::info!(provider = %id, "reloading policy file");
            h.reload();
        }
        for (id, h) in lock(&self.http).iter() {
            tracing::info!(provider = %id, "syncing policy server");
            h.sync_now();
        }
        if lock(&self.not_started).is_empty() {
            return;
        }
        let this = self.clone();
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn_blocking(move || this.retry_not_started());
            }
            Err(_) => this.retry_not_started(),
        }
    }

    /// Starts again the providers that failed to start. A provider stays
    /// listed as not started until it runs, and moves to the running ones
    /// in one step, so [`Providers::states`] never misses it.
    pub(crate) fn retry_not_started(&self) {
        let _one_at_a_time = lock(&self.retrying);
        let configs = lock(&self.not_started).clone();
        for config in configs {
            tracing::info!(provider = %config.id(), "starting policy provider that failed to start");
            if let Some(handle) = (self.starter)(&config, &self.service, &self.registry) {
                let (mut file, mut http) = (lock(&self.file), lock(&self.http));
                lock(&self.not_started).retain(|c| c.id() != config.id());
                let id = config.id().to_owned();
                match handle {
                    Handle::File(h) => file.push((id, h)),
                    Handle::Http(h) => http.push((id, h)),
                }
            }
        }
    }

    fn add(&self, started: Option<Handle>, config: PolicyProviderConfig) {
        let id = config.id().to_owned();
        match started {
            Some(Handle::File(h)) => lock(&self.file).push((id, h)),
            Some(Handle::Http(h)) => lock(&self.http).push((id, h)),
            None => lock(&self.not_started).push(config),
        }
    }

    /// Current state of every configured provider, in configuration kind
    /// order (files, then policy servers, then those that did not start).
    pub(crate) fn states(&self) -> Vec<ProviderState> {
        let mut out = Vec::new();
        // All three at once (in the order a retry takes them): a provider
        // moving from not started to running is seen on one side.
        let (file, http, not_started) =
            (lock(&self.file), lock(&self.http), lock(&self.not_started));
        for (id, h) in file.iter() {
            let st = h.status();
            out.push(ProviderState {
                id: id.clone(),
                kind: "file",
                running: true,
                ok: st.loads > 0 && !st.last_failed,
                successes: st.loads,
                failures: st.failures,
                last_success: st.last_success,
                policies: st.policies,
            });
        }
        for (id, h) in http.iter() {
            let st = h.status();
            out.push(ProviderState {
                id: id.clone(),
                kind: "http",
                running: true,
                ok: st.syncs_ok > 0 && st.consecutive_failures == 0,
                successes: st.syncs_ok,
                failures: st.syncs_failed,
                last_success: st.last_success,
                policies: st.policies,
            });
        }
        for config in not_started.iter() {
            out.push(ProviderState {
                id: config.id().to_owned(),
                kind: provider_kind(config),
                running: false,
                ok: false,
                successes: 0,
                failures: 0,
                last_success: None,
                policies: 0,
            });
        }
        out
    }
}

/// Starts every configured provider. A provider that cannot start is logged
/// and skipped (retried on SIGHUP): Edge serves fail-open rather than not at
/// all.
pub(crate) async fn start_providers(
    configs: &[PolicyProviderConfig],
    service: &ServiceConfig,
    registry: &Arc<Registry>,
) -> Providers {
    start_providers_with(configs, service, registry, start_one).await
}

async fn start_providers_with(
    configs: &[PolicyProviderConfig],
    service: &ServiceConfig,
    registry: &Arc<Registry>,
    starter: Starter,
) -> Providers {
    let providers = Providers {
        file: Mutex::default(),
        http: Mutex::default(),
        not_started: Mutex::default(),
        retrying: Mutex::default(),
        service: service.clone(),
        registry: registry.clone(),
        starter,
    };
    for config in configs {
        let (c, service, registry) = (config.clone(), service.clone(), registry.clone());
        // Starting never waits for a policy server but blocks briefly.
        let started = tokio::task::spawn_blocking(move || starter(&c, &service, &registry))
            .await
            .unwrap_or_else(|error| {
                tracing::error!(provider = %config.id(), %error, "policy provider failed to start; running without its policies");
                None
            });
        providers.add(started, config.clone());
    }
    providers
}

fn start_one(
    config: &PolicyProviderConfig,
    service: &ServiceConfig,
    registry: &Arc<Registry>,
) -> Option<Handle> {
    match config {
        PolicyProviderConfig::File { id, path } => {
            let provider = FileProvider::new(path).with_id(id.clone());
            match provider.start(registry.clone()) {
                Ok(handle) => {
                    tracing::info!(provider = %id, path = %path, "file policy provider started");
                    Some(Handle::File(handle))
                }
                Err(error) => {
                    tracing::error!(provider = %id, path = %path, %error, "file policy provider failed to start; running without its policies (retried on SIGHUP)");
                    None
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
                .with_identity(identity(service))
                .with_max_response_bytes(http.max_response_bytes);
            match provider.spawn(registry.clone()) {
                Ok(handle) => {
                    tracing::info!(provider = %http.id, "http policy provider started");
                    Some(Handle::Http(handle))
                }
                Err(error) => {
                    tracing::error!(provider = %http.id, %error, "http policy provider failed to start; running without its policies (retried on SIGHUP)");
                    None
                }
            }
        }
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

/// Body of `/_edge/ready`: always ready once serving; says whether
/// policies are loaded or Edge runs fail-open, and each provider's state.
pub(crate) fn readiness_json(registry: &Registry, providers: &Providers) -> serde_json::Value {
    let snapshot = registry.snapshot();
    let loaded = !snapshot.is_empty();
    let providers: Vec<serde_json::Value> = providers
        .states()
        .into_iter()
        .map(|p| {
            serde_json::json!({
                "id": p.id,
                "type": p.kind,
                "running": p.running,
                "ok": p.ok,
                "policies": p.policies,
                "successes": p.successes,
                "failures": p.failures,
                "last_success_unix": p.last_success.map(unix_seconds),
            })
        })
        .collect();
    serde_json::json!({
        "status": "ready",
        "policies_loaded": loaded,
        "fail_open": !loaded,
        "policies": registry.policy_statuses().len(),
        "providers": providers,
    })
}

fn unix_seconds(t: SystemTime) -> f64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Provider sync state for `/_edge/metrics`.
pub(crate) fn write_provider_metrics(registry: &Registry, providers: &Providers, out: &mut String) {
    let states = providers.states();
    let _ = writeln!(
        out,
        "# HELP edge_policy_fail_open 1 while no policy is loaded and everything passes through."
    );
    let _ = writeln!(out, "# TYPE edge_policy_fail_open gauge");
    let _ = writeln!(
        out,
        "edge_policy_fail_open {}",
        u8::from(registry.snapshot().is_empty())
    );
    let _ = writeln!(
        out,
        "# HELP edge_policy_provider_up 1 when the provider's most recent load or sync succeeded."
    );
    let _ = writeln!(out, "# TYPE edge_policy_provider_up gauge");
    for p in &states {
        let _ = writeln!(
            out,
            "edge_policy_provider_up{{provider=\"{}\",type=\"{}\"}} {}",
            escape_label(&p.id),
            p.kind,
            u8::from(p.ok)
        );
    }
    let _ = writeln!(
        out,
        "# HELP edge_policy_provider_syncs_total Loads (file) or syncs (http) by result."
    );
    let _ = writeln!(out, "# TYPE edge_policy_provider_syncs_total counter");
    for p in &states {
        let id = escape_label(&p.id);
        for (result, n) in [("success", p.successes), ("failure", p.failures)] {
            let _ = writeln!(
                out,
                "edge_policy_provider_syncs_total{{provider=\"{id}\",type=\"{}\",result=\"{result}\"}} {n}",
                p.kind
            );
        }
    }
    let _ = writeln!(
        out,
        "# HELP edge_policy_provider_last_success_timestamp_seconds Unix time of the last successful load or sync (0: never)."
    );
    let _ = writeln!(
        out,
        "# TYPE edge_policy_provider_last_success_timestamp_seconds gauge"
    );
    for p in &states {
        let _ = writeln!(
            out,
            "edge_policy_provider_last_success_timestamp_seconds{{provider=\"{}\",type=\"{}\"}} {}",
            escape_label(&p.id),
            p.kind,
            p.last_success.map_or(0.0, unix_seconds)
        );
    }
    let _ = writeln!(
        out,
        "# HELP edge_policy_provider_policies Policies in the provider's applied set."
    );
    let _ = writeln!(out, "# TYPE edge_policy_provider_policies gauge");
    for p in &states {
        let _ = writeln!(
            out,
            "edge_policy_provider_policies{{provider=\"{}\",type=\"{}\"}} {}",
            escape_label(&p.id),
            p.kind,
            p.policies
        );
    }
}

/// Per-policy counters for `/_edge/metrics`.
pub(crate) fn write_policy_metrics(registry: &Registry, out: &mut String) {
    let statuses = registry.policy_statuses();
    // TODO: the registry subtracts hits and misses once a policy server
    // accepted them in a report, so with an HTTP provider these counters
    // restart from zero after each report (Prometheus sees a counter reset).
    let _ = writeln!(
        out,
        "# HELP edge_policy_match_total Records a policy matched: its action applied (hit) or another matching policy's won (miss)."
    );
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
    let _ = writeln!(
        out,
        "# HELP edge_policies_active Policies known to the registry (valid or not)."
    );
    let _ = writeln!(out, "# TYPE edge_policies_active gauge");
    let _ = writeln!(out, "edge_policies_active {}", statuses.len());
}

fn escape_label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static ATTEMPTS: AtomicUsize = AtomicUsize::new(0);

    /// Fails the first start of each provider, then starts it for real.
    fn fails_first(
        config: &PolicyProviderConfig,
        service: &ServiceConfig,
        registry: &Arc<Registry>,
    ) -> Option<Handle> {
        if ATTEMPTS.fetch_add(1, Ordering::SeqCst) == 0 {
            return None;
        }
        // A slow start: the provider must stay visible (as not started)
        // while it is being started again.
        std::thread::sleep(Duration::from_millis(300));
        start_one(config, service, registry)
    }

    #[tokio::test]
    async fn sighup_retries_a_provider_that_failed_to_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.json");
        std::fs::write(
            &path,
            r#"{"policies":[{"id":"a","log":{"match":[{"log_field":"body","exists":true}],"keep":"none"}}]}"#,
        )
        .unwrap();
        let config = PolicyProviderConfig::File {
            id: "p".into(),
            path: path.display().to_string(),
        };
        let service = ServiceConfig::default();
        let registry = Arc::new(Registry::new());
        let providers =
            Arc::new(start_providers_with(&[config], &service, &registry, fails_first).await);
        let states = providers.states();
        assert!(!states[0].running, "{states:?}");
        // What SIGHUP does.
        providers.reload();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while !providers.states()[0].running && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let states = providers.states();
        assert!(states[0].running && states[0].ok, "{states:?}");
        assert_eq!(registry.policy_statuses().len(), 1);
        providers.stop().await;
    }
}
