//! A byte budget shared by all in-flight requests: request bodies held and
//! decompressed bodies. Reservations are released when dropped, so memory
//! held for requests stays below the budget whatever the request mix.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A fixed number of bytes that requests reserve from and give back.
#[derive(Debug)]
pub(crate) struct ByteBudget {
    capacity: usize,
    used: AtomicUsize,
}

impl ByteBudget {
    /// A budget of `capacity` bytes.
    pub(crate) fn new(capacity: usize) -> Arc<Self> {
        Arc::new(ByteBudget {
            capacity,
            used: AtomicUsize::new(0),
        })
    }

    /// Total bytes of the budget.
    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// Bytes currently reserved.
    pub(crate) fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }

    fn take(&self, n: usize) -> bool {
        if n == 0 {
            return true;
        }
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(n).filter(|&total| total <= self.capacity)
            })
            .is_ok()
    }

    fn give(&self, n: usize) {
        if n > 0 {
            self.used.fetch_sub(n, Ordering::AcqRel);
        }
    }

    /// Reserves `n` bytes, or `None` when they are not free now.
    pub(crate) fn try_reserve(self: &Arc<Self>, n: usize) -> Option<Reservation> {
        self.take(n).then(|| Reservation {
            budget: self.clone(),
            held: n,
        })
    }
}

/// Bytes reserved from a [`ByteBudget`]; given back on drop.
#[derive(Debug)]
pub(crate) struct Reservation {
    budget: Arc<ByteBudget>,
    held: usize,
}

impl Reservation {
    /// Bytes held.
    pub(crate) fn held(&self) -> usize {
        self.held
    }

    /// Reserves `n` more bytes; `false` (and nothing changes) when they are
    /// not free.
    pub(crate) fn try_grow(&mut self, n: usize) -> bool {
        if self.budget.take(n) {
            self.held += n;
            true
        } else {
            false
        }
    }

    /// Gives back everything above `n` bytes.
    pub(crate) fn shrink_to(&mut self, n: usize) {
        if n < self.held {
            self.budget.give(self.held - n);
            self.held = n;
        }
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        self.budget.give(self.held);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reservations_are_bounded_and_given_back() {
        let budget = ByteBudget::new(100);
        let mut a = budget.try_reserve(60).unwrap();
        assert!(budget.try_reserve(41).is_none());
        let b = budget.try_reserve(40).unwrap();
        assert_eq!(budget.used(), 100);
        assert!(!a.try_grow(1));
        drop(b);
        assert!(a.try_grow(30));
        assert_eq!(a.held(), 90);
        a.shrink_to(10);
        assert_eq!(budget.used(), 10);
        drop(a);
        assert_eq!(budget.used(), 0);
        assert!(budget.try_reserve(0).is_some());
        assert!(budget.try_reserve(101).is_none());
    }
}
