//! The [`Registry`]: holds each provider's policy set and publishes one
//! merged, compiled [`PolicySnapshot`] through an `ArcSwap` (lock-free reads).
//!
//! Duplicate ids:
//! * within one provider, the last occurrence wins (an entry that does not
//!   parse included: then the id is inert) and the id reports the error
//!   `duplicate policy id; the last occurrence is used`;
//! * across providers, the provider with the lower priority number wins
//!   (defaults: see [`priority`]; ties go to the byte-wise smaller source id),
//!   and the other provider's policy is dropped entirely.
//!
//! Counters live per (source, policy id) and survive snapshot rebuilds, so a
//! sync reporter can read [`Registry::policy_statuses`] and, once the server
//! accepted the report, call [`Registry::subtract_reported`].

use crate::compile::{compile, Body, LogKeep};
use crate::engine::{
    BoundExtension, ExtensionHandler, PolicyCounters, PolicySnapshot, PolicyStatus, RateLimiter,
    SnapshotPolicy,
};
use crate::parse::{ParsedPolicies, PolicyParseError};
use arc_swap::ArcSwap;
use edge_proto::policy::v1 as pb;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Suggested provider priorities (lower wins on duplicate ids, §1.16).
pub mod priority {
    /// OpAMP providers.
    pub const OPAMP: u32 = 1;
    /// HTTP/gRPC sync providers.
    pub const HTTP: u32 = 2;
    /// File providers.
    pub const FILE: u32 = 3;
    /// Anything else, unless registered otherwise.
    pub const CUSTOM: u32 = 10;
}

#[derive(Default)]
struct Source {
    priority: u32,
    policies: Vec<pb::Policy>,
    parse_errors: Vec<PolicyParseError>,
}

type Key = (Arc<str>, Arc<str>);

#[derive(Default)]
struct Inner {
    sources: BTreeMap<String, Source>,
    priorities: HashMap<String, u32>,
    counters: HashMap<Key, Arc<PolicyCounters>>,
    limiters: HashMap<Key, (LogKeep, Arc<RateLimiter>)>,
    handlers: HashMap<String, Arc<dyn ExtensionHandler>>,
}

/// Holder of the current policy snapshot.
pub struct Registry {
    current: ArcSwap<PolicySnapshot>,
    inner: Mutex<Inner>,
    /// Snapshots compiled so far (see [`Registry::compiles`]).
    compiles: AtomicU64,
}

impl Default for Registry {
    fn default() -> Self {
        Registry::new()
    }
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry").finish_non_exhaustive()
    }
}

impl Registry {
    /// An empty registry (its snapshot passes everything through).
    pub fn new() -> Registry {
        Registry {
            current: ArcSwap::from_pointee(PolicySnapshot::empty()),
            inner: Mutex::new(Inner::default()),
            compiles: AtomicU64::new(0),
        }
    }

    /// How many snapshots were compiled and published so far (one per
    /// update, removal or handler registration). A caller that notices the
    /// count change knows a compile ran since it last looked, e.g. to hand
    /// the compiler's memory back to the OS once the process is quiet.
    pub fn compiles(&self) -> u64 {
        self.compiles.load(Ordering::Acquire)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        match self.inner.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// The current snapshot (lock-free).
    pub fn snapshot(&self) -> Arc<PolicySnapshot> {
        self.current.load_full()
    }

    /// Set the priority of a provider (lower wins on duplicate ids). Takes
    /// effect at the next rebuild.
    pub fn set_source_priority(&self, source_id: &str, priority: u32) {
        self.lock()
            .priorities
            .insert(source_id.to_owned(), priority);
    }

    /// Register the handler for an extension type. Policies carrying
    /// extensions of other types keep working; those extensions are skipped.
    pub fn register_extension_handler(&self, kind: &str, handler: Arc<dyn ExtensionHandler>) {
        let mut g = self.lock();
        g.handlers.insert(kind.to_owned(), handler);
        self.rebuild(&mut g);
    }

    /// Replace the whole policy set of one provider and publish a new merged
    /// snapshot.
    pub fn update_source(&self, source_id: &str, policies: Vec<pb::Policy>) {
        self.update_source_parsed(
            source_id,
            ParsedPolicies {
                policies,
                errors: Vec::new(),
                unknown_keys: Vec::new(),
            },
        );
    }

    /// Like [`Registry::update_source`], also keeping the entries that failed
    /// to parse so their errors are reported in the statuses.
    pub fn update_source_parsed(&self, source_id: &str, parsed: ParsedPolicies) {
        let mut g = self.lock();
        let priority = g
            .priorities
            .get(source_id)
            .copied()
            .unwrap_or(priority::CUSTOM);
        g.sources.insert(
            source_id.to_owned(),
            Source {
                priority,
                policies: parsed.policies,
                parse_errors: parsed.errors,
            },
        );
        self.rebuild(&mut g);
    }

    /// Remove a provider's policies.
    pub fn remove_source(&self, source_id: &str) {
        let mut g = self.lock();
        g.sources.remove(source_id);
        self.rebuild(&mut g);
    }

    /// Counters and errors of every current policy (including invalid ones),
    /// sorted by id. Does not reset anything.
    pub fn policy_statuses(&self) -> Vec<PolicyStatus> {
        self.snapshot().statuses()
    }

    /// Statuses of one provider's policies.
    pub fn policy_statuses_for(&self, source_id: &str) -> Vec<PolicyStatus> {
        self.policy_statuses()
            .into_iter()
            .filter(|s| s.source_id == source_id)
            .collect()
    }

    /// Subtract counters that were reported (and accepted), leaving whatever
    /// accumulated meanwhile.
    pub fn subtract_reported(&self, reported: &[PolicyStatus]) {
        let g = self.lock();
        for s in reported {
            let key: Key = (Arc::from(s.source_id.as_str()), Arc::from(s.id.as_str()));
            if let Some(c) = g.counters.get(&key) {
                c.subtract(s);
            }
        }
    }

    /// Read and reset in one step (for reports that cannot fail).
    pub fn take_statuses(&self) -> Vec<PolicyStatus> {
        let s = self.policy_statuses();
        self.subtract_reported(&s);
        s
    }

    fn rebuild(&self, g: &mut Inner) {
        // Apply current priorities.
        let prios = g.priorities.clone();
        for (id, s) in g.sources.iter_mut() {
            s.priority = prios.get(id).copied().unwrap_or(s.priority);
        }
        // Choose one (source, policy) per id.
        struct Pick<'a> {
            source: &'a str,
            priority: u32,
            policy: Option<&'a pb::Policy>,
            errors: Vec<String>,
        }
        let mut picks: BTreeMap<&str, Pick<'_>> = BTreeMap::new();
        for (sid, src) in &g.sources {
            let mut local: BTreeMap<&str, Pick<'_>> = BTreeMap::new();
            // Entries in document order, those that parsed and those that
            // did not, so that the last occurrence of an id is the one kept.
            for entry in document_order(&src.policies, &src.parse_errors) {
                let (id, policy, error) = match entry {
                    // Disabled policies behave as if absent (§1.13), also
                    // for duplicate-id resolution.
                    Ok(p) if !p.enabled => continue,
                    Ok(p) => (p.id.as_str(), Some(p), None),
                    Err(pe) => match pe.id.as_deref() {
                        Some(id) => (id, None, Some(format!("parse error: {}", pe.message))),
                        None => continue,
                    },
                };
                let dup = local.contains_key(id);
                let e = local.entry(id).or_insert(Pick {
                    source: sid,
                    priority: src.priority,
                    policy: None,
                    errors: Vec::new(),
                });
                e.policy = policy;
                if dup && !e.errors.iter().any(|m| m == DUPLICATE_ID) {
                    e.errors.insert(0, DUPLICATE_ID.into());
                }
                e.errors.extend(error);
            }
            for (id, pick) in local {
                match picks.get(id) {
                    Some(cur)
                        if (cur.priority, cur.source.as_bytes())
                            <= (pick.priority, pick.source.as_bytes()) =>
                    {
                        tracing::warn!(
                            policy_id = id,
                            kept = cur.source,
                            dropped = pick.source,
                            "duplicate policy id across providers"
                        );
                    }
                    _ => {
                        picks.insert(id, pick);
                    }
                }
            }
        }
        let mut items = Vec::with_capacity(picks.len());
        let mut counters = HashMap::with_capacity(picks.len());
        let mut limiters = HashMap::new();
        for (id, pick) in picks {
            if let Some(p) = pick.policy {
                if !p.enabled {
                    continue;
                }
            }
            let key: Key = (Arc::from(pick.source), Arc::from(id));
            let ctr = g.counters.get(&key).cloned().unwrap_or_default();
            counters.insert(key.clone(), ctr.clone());
            // A duplicate id is reported but leaves the last occurrence
            // active; a parse or compile error makes the policy inert.
            let mut errors = pick.errors;
            let mut invalid = pick.policy.is_none();
            let mut body = None;
            let mut extensions = Vec::new();
            if let Some(p) = pick.policy {
                let c = compile(p);
                invalid |= !c.errors.is_empty();
                errors.extend(c.errors);
                body = c.body;
                for spec in c.extensions {
                    match g.handlers.get(&spec.kind) {
                        Some(h) => extensions.push(BoundExtension {
                            spec,
                            handler: h.clone(),
                        }),
                        None => {
                            tracing::warn!(policy_id = id, extension = %spec.kind, "no handler registered for extension type; skipping it")
                        }
                    }
                }
            }
            if invalid {
                tracing::warn!(source = pick.source, policy_id = id, errors = ?errors, "policy is invalid and inert");
                body = None;
            } else if !errors.is_empty() {
                tracing::warn!(source = pick.source, policy_id = id, errors = ?errors, "policy id given more than once; the last occurrence is used");
            }
            let limiter = match &body {
                Some(Body::Log {
                    keep: k @ LogKeep::Rate { limit, window_secs },
                    ..
                }) => {
                    let l = match g.limiters.get(&key) {
                        Some((old, l)) if old == k => l.clone(),
                        _ => Arc::new(RateLimiter::new(*limit, *window_secs)),
                    };
                    limiters.insert(key.clone(), (*k, l.clone()));
                    Some(l)
                }
                _ => None,
            };
            items.push(SnapshotPolicy {
                source_id: key.0.clone(),
                id: key.1.clone(),
                errors,
                body,
                extensions,
                counters: ctr,
                limiter,
            });
        }
        // TODO: counters of policies that disappeared are dropped even if
        // they still hold unreported counts.
        g.counters = counters;
        g.limiters = limiters;
        self.current
            .store(Arc::new(PolicySnapshot::assemble(items)));
        self.compiles.fetch_add(1, Ordering::Release);
    }
}

impl PolicySnapshot {
    /// Compile a standalone snapshot from parsed policies (source id
    /// `"local"`), e.g. for tests and benchmarks.
    pub fn from_policies(policies: Vec<pb::Policy>) -> Arc<PolicySnapshot> {
        let r = Registry::new();
        r.update_source("local", policies);
        r.snapshot()
    }
}

/// The error an id given more than once in one provider reports.
const DUPLICATE_ID: &str = "duplicate policy id; the last occurrence is used";

/// A provider's entries in document order: the policies that parsed (in
/// order, at the positions no parse error holds) and the parse errors (at
/// their `index`). Errors whose index lies beyond the document come last.
fn document_order<'a>(
    policies: &'a [pb::Policy],
    errors: &'a [PolicyParseError],
) -> Vec<Result<&'a pb::Policy, &'a PolicyParseError>> {
    let mut errors: Vec<&PolicyParseError> = errors.iter().collect();
    errors.sort_by_key(|e| e.index);
    let mut errors = errors.into_iter().peekable();
    let mut out = Vec::with_capacity(policies.len() + errors.len());
    let mut policies = policies.iter();
    loop {
        let at = out.len();
        match errors.next_if(|e| e.index <= at) {
            Some(e) => out.push(Err(e)),
            None => match policies.next() {
                Some(p) => out.push(Ok(p)),
                None => break,
            },
        }
    }
    out.extend(errors.map(Err));
    out
}

#[cfg(test)]
mod tests {
    use super::Registry;

    #[test]
    fn every_published_snapshot_counts_as_a_compile() {
        let r = Registry::new();
        assert_eq!(r.compiles(), 0);
        r.update_source("file", Vec::new());
        assert_eq!(r.compiles(), 1);
        r.set_source_priority("file", 1);
        assert_eq!(
            r.compiles(),
            1,
            "a priority change waits for the next rebuild"
        );
        r.remove_source("file");
        assert_eq!(r.compiles(), 2);
    }
}
