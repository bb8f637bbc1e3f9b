//! Composition: configuration in, running proxy out. The binaries are thin
//! wrappers around [`App`].

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use edge_config::Config;
use edge_modules::{DatadogModule, ModuleRegistration, PassthroughModule};
use edge_policy::Registry;

use crate::{AdminSource, ProxyError, ProxyServer, ServerSettings};

/// Which set of modules a binary serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distribution {
    /// `edge-datadog`: Datadog logs, admin routes, passthrough.
    Datadog,
    /// `edge`: every module Edge has (Datadog logs and metrics, OTLP/HTTP,
    /// the Prometheus scrape filter, admin routes, passthrough).
    Full,
}

impl ServerSettings {
    /// Settings from a configuration.
    pub fn from_config(config: &Config) -> Result<Self, ProxyError> {
        let ip: std::net::IpAddr = config
            .listen_address
            .parse()
            .map_err(|_| ProxyError::Setup("listen_address is not an IP address".to_owned()))?;
        let admin_listen = match &config.admin_listen_address {
            Some(a) => Some(a.parse::<SocketAddr>().map_err(|_| {
                ProxyError::Setup("admin_listen_address is not ip:port".to_owned())
            })?),
            None => None,
        };
        let listen = SocketAddr::new(ip, config.listen_port);
        if let Some(admin) = admin_listen {
            if same_socket(listen, admin) {
                return Err(ProxyError::Setup(format!(
                    "admin_listen_address {admin} is the address Edge already listens on \
                     (listen_address:listen_port {listen}); give the admin routes another \
                     port, or leave admin_listen_address unset to serve them on the main listener"
                )));
            }
        }
        let upstream_extra_roots = match &config.upstream_ca_file {
            Some(path) => crate::tls::ca_certificates(std::path::Path::new(path))?,
            None => Vec::new(),
        };
        Ok(ServerSettings {
            listen,
            upstream_extra_roots,
            admin_listen,
            header_read_timeout: Duration::from_millis(config.header_read_timeout_ms),
            max_header_bytes: config.max_header_bytes,
            max_concurrent_requests: config.max_concurrent_requests,
            upstream_connect_timeout: Duration::from_millis(config.upstream_connect_timeout_ms),
            upstream_timeout: Duration::from_millis(config.upstream_timeout_ms),
            upstream_retry: crate::RetryPolicy {
                retries: config.upstream_retries,
                backoff: Duration::from_millis(config.upstream_retry_backoff_ms),
                on_gateway_errors: config.upstream_retry_on_gateway_errors,
            },
            shutdown_grace_period: Duration::from_millis(config.shutdown_grace_period_ms),
            ..ServerSettings::default()
        }
        .with_limits_from(config))
    }
}

/// Whether binding both addresses would collide: the same port (not an
/// ephemeral one) on the same IP, or on any IP when one is unspecified.
fn same_socket(a: SocketAddr, b: SocketAddr) -> bool {
    a.port() == b.port()
        && a.port() != 0
        && (a.ip() == b.ip() || a.ip().is_unspecified() || b.ip().is_unspecified())
}

/// Runs every check [`App::build`] runs on `config` without binding or
/// starting anything: listen addresses (and their collision), the listener's
/// certificate and key, `upstream_ca_file`, and every upstream URL.
/// `edge config check` calls it so that it accepts exactly what `edge run`
/// accepts.
pub fn validate(config: &Config, distribution: Distribution) -> Result<(), ProxyError> {
    let settings = ServerSettings::from_config(config)?;
    if let Some(files) = &settings.tls {
        crate::tls::acceptor(files)?;
    }
    let regs = registrations(config, &Arc::new(Registry::new()), distribution);
    crate::server::parse_targets(&regs)?;
    Ok(())
}

/// Configuration keys set in `config` that `distribution` does not serve
/// (the Datadog distribution has no Datadog metrics, Prometheus or OTLP
/// routes), for a warning at start.
pub fn unserved_keys(config: &Config, distribution: Distribution) -> Vec<&'static str> {
    let mut keys = Vec::new();
    if distribution == Distribution::Datadog {
        if config.metrics_url.is_some() {
            keys.push("metrics_url");
        }
        if config.prometheus != edge_config::PrometheusConfig::default() {
            keys.push("prometheus.*");
        }
        if config.otlp != edge_config::OtlpConfig::default() {
            keys.push("otlp.*");
        }
    }
    keys
}

/// Below this `max_inflight_bytes`, most requests cannot be filtered: each
/// evaluation reserves the decoded body plus at least 64 KiB of working
/// memory, and about 420 KiB more to re-encode a compressed body.
pub const MIN_FILTER_BUDGET: usize = 1024 * 1024;

/// A warning when `max_inflight_bytes` is too small to filter most
/// requests (they would be forwarded unfiltered, fail open).
pub fn budget_warning(config: &Config) -> Option<String> {
    (config.max_inflight_bytes < MIN_FILTER_BUDGET).then(|| {
        format!(
            "max_inflight_bytes is {} bytes: evaluating a request reserves its decoded body \
             plus at least 64 KiB (about 420 KiB more to re-encode a compressed one), so \
             below {} bytes most requests are forwarded unfiltered; raise it",
            config.max_inflight_bytes, MIN_FILTER_BUDGET
        )
    })
}

/// The module registrations a distribution serves.
pub fn registrations(
    config: &Config,
    registry: &Arc<Registry>,
    distribution: Distribution,
) -> Vec<ModuleRegistration> {
    let datadog = ModuleRegistration::new(
        Arc::new(DatadogModule::new(registry.clone())),
        DatadogModule::routes(),
        config.logs_upstream(),
    )
    .with_limits(config.max_body_size, config.max_decoded_bytes);
    let passthrough = ModuleRegistration::new(
        Arc::new(PassthroughModule),
        PassthroughModule::routes(),
        config.upstream_url.clone(),
    )
    .with_limits(config.max_body_size, config.max_decoded_bytes);
    let mut regs = vec![datadog];
    // --- OTLP/HTTP (edge_modules::otlp): /v1/logs, /v1/metrics, /v1/traces,
    // each with `otlp.<signal>_url`, falling back to `upstream_url`.
    if distribution == Distribution::Full {
        let otlp = edge_modules::OtlpModule::registrations_verifying(
            registry,
            &config.upstream_url,
            [
                config.otlp.logs_url.as_deref(),
                config.otlp.metrics_url.as_deref(),
                config.otlp.traces_url.as_deref(),
            ],
            config.otlp.verify_unfiltered,
        );
        regs.extend(
            otlp.into_iter()
                .map(|r| r.with_limits(config.max_body_size, config.max_decoded_bytes)),
        );
    }
    // --- end OTLP/HTTP.
    // --- Datadog metrics (`metrics_url`, else `upstream_url`) and the
    // Prometheus scrape filter (only with `prometheus.target_url`).
    if distribution == Distribution::Full {
        use edge_modules::{DatadogMetricsModule, PrometheusModule, PrometheusSettings};
        regs.push(
            ModuleRegistration::new(
                Arc::new(DatadogMetricsModule::new(registry.clone())),
                DatadogMetricsModule::routes(),
                config.metrics_upstream(),
            )
            .with_limits(config.max_body_size, config.max_decoded_bytes),
        );
        let prom = &config.prometheus;
        if let Some(target) = &prom.target_url {
            let settings = PrometheusSettings {
                max_input_bytes: prom.max_input_bytes_per_scrape,
                max_output_bytes: prom.max_output_bytes_per_scrape,
                ..PrometheusSettings::default()
            };
            // The target's own path, if any, is where the scrape is
            // fetched; `prom.path` is only the route Edge serves.
            let (base, path) = edge_modules::prometheus::scrape_target(target);
            regs.push(
                ModuleRegistration::new(
                    Arc::new(PrometheusModule::new(registry.clone(), settings)),
                    PrometheusModule::routes(&prom.path),
                    base,
                )
                .with_upstream_path(path),
            );
        }
    }
    // --- end Datadog metrics and Prometheus.
    regs.push(passthrough);
    regs
}

/// Reports policy and provider state on the admin routes.
struct PolicyAdmin {
    registry: Arc<Registry>,
    providers: Arc<crate::policy_glue::Providers>,
}

impl AdminSource for PolicyAdmin {
    fn readiness(&self) -> serde_json::Value {
        crate::policy_glue::readiness_json(&self.registry, &self.providers)
    }

    fn policies(&self) -> serde_json::Value {
        crate::policy_glue::policies_json(&self.registry)
    }

    fn write_metrics(&self, out: &mut String) {
        crate::policy_glue::write_policy_metrics(&self.registry, out);
        crate::policy_glue::write_provider_metrics(&self.registry, &self.providers, out);
    }
}

/// A configured, bound proxy with its policy registry and providers.
pub struct App {
    server: ProxyServer,
    registry: Arc<Registry>,
    providers: Arc<crate::policy_glue::Providers>,
}

impl App {
    /// Starts the policy providers (without waiting for their first load),
    /// registers the distribution's modules and binds the listeners.
    pub async fn build(config: &Config, distribution: Distribution) -> Result<App, ProxyError> {
        let registry = Arc::new(Registry::new());
        let providers = Arc::new(
            crate::policy_glue::start_providers(
                &config.policy_providers,
                &config.service,
                &registry,
            )
            .await,
        );
        let regs = registrations(config, &registry, distribution);
        let admin = Arc::new(PolicyAdmin {
            registry: registry.clone(),
            providers: providers.clone(),
        });
        let server = ProxyServer::bind(ServerSettings::from_config(config)?, regs, admin).await?;
        Ok(App {
            server,
            registry,
            providers,
        })
    }

    /// The main listener's address.
    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// The admin listener's address, when separate.
    pub fn admin_addr(&self) -> Option<SocketAddr> {
        self.server.admin_addr()
    }

    /// The policy registry the modules evaluate against.
    pub fn registry(&self) -> &Arc<Registry> {
        &self.registry
    }

    /// Serves until `shutdown` completes, then drains in-flight requests and
    /// stops the providers.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send) -> Result<(), ProxyError> {
        let App {
            server,
            registry: _registry,
            providers,
        } = self;
        let reloader = {
            let providers = providers.clone();
            tokio::spawn(crate::signals::on_reload_signal(move || providers.reload()))
        };
        let result = server.run(shutdown).await;
        reloader.abort();
        providers.stop().await;
        result
    }
}

#[cfg(test)]
mod unserved_tests {
    use super::*;

    #[test]
    fn the_datadog_distribution_names_the_keys_it_ignores() {
        let config = Config::from_str_with_env(
            r#"{"upstream_url": "http://127.0.0.1:9", "metrics_url": "http://127.0.0.1:8",
                "prometheus": {"target_url": "http://127.0.0.1:7/metrics"},
                "otlp": {"logs_url": "http://127.0.0.1:6"}}"#,
            edge_config::Format::Json,
            std::iter::empty(),
        )
        .unwrap();
        assert_eq!(
            unserved_keys(&config, Distribution::Datadog),
            ["metrics_url", "prometheus.*", "otlp.*"]
        );
        assert!(unserved_keys(&config, Distribution::Full).is_empty());
        let plain = Config::from_str_with_env(
            r#"{"upstream_url": "http://127.0.0.1:9"}"#,
            edge_config::Format::Json,
            std::iter::empty(),
        )
        .unwrap();
        assert!(unserved_keys(&plain, Distribution::Datadog).is_empty());
    }
}
