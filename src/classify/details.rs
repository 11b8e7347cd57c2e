//! Reading single fields out of a record's raw `details` without building it into a
//! value: the id of a created record, a composite wrapper's inner response, the
//! `retry_after` seconds of a throttled sub-request. These run once per record of a
//! reply, so each is a scan or a narrow typed read, never a full parse.

use std::borrow::Cow;

use serde_json::value::RawValue;

use super::parse::Str;

/// The parts of a composite wrapper's `details` that classification reads.
#[derive(Debug, Default)]
pub struct CompositeDetails<'a> {
    /// `response.status_code`.
    pub status_code: Option<u16>,
    /// `response.body`, raw.
    pub body: Option<&'a RawValue>,
}

/// Reads `details.response` of a composite wrapper; anything unexpected is absent.
pub fn composite_details(details: &RawValue) -> CompositeDetails<'_> {
    #[derive(serde::Deserialize)]
    struct D<'a> {
        #[serde(borrow, default)]
        response: Option<Resp<'a>>,
    }
    #[derive(serde::Deserialize)]
    struct Resp<'a> {
        #[serde(default)]
        status_code: Option<serde_json::Value>,
        #[serde(borrow, default)]
        body: Option<&'a RawValue>,
    }
    match serde_json::from_str::<D<'_>>(details.get()) {
        Ok(D { response: Some(r) }) => CompositeDetails {
            status_code: r
                .status_code
                .and_then(|v| v.as_u64())
                .and_then(|n| u16::try_from(n).ok()),
            body: r.body,
        },
        _ => CompositeDetails::default(),
    }
}

/// `details.id` of a record result, as text (a string, or an integer's digits).
///
/// `details` was validated by serde_json in the main pass, so a byte scan suffices:
/// it walks the object's top level to the `id` key and stops there. Scanning with
/// serde_json again cost a tenth of `classify` in wasm (the rest of a success
/// record's `details` is skipped, and no early-stop error is built).
pub fn details_id(details: &RawValue) -> Option<Cow<'_, str>> {
    let raw = details.get();
    let b = raw.as_bytes();
    if b.first() != Some(&b'{') {
        return None;
    }
    let mut depth = 0usize;
    let mut expect_key = false;
    let mut i = 0usize;
    while let Some(&c) = b.get(i) {
        match c {
            b'"' => {
                let end = string_end(b, i.saturating_add(1))?;
                if depth == 1 && expect_key {
                    if b.get(i.saturating_add(1)..end) == Some(b"id".as_slice()) {
                        let colon = skip_ws(b, end.saturating_add(1));
                        return value_text(raw, skip_ws(b, colon.saturating_add(1)));
                    }
                    expect_key = false;
                }
                i = end;
            }
            b'{' => {
                depth = depth.saturating_add(1);
                expect_key = true;
            }
            b'[' => depth = depth.saturating_add(1),
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                expect_key = false;
            }
            b',' => expect_key = true,
            _ => {}
        }
        i = i.saturating_add(1);
    }
    None
}

/// Index of the closing quote of a string whose content starts at `from`.
fn string_end(b: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let rest = b.get(from..)?;
        let k = rest.iter().position(|&c| c == b'"' || c == b'\\')?;
        let at = from.saturating_add(k);
        if b.get(at) == Some(&b'"') {
            return Some(at);
        }
        from = at.saturating_add(2);
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i = i.saturating_add(1);
    }
    i
}

/// The value starting at `i` as [`Str`] reads it: a string, or an integer's text.
fn value_text(raw: &str, i: usize) -> Option<Cow<'_, str>> {
    let b = raw.as_bytes();
    match b.get(i)? {
        b'"' => {
            let end = string_end(b, i.saturating_add(1))?;
            let inner = raw.get(i.saturating_add(1)..end)?;
            if inner.contains('\\') {
                serde_json::from_str::<String>(raw.get(i..=end)?)
                    .ok()
                    .map(Cow::Owned)
            } else {
                Some(Cow::Borrowed(inner))
            }
        }
        b'-' | b'0'..=b'9' => {
            let len = b
                .get(i..)?
                .iter()
                .position(|c| !matches!(c, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                .unwrap_or(b.len().saturating_sub(i));
            let token = raw.get(i..i.saturating_add(len))?;
            if token.contains(['.', 'e', 'E']) {
                return None;
            }
            // Through Str, as the main pass reads numbers: canonical integer text.
            serde_json::from_str::<Str<'_>>(token)
                .ok()?
                .0
                .map(|c| Cow::Owned(c.into_owned()))
        }
        _ => None,
    }
}

/// `details.retry_after` (a number of seconds, or a numeric string).
pub fn details_retry_after_s(details: &RawValue) -> Option<u64> {
    #[derive(serde::Deserialize)]
    struct D<'a> {
        #[serde(borrow, default)]
        retry_after: Str<'a>,
    }
    let v = serde_json::from_str::<D<'_>>(details.get())
        .ok()?
        .retry_after
        .0?;
    super::headers::parse_u64(&v)
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The reference: `details.id` read through a parsed value.
    fn id_by_serde(raw: &str) -> Option<String> {
        let v: serde_json::Value = serde_json::from_str(raw).ok()?;
        match v.as_object()?.get("id")? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) if !n.is_f64() => Some(n.to_string()),
            _ => None,
        }
    }

    fn id(raw: &str) -> Option<String> {
        let raw: Box<RawValue> = serde_json::from_str(raw).unwrap();
        details_id(&raw).map(Cow::into_owned)
    }

    #[test]
    fn id_scan_reads_the_top_level_id_only() {
        let sample = r#"{"Modified_Time":"2023-05-10T01:10:47-07:00","Modified_By":{"name":"P","id":"111"},"id":"5725767000000524157","Created_By":{"id":"222"}}"#;
        assert_eq!(id(sample).as_deref(), Some("5725767000000524157"));
        assert_eq!(
            id(r#"{"a":[{"id":"x"}],"b":"id","id" : 42}"#).as_deref(),
            Some("42")
        );
        assert_eq!(id(r#"{"k\"id":"v","id":"a\u0041"}"#).as_deref(), Some("aA"));
        assert_eq!(id(r#"{"id":1.5}"#), None);
        assert_eq!(id(r#"{"id":null}"#), None);
        assert_eq!(id(r#"["id","x"]"#), None);
        assert_eq!(id(r#"{"api_name":"id"}"#), None);
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            (-1e6f64..1e6).prop_map(serde_json::Value::from),
            "[a-z\"\\\\é{}\\[\\],:]{0,8}".prop_map(serde_json::Value::from),
            Just(serde_json::Value::from("id")),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                proptest::collection::btree_map(
                    prop_oneof!["[a-z]{0,3}", Just("id".to_owned())],
                    inner,
                    0..5
                )
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn id_scan_agrees_with_serde(v in json_value(), pretty in any::<bool>()) {
            let raw = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { serde_json::to_string(&v).unwrap() };
            prop_assert_eq!(id(&raw), id_by_serde(&raw));
        }
    }
}
