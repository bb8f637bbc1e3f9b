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

/// Appends a length-delimited field: key for `tag`, then the bytes `write`
/// appends, prefixed with their length.
pub(super) fn put_delimited(out: &mut Vec<u8>, tag: u32, write: impl FnOnce(&mut Vec<u8>)) {
    put_varint(out, u64::from(tag) << 3 | 2);
    // Room for the longest length a body can have (5 bytes up to 4 GiB);
    // the content moves back when its length is shorter.
    const ROOM: usize = 5;
    let at = out.len();
    out.extend_from_slice(&[0; ROOM]);
    write(out);
    let len = out.len() - at - ROOM;
    let mut prefix = Vec::with_capacity(10);
    put_varint(&mut prefix, len as u64);
    if prefix.len() <= ROOM {
        out[at..at + prefix.len()].copy_from_slice(&prefix);
        out.copy_within(at + ROOM.., at + prefix.len());
        out.truncate(at + prefix.len() + len);
    } else {
        out.splice(at..at + ROOM, prefix);
    }
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
            put_delimited(out, field.tag, |out| {
                written = write_message(body, field.value..field.end, edits, next, out);
            });
            written?;
        }
        pos = field.end;
    }
    Some(())
}
