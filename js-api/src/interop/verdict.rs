//! The verdict of `classify`, written in a compact form: building one JS object per
//! record through the boundary costs more than parsing the body. One JSON text with
//! the verdict (records left out) and a table of interned strings, plus one
//! `Uint32Array` with a row per record (indices into the string table, and the span of
//! the record's `details` in the body the caller passed). `js/verdict.js` turns that
//! into the verdict object, whose `records` array is built on first access.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::response::ReadResponse;
use super::{throw, JsResult};
use zcrm_guard::classify::{Classified, LeanRecord, Verdict};
use zcrm_guard::error::Error;
use zcrm_guard::guard::Decision;

#[wasm_bindgen(module = "/js/verdict.js")]
extern "C" {
    #[wasm_bindgen(js_name = buildVerdict)]
    fn build_verdict(wire: &str, rows: Vec<u32>, source: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = buildDecision)]
    fn build_decision(wire: &str, rows: Vec<u32>, source: &JsValue) -> JsValue;
}

/// "No value" in a record row.
const NONE: u32 = u32::MAX;
/// Columns of a record row: index, ok, code, message, id, action, category, retry,
/// details start, details end. Must match `FIELDS` in js/verdict.js.
const FIELDS: usize = 10;

#[derive(Serialize)]
struct Wire<'a> {
    verdict: &'a Verdict,
    strings: &'a [&'a str],
}

/// A settle's decision: its verdict's records travel as rows, as `classify`'s do.
#[derive(Serialize)]
struct DecisionWire<'a> {
    decision: &'a Decision,
    strings: &'a [&'a str],
}

/// The verdict object of `classify` for a response read by [`super::response`].
pub fn verdict_to_js(classified: &Classified<'_>, read: &ReadResponse) -> JsResult {
    let (rows, strings) = encode(&classified.records, read);
    let wire = serde_json::to_string(&Wire {
        verdict: &classified.verdict,
        strings: &strings.list,
    })
    .map_err(|e| throw(&Error::invalid("result", e.to_string())))?;
    Ok(build_verdict(&wire, rows, &read.source))
}

/// The decision object of the Guard's `settle`: `decision.verdict` has no records
/// (they are `records`, lean); the verdict object builds them on first access.
pub fn decision_to_js(
    decision: &Decision,
    records: &[LeanRecord<'_>],
    read: &ReadResponse,
) -> JsResult {
    let (rows, strings) = encode(records, read);
    let wire = serde_json::to_string(&DecisionWire {
        decision,
        strings: &strings.list,
    })
    .map_err(|e| throw(&Error::invalid("result", e.to_string())))?;
    Ok(build_decision(&wire, rows, &read.source))
}

/// The record rows and the string table of lean records.
fn encode<'a>(records: &'a [LeanRecord<'_>], read: &ReadResponse) -> (Vec<u32>, Interner<'a>) {
    // Spans: byte offsets into the body; UTF-16 offsets when the source is a string.
    let base: &str = match (&read.text, &read.bytes) {
        (Some(t), _) => t,
        (None, Some(b)) => std::str::from_utf8(b).unwrap_or_default(),
        (None, None) => "",
    };
    let spans: Vec<Option<(usize, usize)>> = records
        .iter()
        .map(|r| r.details.and_then(|d| span_in(base, d.get())))
        .collect();
    let mut offsets: Vec<usize> = spans.iter().flatten().flat_map(|&(s, e)| [s, e]).collect();
    if read.text.is_some() && !read.ascii {
        utf16_offsets(base, &mut offsets);
    }

    let mut strings = Interner::default();
    let mut rows: Vec<u32> = Vec::with_capacity(records.len().saturating_mul(FIELDS));
    let mut offsets = offsets.into_iter();
    for (r, span) in records.iter().zip(&spans) {
        let (start, end) = match span {
            Some(_) => (
                offsets.next().map_or(NONE, to_u32),
                offsets.next().map_or(NONE, to_u32),
            ),
            None => (NONE, NONE),
        };
        rows.extend_from_slice(&[
            to_u32(r.index),
            u32::from(r.ok),
            strings.id(&r.code),
            strings.id(&r.message),
            r.id.as_deref().map_or(NONE, |s| strings.push(s)),
            r.action.as_deref().map_or(NONE, |s| strings.id(s)),
            strings.id(r.category.as_str()),
            strings.id(r.retry.as_str()),
            start,
            end,
        ]);
    }
    (rows, strings)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NONE)
}

/// Distinct repeated strings looked up before adding one more; beyond, strings are
/// added again (a longer table, never a quadratic search).
const MAX_INTERNED: usize = 32;

/// The string table. Codes, messages, actions and names repeat from record to
/// record and are stored once (a short linear search beats hashing here); ids are
/// unique and appended as they come.
#[derive(Default)]
struct Interner<'a> {
    list: Vec<&'a str>,
    repeated: Vec<(&'a str, u32)>,
}

impl<'a> Interner<'a> {
    fn id(&mut self, s: &'a str) -> u32 {
        if let Some(&(_, id)) = self.repeated.iter().find(|(r, _)| *r == s) {
            return id;
        }
        let id = self.push(s);
        if self.repeated.len() < MAX_INTERNED {
            self.repeated.push((s, id));
        }
        id
    }

    fn push(&mut self, s: &'a str) -> u32 {
        let id = to_u32(self.list.len());
        self.list.push(s);
        id
    }
}

/// Byte span of `part` inside `text`, when `part` is a slice of `text`.
pub fn span_in(text: &str, part: &str) -> Option<(usize, usize)> {
    let start = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let end = start.checked_add(part.len())?;
    (end <= text.len()).then_some((start, end))
}

/// Converts ascending byte offsets of `text` (on char boundaries) to UTF-16 offsets,
/// in place, in one pass. Offsets must be sorted ascending.
pub fn utf16_offsets(text: &str, offsets: &mut [usize]) {
    if text.is_ascii() {
        return;
    }
    let mut byte = 0usize;
    let mut units = 0usize;
    let mut chars = text.chars();
    for off in offsets.iter_mut() {
        while byte < *off {
            let Some(c) = chars.next() else { break };
            byte = byte.saturating_add(c.len_utf8());
            units = units.saturating_add(c.len_utf16());
        }
        *off = units;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_utf16() {
        let text = r#"{"a":"é😀","d":{"x":1}}"#;
        let part = text
            .get(text.find("{\"x").unwrap()..text.len() - 1)
            .unwrap();
        let (s, e) = span_in(text, part).unwrap();
        let mut offs = [s, e];
        utf16_offsets(text, &mut offs);
        let utf16: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(
            String::from_utf16(&utf16[offs[0]..offs[1]]).unwrap(),
            r#"{"x":1}"#
        );
        assert_eq!(span_in(text, "other"), None);
    }
}
