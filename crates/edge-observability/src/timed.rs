//! [`timed`]: log the start and the duration of a piece of work.

use std::time::{Duration, Instant};

use crate::level::Level;

/// Starts timing `name`: logs `"<name> started"` at debug level now, and
/// `"<name> completed"` with `duration_ms` (a float, in milliseconds) when
/// the returned guard is finished or dropped.
///
/// The completion event is logged at info level by default (see
/// [`Timed::level`]). Both events carry the field `work = name`. This is the
/// analogue of a started/completed span pair; to attach the events to a
/// `tracing` span, create them inside one.
pub fn timed(name: &'static str) -> Timed {
    tracing::debug!(work = name, "{name} started");
    Timed {
        name,
        start: Instant::now(),
        level: Level::Info,
        done: false,
    }
}

/// Guard returned by [`timed`].
#[derive(Debug)]
#[must_use = "the duration is logged when the guard is dropped; binding it to `_` drops it at once"]
pub struct Timed {
    name: &'static str,
    start: Instant,
    level: Level,
    done: bool,
}

impl Timed {
    /// Sets the level of the completion event.
    pub fn level(mut self, level: Level) -> Self {
        self.level = level;
        self
    }

    /// Time since the guard was created.
    #[must_use]
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// Logs the completion now and returns the measured duration.
    pub fn finish(mut self) -> Duration {
        self.complete()
    }

    fn complete(&mut self) -> Duration {
        let elapsed = self.start.elapsed();
        if !self.done {
            self.done = true;
            let name = self.name;
            let duration_ms = elapsed.as_secs_f64() * 1000.0;
            match self.level {
                Level::Trace => tracing::trace!(work = name, duration_ms, "{name} completed"),
                Level::Debug => tracing::debug!(work = name, duration_ms, "{name} completed"),
                Level::Info => tracing::info!(work = name, duration_ms, "{name} completed"),
                Level::Warn => tracing::warn!(work = name, duration_ms, "{name} completed"),
                Level::Error => tracing::error!(work = name, duration_ms, "{name} completed"),
            }
        }
        elapsed
    }
}

impl Drop for Timed {
    fn drop(&mut self) {
        self.complete();
    }
}
