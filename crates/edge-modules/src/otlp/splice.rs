//! Rewriting a protobuf message by splicing: the bytes of everything kept
//! are copied as they are (unknown fields, repeated singular fields and
//! non-canonical encodings included), and only the length prefixes of the
//! messages enclosing a change are written again.
//!
//! A change is an [`Edit`] on a byte range of the original body: a field
//! dropped, a field replaced by other bytes (a re-encoded record), or new
//! bytes inserted at the start of a message's content (a field the
//! original did not have). The body must be well-formed protobuf (it has
//! passed `scan_proto`).

use std::ops::Range;

/// What an [`Edit`] does to its range.
#[derive(Debug)]
pub(super) enum EditKind {
    /// The field is left out.
    Drop,
    /// The field is replaced by these bytes (a whole field: key, length,
    /// content).
    Replace(Vec<u8>),
    /// These bytes (whole fields) are written at the start of the content
    /// of the message whose content starts at the edit's (empty) range.
    Insert(Vec<u8>),
}

/// One change to a body: `range` is a whole field (key to end of value) for
/// [`EditKind::Drop`] and [`EditKind::Replace`], the empty range at the
/// start of a message's content for [`EditKind::Insert`].
#[derive(Debug)]
pub(super) struct Edit {
    pub(super) range: Range<usize>,
    pub(super) kind: EditKind,
}

/// One field of a message, with absolute offsets in the body.
#[derive(Debug, Clone, Copy)]
pub(super) struct Field {
    /// The field number.
    pub(super) tag: u32,
    /// The wire type.
    pub(super) wire: u8,
    /// Where the field's key starts.
    pub(super) start: usize,
    /// Where the field's value starts (after the length of a
    /// length-delimited field).
    pub(super) value: usize,
    /// Where the field ends.
    pub(super) end: usize,
}

/// Reads a base-128 varint at `pos`, moving `pos` past it.
#[inline]
pub(super) fn varint(buf: &[u8], pos: &mut usize) -> Option<u64> {
    // One byte: every key of a field numbered below 16 and most lengths.
    let byte = *buf.get(*pos)?;
    if byte < 0x80 {
        *pos += 1;
        return Some(u64::from(byte));
    }
    varint_long(buf, pos)
}

fn varint_long(buf: &[u8], pos: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for count in 0..10 {
        let byte = *buf.get(*pos)?;
        *pos += 1;
        value |= u64::from(byte & 0x7f) << (count * 7);
        if byte < 0x80 {
            return Some(value);
        }
    }
    None
}

fn skip_group(buf: &[u8], pos: &mut usize, tag: u32) -> Option<()> {
    loop {
        let key = varint(buf, pos)?;
        let inner = (key >> 3) as u32;
        match key & 7 {
            0 => {
                varint(buf, pos)?;
            }
            1 => *pos = pos.checked_add(8)?,
            5 => *pos = pos.checked_add(4)?,
            2 => {
                let len = varint(buf, pos)?;
                *pos = pos.checked_add(usize::try_from(len).ok()?)?;
            }
            3 => skip_group(buf, pos, inner)?,
            4 => return (inner == tag).then_some(()),
            _ => return None,
        }
        if *pos > buf.len() {
            return None;
        }
    }
}

/// The field starting at `pos` in `body`, within `limit`; `None` when it is
/// malformed (never for a body `scan_proto` accepted).
pub(super) fn field_at(body: &[u8], pos: usize, limit: usize) -> Option<Field> {
    let buf = body.get(..limit)?;
    let mut p = pos;
    let key = varint(buf, &mut p)?;
    let tag = (key >> 3) as u32;
    let wire = (key & 7) as u8;
    let mut value = p;
    match wire {
        0 => {
            varint(buf, &mut p)?;
        }
        1 => p = p.checked_add(8)?,
        5 => p = p.checked_add(4)?,
        2 => {
            let len = varint(buf, &mut p)?;
            value = p;
            p = p.checked_add(usize::try_from(len).ok()?)?;
        }
        3 => skip_group(buf, &mut p, tag)?,
        _ => return None,
    }
    (p <= limit).then_some(Field {
        tag,
        wire,
        start: pos,
        value,
        end: p,
    })
}

/// The fields of the message occupying `range` of `body`, in order; stops
/// at the first malformed field.
pub(super) fn fields(body: &[u8], range: Range<usize>) -> Fields<'_> {
    Fields {
        body,
        pos: range.start,
        end: range.end,
    }
}

/// Iterator of [`fields`].
pub(super) struct Fields<'a> {
    body: &'a [u8],
    pos: usize,
    end: usize,
}

impl Iterator for Fields<'_> {
    type Item = Field;

    fn next(&mut self) -> Option<Field> {
        if self.pos >= self.end {
            return None;
        }
        #[cfg(test)]
        super::raw_logs::FIELDS_VISITED.with(|c| c.set(c.get() + 1));
        let field = field_at(self.body, self.pos, self.end);
        self.pos = field.map_or(self.end, |f| f.end);
        field
    }
}

/// Appends `value` as a protobuf varint.
pub(super) fn put_varint(out: &mut Vec<u8>, value: u64) {
    prost::encoding::encode_varint(value, out);
}

/// How many bytes the varint encoding of `value` takes.
pub(super) fn varint_len(value: u64) -> usize {
    prost::encoding::encoded_len_varint(value)
}

/// Appends a length-delimited field: key for `tag`, then the bytes `write`
/// appends, prefixed with their length.
///
/// `room` is the expected size of the length prefix (the size of the
/// original's prefix, or of the content's expected length): that many
/// bytes are left before the content, and the content moves only when its
/// length turns out to take another number of bytes. The bytes written do
/// not depend on `room`.
pub(super) fn put_delimited(
    out: &mut Vec<u8>,
    tag: u32,
    room: usize,
    write: impl FnOnce(&mut Vec<u8>),
) {
    put_varint(out, u64::from(tag) << 3 | 2);
    let room = room.clamp(1, 10);
    let at = out.len();
    out.resize(at + room, 0);
    write(out);
    let len = out.len() - at - room;
    let mut prefix = [0u8; 10];
    let width = encode_varint(len as u64, &mut prefix);
    let prefix = &prefix[..width];
    if width == room {
        out[at..at + width].copy_from_slice(prefix);
    } else if width < room {
        out[at..at + width].copy_from_slice(prefix);
        out.copy_within(at + room.., at + width);
        out.truncate(at + width + len);
    } else {
        out.splice(at..at + room, prefix.iter().copied());
    }
}

/// Appends a length-delimited field of `tag` holding `bytes`.
pub(super) fn put_bytes(out: &mut Vec<u8>, tag: u32, bytes: &[u8]) {
    put_varint(out, u64::from(tag) << 3 | 2);
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Writes `value` as a varint at the start of `buf`; returns its size.
fn encode_varint(mut value: u64, buf: &mut [u8; 10]) -> usize {
    let mut i = 0;
    while value >= 0x80 {
        buf[i] = (value as u8) | 0x80;
        value >>= 7;
        i += 1;
    }
    buf[i] = value as u8;
    i + 1
}

/// The body with `edits` applied. `None` when the body turns out to be
/// malformed (never for a body `scan_proto` accepted).
pub(super) fn apply(body: &[u8], edits: &mut [Edit]) -> Option<Vec<u8>> {
    // Inserts first at their position, then outer fields before the fields
    // they contain.
    edits.sort_by_key(|e| {
        (
            e.range.start,
            !matches!(e.kind, EditKind::Insert(_)),
            std::cmp::Reverse(e.range.end),
        )
    });
    let mut out = Vec::with_capacity(body.len());
    let mut next = 0;
    write_message(body, 0..body.len(), edits, &mut next, &mut out)?;
    Some(out)
}

/// Writes the content of the message at `range` with the edits from
/// `edits[*next..]` that fall in it.
fn write_message(
    body: &[u8],
    range: Range<usize>,
    edits: &[Edit],
    next: &mut usize,
    out: &mut Vec<u8>,
) -> Option<()> {
    let mut pos = range.start;
    while pos < range.end {
        while let Some(Edit {
            range: r,
            kind: EditKind::Insert(bytes),
        }) = edits.get(*next)
        {
            if r.start != pos {
                break;
            }
            out.extend_from_slice(bytes);
            *next += 1;
        }
        let Some(edit) = edits.get(*next).filter(|e| e.range.start < range.end) else {
            // Nothing more changes in this message.
            out.extend_from_slice(&body[pos..range.end]);
            return Some(());
        };
        // Copy the untouched fields before the one holding the next edit.
        let copy_from = pos;
        let mut field = field_at(body, pos, range.end)?;
        while field.end <= edit.range.start {
            pos = field.end;
            field = field_at(body, pos, range.end)?;
        }
        out.extend_from_slice(&body[copy_from..pos]);
        if edit.range == (field.start..field.end) && !matches!(edit.kind, EditKind::Insert(_)) {
            if let EditKind::Replace(bytes) = &edit.kind {
                out.extend_from_slice(bytes);
            }
            *next += 1;
            // Edits inside a dropped or replaced field have no effect.
            while edits.get(*next).is_some_and(|e| e.range.start < field.end) {
                *next += 1;
            }
        } else {
            // The edit is inside this field: a message, written again.
            if field.wire != 2 {
                return None;
            }
            let mut written = Some(());
            // The length prefix as received (after the key) is the room
            // left for the new one: it moves the content only when the
            // new length needs another number of bytes.
            let key_len = varint_len(u64::from(field.tag) << 3 | 2);
            let room = (field.value - field.start).saturating_sub(key_len);
            put_delimited(out, field.tag, room, |out| {
                written = write_message(body, field.value..field.end, edits, next, out);
            });
            written?;
        }
        pos = field.end;
    }
    Some(())
}

/// The scopes of one resource (whole fields, with how many of their
/// records are kept) without kept records are dropped once a record of the
/// request was dropped (`dropped`); returns how many scopes remain.
pub(super) fn drop_empty_scopes(
    scopes: &[(Range<usize>, usize)],
    dropped: bool,
    edits: &mut Vec<Edit>,
) -> usize {
    if !dropped {
        return scopes.len();
    }
    let mut remaining = scopes.len();
    for (range, kept) in scopes {
        if *kept == 0 {
            edits.push(Edit {
                range: range.clone(),
                kind: EditKind::Drop,
            });
            remaining -= 1;
        }
    }
    remaining
}

/// Appends the fields of `message` whose numbers are not in `known`, as
/// they are.
pub(super) fn unknown_fields(message: &[u8], known: &[u32], out: &mut Vec<u8>) {
    for f in fields(message, 0..message.len()) {
        if !known.contains(&f.tag) {
            out.extend_from_slice(&message[f.start..f.end]);
        }
    }
}

/// The field numbers of `Span` prost decodes.
pub(super) const SPAN_KNOWN: &[u32] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

/// `body` (a valid OTLP metrics or traces request: resources in field 1,
/// their scopes in field 2, the scopes' records in field 2) with the
/// records `fates` drops removed and those it marks changed written again
/// from `records` (the decoded records, in request order) followed by the
/// fields of the original record prost does not know (`known`). Everything
/// else keeps its bytes, unknown fields included. Once a record was
/// dropped, the scopes left without records of each following resource go,
/// and at the end every resource without scopes, as
/// [`super::proto::process_metrics`] and [`super::proto::process_traces`]
/// remove them. `None` when the walk and the fates disagree (never for a
/// body prost decoded).
pub(super) fn splice_fates<'m, M: prost::Message + 'm>(
    body: &[u8],
    fates: &[super::proto::Fate],
    mut records: impl Iterator<Item = &'m M>,
    known: &[u32],
) -> Option<Vec<u8>> {
    use super::proto::Fate;
    let mut fates = fates.iter();
    let mut edits = Vec::new();
    let mut dropped = 0usize;
    let mut empty_resources = Vec::new();
    let mut scopes: Vec<(Range<usize>, usize)> = Vec::new();
    for resource in fields(body, 0..body.len()) {
        if (resource.tag, resource.wire) != (1, 2) {
            continue;
        }
        scopes.clear();
        for scope in fields(body, resource.value..resource.end) {
            if (scope.tag, scope.wire) != (2, 2) {
                continue;
            }
            let mut kept = 0;
            for rec in fields(body, scope.value..scope.end) {
                if (rec.tag, rec.wire) != (2, 2) {
                    continue;
                }
                let decoded = records.next()?;
                match fates.next()? {
                    Fate::Keep => kept += 1,
                    Fate::Drop => {
                        dropped += 1;
                        edits.push(Edit {
                            range: rec.start..rec.end,
                            kind: EditKind::Drop,
                        });
                    }
                    Fate::Changed => {
                        kept += 1;
                        let original = &body[rec.value..rec.end];
                        let len = decoded.encoded_len();
                        let mut field = Vec::with_capacity(len + original.len() / 4 + 8);
                        put_delimited(&mut field, 2, varint_len(len as u64), |out| {
                            decoded.encode_raw(out);
                            unknown_fields(original, known, out);
                        });
                        edits.push(Edit {
                            range: rec.start..rec.end,
                            kind: EditKind::Replace(field),
                        });
                    }
                }
            }
            scopes.push((scope.start..scope.end, kept));
        }
        if drop_empty_scopes(&scopes, dropped > 0, &mut edits) == 0 {
            empty_resources.push(resource.start..resource.end);
        }
    }
    if fates.next().is_some() {
        return None;
    }
    if dropped > 0 {
        edits.extend(empty_resources.into_iter().map(|range| Edit {
            range,
            kind: EditKind::Drop,
        }));
    }
    apply(body, &mut edits)
}

#[cfg(test)]
mod tests {
    use super::{put_bytes, put_delimited, varint_len};

    /// Whatever room is left for the length prefix (right, too small, too
    /// large), the field written is the canonical one: content lengths on
    /// both sides of every width change of a varint up to three bytes.
    #[test]
    fn put_delimited_writes_the_minimal_prefix_whatever_the_room() {
        for len in [
            0usize, 1, 127, 128, 129, 16_383, 16_384, 16_385, 2_097_151, 2_097_152,
        ] {
            let content: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut want = vec![0xaa];
            put_bytes(&mut want, 7, &content);
            assert_eq!(want.len(), 1 + 1 + varint_len(len as u64) + len);
            for room in 0..=11 {
                let mut out = vec![0xaa];
                put_delimited(&mut out, 7, room, |out| out.extend_from_slice(&content));
                assert!(out == want, "len {len} room {room}");
            }
        }
    }
}
