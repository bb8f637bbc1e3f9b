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

/// Calls `reload` on every SIGHUP (the operator asks for the policies to be
/// re-read), forever. Where there is no SIGHUP, or it cannot be listened
/// for, it just never returns; callers abort it on shutdown.
pub(crate) async fn on_reload_signal(mut reload: impl FnMut()) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::hangup()) {
            Ok(mut hup) => {
                while hup.recv().await.is_some() {
                    tracing::info!("SIGHUP received; reloading policies");
                    reload();
                }
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGHUP; policies reload on change only");
            }
        }
    }
    let _ = &mut reload;
    std::future::pending::<()>().await;
}
