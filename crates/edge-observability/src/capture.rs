//! In-memory capture of log output for tests.

use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tracing_subscriber::fmt::MakeWriter;

use crate::init::{env_filter, subscriber, FilterSource, Options};

/// A shared buffer receiving formatted log output. Cheap to clone; clones
/// share the buffer.
#[derive(Clone, Debug, Default)]
pub struct Capture {
    buffer: Arc<Mutex<Vec<u8>>>,
}

impl Capture {
    /// A new, empty buffer.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<u8>> {
        self.buffer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Everything written so far, as text (invalid UTF-8 replaced).
    #[must_use]
    pub fn contents(&self) -> String {
        String::from_utf8_lossy(&self.lock()).into_owned()
    }

    /// Each written line parsed as JSON, in order. Lines that are not JSON
    /// (e.g. from [`Format::Pretty`](crate::Format::Pretty)) are skipped.
    #[must_use]
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.contents()
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }

    /// Empties the buffer.
    pub fn clear(&self) {
        self.lock().clear();
    }
}

/// Writer handed out by [`Capture`] for one event.
#[derive(Debug)]
pub struct CaptureWriter {
    buffer: Arc<Mutex<Vec<u8>>>,
}

impl io::Write for CaptureWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.buffer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = CaptureWriter;

    fn make_writer(&'a self) -> Self::Writer {
        CaptureWriter {
            buffer: Arc::clone(&self.buffer),
        }
    }
}

/// Keeps the capturing subscriber installed for the current thread; dropping
/// it restores the previous one.
#[derive(Debug)]
#[must_use = "the capture stops when the guard is dropped"]
pub struct CaptureGuard {
    _default: tracing::subscriber::DefaultGuard,
}

/// Installs, for the current thread only, a subscriber with the same format
/// as [`init`](crate::init) writing into a [`Capture`] instead of stdout.
///
/// The level is `options.level`; the environment is ignored so that tests are
/// deterministic. Events from other threads (e.g. tokio worker threads) are
/// not captured: use a current-thread runtime in such tests.
pub fn init_for_tests(options: &Options) -> (Capture, CaptureGuard) {
    let capture = Capture::new();
    let filter = env_filter(&FilterSource::Options(options.level));
    let subscriber = subscriber(options.format, filter, capture.clone(), false);
    let guard = CaptureGuard {
        _default: tracing::subscriber::set_default(subscriber),
    };
    (capture, guard)
}
