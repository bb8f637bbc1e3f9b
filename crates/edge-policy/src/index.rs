//! Candidate-driven matching: which policies of a signal match a record,
//! at a cost that grows with the number of policies that *could* match
//! rather than with the number of policies.
//!
//! When a snapshot is assembled, every distinct selector of a signal that
//! reads a string-like value (a field or an attribute path) becomes a
//! *slot*. The string conditions on a slot become *raw conditions*:
//!
//! * case-sensitive `exact` / string `equals` literals go into a hash map
//!   from literal to raw ids;
//! * every other string condition (`regex`, `starts_with`, `ends_with`,
//!   `contains`, case-insensitive forms) is a pattern in the slot's
//!   Vectorscan database ([`crate::scan`]);
//! * `exists` is answered by the slot's presence.
//!
//! Each policy picks one *anchor*: a matcher that can only be true when the
//! index reports something (a raw condition hit, the slot being present, or
//! an enum selector such as metric type or span kind having the value).
//! Policies without one (only negated matchers, numeric comparisons, event
//! and link selectors, ...) go to a short always-check list.
//!
//! Per record: resolve each anchor slot once (one hash lookup, one scan;
//! a short value already seen on the thread costs one probe of a bounded
//! per-thread memo instead, see [`memo`]),
//! collect the policies anchored on what was hit plus the always-check list,
//! and run the full matcher list of those candidates only. Conditions on
//! slots are answered from the per-record slot state (a slot that was not an
//! anchor slot is resolved lazily, at most once); the rest are evaluated
//! directly ([`crate::matcher::Condition::test`]). All per-record state lives
//! in a per-thread scratch whose entries carry a generation number, so
//! nothing is cleared or allocated per record.

use crate::compile::{LogSel, Matcher, MetricSel, TraceSel};
use crate::matcher::{Condition, StringMatcher, TypedLit};
use crate::record::{AttrScope, AttrsId, ValueRef};
use crate::record::{LogField, MetricField, MetricType, Temporality, TraceField};
use crate::scan::{PatternBuilder, PatternIndex, ScanBuf};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// How the candidate index answers one matcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Fast {
    /// Evaluated directly from the record.
    #[default]
    Slow,
    /// The raw condition `raw` on `slot` (un-negated truth).
    Raw { slot: u16, raw: u32 },
    /// `exists: want` on `slot`.
    Exists { slot: u16, want: bool },
}

/// What a slot selects.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum SlotKey {
    Log(LogField),
    Metric(MetricField),
    Trace(TraceField),
    Attr(AttrScope, Vec<String>),
}

/// Selector facts the index needs.
pub(crate) trait Selector: Clone {
    /// The slot this selector reads and whether it is a well-known id field
    /// (whose string conditions compare decoded bytes and stay slow).
    fn slot(&self) -> Option<(SlotKey, bool)>;
    /// `(kind, value)` of an implicit enum selector (metric type,
    /// temporality, span kind, span status).
    fn enum_key(&self) -> Option<(u8, i32)> {
        None
    }
    /// The shared collection (resource or scope attributes) this selector
    /// reads, whose slot results can be kept for all the records giving
    /// the same [`AttrsId`].
    fn shared_scope(&self) -> Option<AttrScope> {
        None
    }
}

/// Enum selector kinds.
pub(crate) const ENUM_METRIC_TYPE: u8 = 0;
pub(crate) const ENUM_TEMPORALITY: u8 = 1;
pub(crate) const ENUM_SPAN_KIND: u8 = 2;
pub(crate) const ENUM_SPAN_STATUS: u8 = 3;

pub(crate) fn metric_type_code(t: MetricType) -> i32 {
    match t {
        MetricType::Gauge => 1,
        MetricType::Sum => 2,
        MetricType::Histogram => 3,
        MetricType::ExponentialHistogram => 4,
        MetricType::Summary => 5,
    }
}

pub(crate) fn temporality_code(t: Temporality) -> i32 {
    match t {
        Temporality::Delta => 1,
        Temporality::Cumulative => 2,
    }
}

impl Selector for LogSel {
    fn slot(&self) -> Option<(SlotKey, bool)> {
        Some(match self {
            LogSel::Field(f) => (
                SlotKey::Log(*f),
                matches!(f, LogField::TraceId | LogField::SpanId),
            ),
            LogSel::Attr(scope, path) => (SlotKey::Attr(*scope, path.clone()), false),
        })
    }

    fn shared_scope(&self) -> Option<AttrScope> {
        match self {
            LogSel::Attr(scope @ (AttrScope::Resource | AttrScope::Scope), _) => Some(*scope),
            _ => None,
        }
    }
}

impl Selector for MetricSel {
    fn slot(&self) -> Option<(SlotKey, bool)> {
        match self {
            MetricSel::Field(f) => Some((SlotKey::Metric(*f), false)),
            MetricSel::Attr(scope, path) => Some((SlotKey::Attr(*scope, path.clone()), false)),
            MetricSel::Type(_) | MetricSel::Temporality(_) => None,
        }
    }

    fn enum_key(&self) -> Option<(u8, i32)> {
        match self {
            MetricSel::Type(t) => Some((ENUM_METRIC_TYPE, metric_type_code(*t))),
            MetricSel::Temporality(t) => Some((ENUM_TEMPORALITY, temporality_code(*t))),
            _ => None,
        }
    }
}

impl Selector for TraceSel {
    fn slot(&self) -> Option<(SlotKey, bool)> {
        match self {
            TraceSel::Field(f) => Some((
                SlotKey::Trace(*f),
                matches!(
                    f,
                    TraceField::TraceId | TraceField::SpanId | TraceField::ParentSpanId
                ),
            )),
            TraceSel::Attr(scope, path) => Some((SlotKey::Attr(*scope, path.clone()), false)),
            _ => None,
        }
    }

    fn enum_key(&self) -> Option<(u8, i32)> {
        match self {
            TraceSel::Kind(k) => Some((ENUM_SPAN_KIND, *k)),
            TraceSel::Status(s) => Some((ENUM_SPAN_STATUS, *s)),
            _ => None,
        }
    }
}

/// FxHash-style hasher for the literal maps: keys are policy literals and
/// lookups are record values (no attacker-chosen inserts).
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

const INLINE: usize = 8;

/// Indices of matching policies (ascending); no allocation for up to eight.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Matched {
    len: usize,
    inline: [u32; INLINE],
    spill: Vec<u32>,
}

impl Matched {
    #[inline]
    pub(crate) fn push(&mut self, i: u32) {
        if self.len < INLINE {
            self.inline[self.len] = i;
        } else {
            if self.spill.is_empty() {
                self.spill.extend_from_slice(&self.inline);
            }
            self.spill.push(i);
        }
        self.len += 1;
    }
}

impl std::ops::Deref for Matched {
    type Target = [u32];
    #[inline]
    fn deref(&self) -> &[u32] {
        if self.len <= INLINE {
            &self.inline[..self.len]
        } else {
            &self.spill
        }
    }
}

#[derive(Debug)]
struct Slot<S> {
    sel: S,
    /// [`Selector::shared_scope`] of `sel`.
    shared: Option<AttrScope>,
    /// Case-sensitive literal → raw ids.
    exact: FxMap<Box<str>, Vec<u32>>,
    /// Pattern id → raw ids (empty when the slot has no patterns).
    pid_raws: Vec<Vec<u32>>,
    /// Policies anchored on this slot's presence.
    exists_policies: Vec<u32>,
}

/// The candidate index of one signal's policies.
#[derive(Debug)]
pub(crate) struct SignalIndex<S> {
    slots: Vec<Slot<S>>,
    /// Slots resolved for every record (they anchor some policy).
    anchor_slots: Vec<u16>,
    /// Per raw id: only true for string values (typed `equals`).
    raw_str_only: Vec<bool>,
    /// CSR: policies anchored on raw `r` are
    /// `raw_anchored[raw_start[r]..raw_start[r + 1]]`.
    raw_start: Vec<u32>,
    raw_anchored: Vec<u32>,
    /// Enum kinds with anchors, and `(kind, value, policies)`.
    enum_kinds: Vec<u8>,
    enum_anchors: Vec<(u8, i32, Vec<u32>)>,
    /// Policies checked for every record.
    always: Vec<u32>,
    patterns: Option<PatternIndex>,
    /// Identity for the per-thread memo ([`memo`]); unique per build.
    id: u64,
}

impl<S> Default for SignalIndex<S> {
    fn default() -> Self {
        SignalIndex {
            slots: Vec::new(),
            anchor_slots: Vec::new(),
            raw_str_only: Vec::new(),
            raw_start: vec![0],
            raw_anchored: Vec::new(),
            enum_kinds: Vec::new(),
            enum_anchors: Vec::new(),
            always: Vec::new(),
            patterns: None,
            id: 0,
        }
    }
}

#[derive(PartialEq, Eq, Hash)]
struct RawKey {
    slot: u16,
    pattern: bool,
    /// `text` is a regex answered by its literal set.
    set: bool,
    text: String,
    ci: bool,
    str_only: bool,
}

/// The string condition of a matcher, if it can be a raw condition:
/// (matcher, string values only).
fn string_cond(c: &Condition) -> Option<(&StringMatcher, bool)> {
    match c {
        Condition::Exact(sm, _) => Some((sm, false)),
        Condition::Str(sm) => Some((sm, false)),
        Condition::Equals(TypedLit::Str(sm, _)) => Some((sm, true)),
        _ => None,
    }
}

impl<S: Selector> SignalIndex<S> {
    /// Build the index over the matcher lists of a signal's policies (in
    /// evaluation order) and set every matcher's [`Fast`].
    pub(crate) fn build<'m>(policies: impl Iterator<Item = &'m mut Vec<Matcher<S>>>) -> Self
    where
        S: 'm,
    {
        let mut policies: Vec<&mut Vec<Matcher<S>>> = policies.collect();
        let mut idx = SignalIndex::<S> {
            id: memo::next_id(),
            ..SignalIndex::default()
        };
        let mut slot_ids: HashMap<SlotKey, u16> = HashMap::new();
        let mut raw_ids: HashMap<RawKey, u32> = HashMap::new();
        // (slot, pid) of pattern raws.
        let mut raw_pid: Vec<Option<(u16, u32)>> = Vec::new();
        let mut pb = PatternBuilder::default();

        for ms in policies.iter_mut() {
            for m in ms.iter_mut() {
                m.fast = Fast::Slow;
                let Some((key, is_id)) = m.sel.slot() else {
                    continue;
                };
                let Some(cond) = &m.cond else {
                    continue;
                };
                let slot = match slot_ids.get(&key) {
                    Some(s) => *s,
                    None => {
                        let Ok(s) = u16::try_from(idx.slots.len()) else {
                            continue;
                        };
                        slot_ids.insert(key, s);
                        idx.slots.push(Slot {
                            shared: m.sel.shared_scope(),
                            sel: m.sel.clone(),
                            exact: FxMap::default(),
                            pid_raws: Vec::new(),
                            exists_policies: Vec::new(),
                        });
                        s
                    }
                };
                if let Condition::Exists(want) = cond {
                    m.fast = Fast::Exists { slot, want: *want };
                    continue;
                }
                if is_id {
                    continue;
                }
                let Some((sm, str_only)) = string_cond(cond) else {
                    continue;
                };
                // A regex that only matches a few whole values is answered
                // like `exact` literals: one hash lookup per literal set.
                let set = sm.exact_set(m.ci);
                let (pattern, text, ci, literals) = match (sm, set) {
                    (StringMatcher::Exact(lit), _) => (false, lit.clone(), false, None),
                    (_, Some(set)) if set.len() == 1 => (false, set[0].clone(), false, None),
                    (other, Some(set)) => (false, other.expression(), false, Some(set)),
                    (other, None) => (true, other.expression(), m.ci, None),
                };
                let rk = RawKey {
                    slot,
                    pattern,
                    set: literals.is_some(),
                    text,
                    ci,
                    str_only,
                };
                let raw = match raw_ids.get(&rk) {
                    Some(r) => *r,
                    None => {
                        let pid = if pattern {
                            match pb.add(slot, &rk.text, ci) {
                                Some(pid) => Some((slot, pid)),
                                None => continue,
                            }
                        } else {
                            None
                        };
                        let r = idx.raw_str_only.len() as u32;
                        idx.raw_str_only.push(str_only);
                        raw_pid.push(pid);
                        if !pattern {
                            let exact = &mut idx.slots[usize::from(slot)].exact;
                            match &literals {
                                Some(set) => {
                                    for lit in set {
                                        exact.entry(lit.as_str().into()).or_default().push(r);
                                    }
                                }
                                None => exact
                                    .entry(rk.text.clone().into_boxed_str())
                                    .or_default()
                                    .push(r),
                            }
                        }
                        raw_ids.insert(rk, r);
                        r
                    }
                };
                m.fast = Fast::Raw { slot, raw };
            }
        }

        idx.patterns = pb.build();
        if idx.patterns.is_none() {
            // Patterns go back to the regex path.
            for ms in policies.iter_mut() {
                for m in ms.iter_mut() {
                    if let Fast::Raw { raw, .. } = m.fast {
                        if raw_pid[raw as usize].is_some() {
                            m.fast = Fast::Slow;
                        }
                    }
                }
            }
        } else {
            for (r, pid) in raw_pid.iter().enumerate() {
                if let Some((slot, pid)) = *pid {
                    let s = &mut idx.slots[usize::from(slot)];
                    let pid = pid as usize;
                    if s.pid_raws.len() <= pid {
                        s.pid_raws.resize_with(pid + 1, Vec::new);
                    }
                    s.pid_raws[pid].push(r as u32);
                }
            }
        }

        // Anchors: per policy the most selective positive matcher, by class
        // (literal, pattern, enum, presence) and then by how many policies
        // share the condition (a shared `severity_text == "error"` is a
        // worse anchor than a per-policy literal).
        let n_raw = idx.raw_str_only.len();
        let mut raw_refs = vec![0u32; n_raw];
        let mut enum_refs: HashMap<(u8, i32), u32> = HashMap::new();
        for ms in policies.iter() {
            for m in ms.iter().filter(|m| !m.negate) {
                if let Fast::Raw { raw, .. } = m.fast {
                    raw_refs[raw as usize] += 1;
                } else if let Some(k) = m.sel.enum_key() {
                    *enum_refs.entry(k).or_default() += 1;
                }
            }
        }
        let mut raw_lists: Vec<Vec<u32>> = vec![Vec::new(); n_raw];
        let mut anchor_slot = vec![false; idx.slots.len()];
        for (i, ms) in policies.iter().enumerate() {
            let i = i as u32;
            let mut best: Option<((u8, u32), Anchor)> = None;
            for m in ms.iter() {
                let cand = match m.fast {
                    Fast::Raw { slot, raw } if !m.negate => {
                        let class = if raw_pid[raw as usize].is_some() {
                            1
                        } else {
                            0
                        };
                        Some(((class, raw_refs[raw as usize]), Anchor::Raw(slot, raw)))
                    }
                    Fast::Exists { slot, want } if want != m.negate => {
                        Some(((3, 0), Anchor::Present(slot)))
                    }
                    _ => match m.sel.enum_key() {
                        Some(k) if !m.negate => Some((
                            (2, enum_refs.get(&k).copied().unwrap_or(0)),
                            Anchor::Enum(k.0, k.1),
                        )),
                        _ => None,
                    },
                };
                if let Some(c) = cand {
                    if best.as_ref().is_none_or(|b| c.0 < b.0) {
                        best = Some(c);
                    }
                }
            }
            match best {
                None => idx.always.push(i),
                Some((_, Anchor::Raw(slot, raw))) => {
                    raw_lists[raw as usize].push(i);
                    anchor_slot[usize::from(slot)] = true;
                }
                Some((_, Anchor::Present(slot))) => {
                    idx.slots[usize::from(slot)].exists_policies.push(i);
                    anchor_slot[usize::from(slot)] = true;
                }
                Some((_, Anchor::Enum(k, v))) => {
                    if !idx.enum_kinds.contains(&k) {
                        idx.enum_kinds.push(k);
                    }
                    match idx
                        .enum_anchors
                        .iter_mut()
                        .find(|(kk, vv, _)| *kk == k && *vv == v)
                    {
                        Some(e) => e.2.push(i),
                        None => idx.enum_anchors.push((k, v, vec![i])),
                    }
                }
            }
        }
        idx.raw_start = Vec::with_capacity(n_raw + 1);
        idx.raw_start.push(0);
        for l in raw_lists {
            idx.raw_anchored.extend(l);
            idx.raw_start.push(idx.raw_anchored.len() as u32);
        }
        idx.anchor_slots = (0..idx.slots.len() as u16)
            .filter(|s| anchor_slot[usize::from(*s)])
            .collect();
        idx
    }

    /// Number of policies checked for every record (tests, diagnostics).
    #[cfg(test)]
    pub(crate) fn always_len(&self) -> usize {
        self.always.len()
    }

    /// The matching policies among `policies` (ascending indices).
    ///
    /// * `resolve` reads a slot selector's value from the record;
    /// * `shared_id` gives the [`AttrsId`] of the record's resource or
    ///   scope attributes, when known: a slot reading them is then resolved
    ///   once per thread for all the records with that id;
    /// * `enum_of` reads an enum selector kind's value;
    /// * `slow` evaluates a matcher with [`Fast::Slow`] (negation included).
    pub(crate) fn matching<'p, 'r, P>(
        &self,
        policies: &'p [P],
        matchers: impl Fn(&'p P) -> &'p [Matcher<S>],
        resolve: impl Fn(&S) -> Option<ValueRef<'r>>,
        shared_id: impl Fn(AttrScope) -> Option<AttrsId>,
        enum_of: impl Fn(u8) -> Option<i32>,
        slow: impl Fn(&Matcher<S>) -> bool,
    ) -> Matched
    where
        S: 'p,
    {
        with_scratch(|sc| {
            sc.begin(self.slots.len(), self.raw_str_only.len());
            let mut cands = std::mem::take(&mut sc.cands);
            cands.clear();
            for &s in &self.anchor_slots {
                let s = usize::from(s);
                self.eval_slot(sc, s, &resolve, &shared_id);
                for &r in &sc.hits {
                    let r = r as usize;
                    let (a, b) = (self.raw_start[r] as usize, self.raw_start[r + 1] as usize);
                    cands.extend_from_slice(&self.raw_anchored[a..b]);
                }
                if sc.slot_present[s] {
                    cands.extend_from_slice(&self.slots[s].exists_policies);
                }
            }
            for &k in &self.enum_kinds {
                if let Some(v) = enum_of(k) {
                    for (kk, vv, list) in &self.enum_anchors {
                        if *kk == k && *vv == v {
                            cands.extend_from_slice(list);
                        }
                    }
                }
            }
            cands.extend_from_slice(&self.always);
            cands.sort_unstable();
            let mut matched = Matched::default();
            for &p in &cands {
                let ms = matchers(&policies[p as usize]);
                if ms
                    .iter()
                    .all(|m| self.truth(m, sc, &resolve, &shared_id, &slow))
                {
                    matched.push(p);
                }
            }
            sc.cands = cands;
            matched
        })
    }

    #[inline]
    fn truth<'r>(
        &self,
        m: &Matcher<S>,
        sc: &mut Scratch,
        resolve: &impl Fn(&S) -> Option<ValueRef<'r>>,
        shared_id: &impl Fn(AttrScope) -> Option<AttrsId>,
        slow: &impl Fn(&Matcher<S>) -> bool,
    ) -> bool {
        match m.fast {
            Fast::Slow => slow(m),
            Fast::Raw { slot, raw } => {
                let s = usize::from(slot);
                if sc.slot_gen[s] != sc.gen {
                    self.eval_slot(sc, s, resolve, shared_id);
                }
                (sc.raw_gen[raw as usize] == sc.gen) != m.negate
            }
            Fast::Exists { slot, want } => {
                let s = usize::from(slot);
                if sc.slot_gen[s] != sc.gen && sc.present_gen[s] != sc.gen {
                    // Presence only: no literal lookup or scan.
                    sc.present_gen[s] = sc.gen;
                    sc.slot_present[s] = resolve(&self.slots[s].sel).is_some();
                }
                (sc.slot_present[s] == want) != m.negate
            }
        }
    }

    /// Resolve slot `s` for the current record: presence, exact-literal
    /// hits and pattern hits. The raw ids hit are left in `sc.hits`.
    ///
    /// A slot reading resource or scope attributes whose [`AttrsId`] is
    /// known is answered from the per-thread [`Shared`] entry of the slot
    /// when the record has the same id as the one resolved last.
    #[inline(always)]
    fn eval_slot<'r>(
        &self,
        sc: &mut Scratch,
        s: usize,
        resolve: &impl Fn(&S) -> Option<ValueRef<'r>>,
        shared_id: &impl Fn(AttrScope) -> Option<AttrsId>,
    ) {
        let Some(id) = self.slots[s].shared.and_then(shared_id) else {
            return self.eval_value(sc, s, resolve);
        };
        let id = id.get();
        let gen = sc.gen;
        let e = &sc.shared[s];
        if e.index == self.id && e.id == id {
            sc.slot_gen[s] = gen;
            sc.slot_present[s] = e.present;
            sc.hits.clear();
            for &r in &e.raws[..e.n as usize] {
                sc.raw_gen[r as usize] = gen;
                sc.hits.push(r);
            }
            return;
        }
        self.eval_value(sc, s, resolve);
        let e = &mut sc.shared[s];
        if sc.hits.len() <= SHARED_RAWS {
            e.index = self.id;
            e.id = id;
            e.present = sc.slot_present[s];
            e.n = sc.hits.len() as u32;
            e.raws[..sc.hits.len()].copy_from_slice(&sc.hits);
        } else {
            e.index = 0;
        }
    }

    /// [`SignalIndex::eval_slot`] from the record's value.
    fn eval_value<'r>(
        &self,
        sc: &mut Scratch,
        s: usize,
        resolve: &impl Fn(&S) -> Option<ValueRef<'r>>,
    ) {
        let Scratch {
            gen,
            slot_gen,
            slot_present,
            raw_gen,
            hits,
            hex,
            buf,
            memo,
            ..
        } = sc;
        let gen = *gen;
        hits.clear();
        let slot = &self.slots[s];
        let v = resolve(&slot.sel);
        slot_gen[s] = gen;
        slot_present[s] = v.is_some();
        if slot.exact.is_empty() && slot.pid_raws.is_empty() {
            return;
        }
        let (hay, is_str): (&str, bool) = match &v {
            Some(ValueRef::Str(x)) if !x.is_empty() => (x, true),
            Some(ValueRef::Bytes(b)) if !b.is_empty() => {
                hex.clear();
                for byte in b.iter() {
                    const DIGITS: &[u8; 16] = b"0123456789abcdef";
                    hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
                    hex.push(char::from(DIGITS[usize::from(byte & 15)]));
                }
                (hex.as_str(), false)
            }
            _ => return,
        };
        let str_only = &self.raw_str_only;
        let patterns = match &self.patterns {
            Some(p) if !slot.pid_raws.is_empty() => p,
            _ => {
                if let Some(list) = slot.exact.get(hay) {
                    for &r in list {
                        if is_str || !str_only[r as usize] {
                            raw_gen[r as usize] = gen;
                            hits.push(r);
                        }
                    }
                }
                return;
            }
        };
        // A slot with patterns: a short value seen before on this thread
        // costs one memo probe instead of a literal lookup and a scan.
        let key = hay.as_bytes();
        let mut memo = memo.as_deref_mut().filter(|_| key.len() <= memo::MAX_KEY);
        let miss = match memo
            .as_deref_mut()
            .map(|m| m.get(self.id, s as u16, is_str, key))
        {
            Some(Ok(raws)) => {
                for &r in raws {
                    raw_gen[r as usize] = gen;
                    hits.push(r);
                }
                return;
            }
            Some(Err(miss)) => Some(miss),
            None => None,
        };
        let mut set = |r: u32| {
            if is_str || !str_only[r as usize] {
                raw_gen[r as usize] = gen;
                hits.push(r);
            }
        };
        if let Some(list) = slot.exact.get(hay) {
            for &r in list {
                set(r);
            }
        }
        #[cfg(test)]
        SCANS.with(|c| c.set(c.get() + 1));
        patterns.scan(s as u16, hay, buf, |pid| {
            if let Some(rs) = slot.pid_raws.get(pid as usize) {
                for &r in rs {
                    set(r);
                }
            }
        });
        if let (Some(m), Some(miss)) = (memo, miss) {
            m.put(miss, self.id, s as u16, is_str, key, hits);
        }
    }
}

enum Anchor {
    Raw(u16, u32),
    Present(u16),
    Enum(u8, i32),
}

/// Most raw ids a [`Shared`] entry holds (a slot hitting more is resolved
/// for every record).
const SHARED_RAWS: usize = 8;

/// The last result of a slot reading resource or scope attributes, for the
/// records with the same [`AttrsId`].
#[derive(Default, Clone, Copy)]
struct Shared {
    /// [`SignalIndex`] identity (0: empty entry).
    index: u64,
    /// [`AttrsId::get`] of the attributes it was resolved from.
    id: u64,
    present: bool,
    n: u32,
    raws: [u32; SHARED_RAWS],
}

/// Per-thread evaluation state. Entries are valid when their generation
/// equals `gen`, so starting a record is one increment.
#[derive(Default)]
struct Scratch {
    gen: u32,
    /// Slot fully resolved (presence, literal and pattern hits).
    slot_gen: Vec<u32>,
    /// Slot presence known (set with `slot_gen` or on its own).
    present_gen: Vec<u32>,
    slot_present: Vec<bool>,
    /// Per slot: the last result for shared attributes.
    shared: Vec<Shared>,
    raw_gen: Vec<u32>,
    cands: Vec<u32>,
    hits: Vec<u32>,
    hex: String,
    buf: ScanBuf,
    /// Slot results of short values ([`memo`]); `None` in the scratch of a
    /// re-entrant evaluation.
    memo: Option<Box<memo::Memo>>,
}

impl Scratch {
    #[inline]
    fn begin(&mut self, slots: usize, raws: usize) {
        self.gen = self.gen.wrapping_add(1);
        if self.gen == 0 {
            self.slot_gen.iter_mut().for_each(|g| *g = 0);
            self.present_gen.iter_mut().for_each(|g| *g = 0);
            self.raw_gen.iter_mut().for_each(|g| *g = 0);
            self.gen = 1;
        }
        if self.slot_gen.len() < slots {
            self.slot_gen.resize(slots, 0);
            self.present_gen.resize(slots, 0);
            self.slot_present.resize(slots, false);
            self.shared.resize(slots, Shared::default());
        }
        if self.raw_gen.len() < raws {
            self.raw_gen.resize(raws, 0);
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Pattern scans run on this thread (tests).
    static SCANS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut sc) => {
            if sc.memo.is_none() {
                sc.memo = Some(Box::default());
            }
            f(&mut sc)
        }
        // Re-entrant evaluation (e.g. from an extension handler).
        Err(_) => f(&mut Scratch::default()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn matched_spills_past_inline_capacity() {
        let mut m = Matched::default();
        assert!(m.is_empty());
        for i in 0..20 {
            m.push(i);
            assert_eq!(&*m, (0..=i).collect::<Vec<u32>>().as_slice());
        }
        assert!(m.binary_search(&13).is_ok());
    }

    #[test]
    fn fx_hasher_distinguishes_lengths_and_tails() {
        let h = BuildHasherDefault::<FxHasher>::default();
        let a = h.hash_one("abcdefgh");
        let b = h.hash_one("abcdefgh\0");
        let c = h.hash_one("abcdefgi");
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, h.hash_one("abcdefgh"));
    }
}

#[cfg(test)]
mod differential;

mod memo;
