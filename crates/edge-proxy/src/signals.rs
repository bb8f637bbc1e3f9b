//! Process signals for the binaries.

/// Completes on the first SIGINT or SIGTERM. A second signal afterwards
/// exits the process at once with status 130, as operators expect.
pub async fn shutdown_signal() {
    wait_for_signal().await;
    tracing::info!("shutdown signal received");
    tokio::spawn(async {
        wait_for_signal().await;
        tracing::warn!("second signal received; exiting now");
        std::process::exit(130);
    });
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(error) => {
            tracing::error!(%error, "cannot listen for SIGTERM");
            let _ = tokio::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
