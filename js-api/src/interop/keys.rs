//! Unknown keys: every options and operation object refuses a key it does not know
//! (`INVALID_ARGUMENT`, with the key most likely meant in `details.suggestion`), since
//! a silently ignored `recordcount: 100` cost 1 credit instead of 10.
//!
//! Two ways in: a struct read alone denies unknown fields itself (serde's
//! `deny_unknown_fields`), and [`from_serde`] turns serde's "unknown field" message
//! into the core's `UnknownKey`, locating the key in the JSON text by the error's
//! column; an object read by several structs at once (`validateAndPlan`'s options) is
//! checked here against the union of their fields ([`check_keys`]), which serde
//! itself tells ([`fields_of`]), so the lists cannot drift from the structs.

use std::collections::BTreeMap;

use serde::de::{self, DeserializeOwned, IgnoredAny, Visitor};
use wasm_bindgen::prelude::*;

use super::args::{json_text, MAX_ARG_JSON_CHARS};
use super::{is_absent, throw};
use zcrm_guard::error::Error;

/// Why `retryOf` is refused inside an operation: it is `admit`'s own argument.
const RETRY_OF_HINT: &str = "a retry is `admit(operation, nowMs, retryOf)`: retryOf is admit's third argument, not a key of the operation";

/// The field names serde knows for `T` (a derived struct): asked of serde itself by
/// a deserializer that records them and stops.
pub fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut probe = Probe(&[]);
    let _ = T::deserialize(&mut probe);
    probe.0
}

struct Probe(&'static [&'static str]);

impl<'de> de::Deserializer<'de> for &mut Probe {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("probe"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        self.0 = fields;
        Err(de::Error::custom("probe"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
        identifier ignored_any
    }
}

/// Refuses a key of the object `text` that none of `known` names (`text` that is not
/// an object is left to the structs that read it).
pub fn check_keys(text: &str, field: &str, known: &[&[&str]]) -> Result<(), JsValue> {
    let Ok(keys) = serde_json::from_str::<BTreeMap<String, IgnoredAny>>(text) else {
        return Ok(());
    };
    let all: Vec<&str> = known.iter().flat_map(|k| k.iter().copied()).collect();
    match keys.keys().find(|k| !all.contains(&k.as_str())) {
        None => Ok(()),
        Some(key) => Err(throw(&unknown(field, &[], key, &all))),
    }
}

/// [`check_keys`] on an options argument (absent: nothing to check).
pub fn check_options(value: &JsValue, field: &str, known: &[&[&str]]) -> Result<(), JsValue> {
    if is_absent(value) || !value.is_object() {
        return Ok(());
    }
    check_keys(&json_text(value, field, MAX_ARG_JSON_CHARS)?, field, known)
}

/// The core's `UnknownKey` for a serde error that is "unknown field", else `None`.
pub fn from_serde(error: &serde_json::Error, text: &str, field: &str) -> Option<Error> {
    let message = error.to_string();
    let rest = message.strip_prefix("unknown field `")?;
    let (key, tail) = rest.split_once('`')?;
    // serde lists the known fields as "expected one of `a`, `b`" / "expected `a` or `b`".
    let known: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
    let mut path = path_at(text, error.column());
    path.pop(); // the unknown key itself
    Some(unknown(field, &path, key, &known))
}

fn unknown(field: &str, path: &[Step], key: &str, known: &[&str]) -> Error {
    let mut object = field.to_owned();
    let mut json_path = String::from("$");
    for step in path {
        match step {
            Step::Key(k) => {
                object.push('.');
                object.push_str(k);
                json_path.push('.');
                json_path.push_str(k);
            }
            Step::Index(i) => {
                object.push_str(&format!("[{i}]"));
                json_path.push_str(&format!("[{i}]"));
            }
        }
    }
    json_path.push('.');
    json_path.push_str(key);
    let hint = (key == "retryOf").then_some(RETRY_OF_HINT);
    Error::unknown_key(object, json_path, key, known, hint)
}

/// One step of a path into a JSON value.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The path of the innermost value open at byte `column` (1-based, as serde_json
/// counts on a one-line text) of `text`: the keys and indices leading to it.
fn path_at(text: &str, column: usize) -> Vec<Step> {
    // Each open container: its current step, and for objects whether a key is next.
    let mut stack: Vec<(Option<Step>, bool)> = Vec::new();
    let bytes = text.as_bytes();
    let end = column.min(bytes.len());
    let mut i = 0usize;
    while i < end {
        match bytes.get(i).copied().unwrap_or(b' ') {
            b'{' => stack.push((None, true)),
            b'[' => stack.push((Some(Step::Index(0)), false)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(top) = stack.last_mut() {
                    match &mut top.0 {
                        Some(Step::Index(n)) => *n = n.saturating_add(1),
                        _ => top.1 = true,
                    }
                }
            }
            b'"' => {
                let start = i;
                i = i.saturating_add(1);
                while i < bytes.len() && bytes.get(i) != Some(&b'"') {
                    if bytes.get(i) == Some(&b'\\') {
                        i = i.saturating_add(1);
                    }
                    i = i.saturating_add(1);
                }
                if let Some(top) = stack.last_mut() {
                    if top.1 {
                        let raw = text.get(start..=i.min(bytes.len().saturating_sub(1)));
                        let key: String = raw
                            .and_then(|r| serde_json::from_str(r).ok())
                            .unwrap_or_default();
                        *top = (Some(Step::Key(key)), false);
                    }
                }
            }
            _ => {}
        }
        i = i.saturating_add(1);
    }
    stack.into_iter().filter_map(|(step, _)| step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let text = r#"{"retry":{"maxAttempts":3,"basDelayMs":1}}"#;
        let col = text.find("basDelayMs").unwrap() + "basDelayMs".len() + 1;
        assert_eq!(
            path_at(text, col),
            vec![Step::Key("retry".into()), Step::Key("basDelayMs".into())]
        );
        let text = r#"[{"a":1},{"b":[1,2],"c\"d":{"e":1}}]"#;
        let col = text.find("\"e\"").unwrap() + 3;
        assert_eq!(
            path_at(text, col),
            vec![
                Step::Index(1),
                Step::Key("c\"d".into()),
                Step::Key("e".into())
            ]
        );
    }

    #[test]
    fn serde_messages_become_unknown_keys() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        #[allow(dead_code)]
        struct Inner {
            max_attempts: Option<u32>,
            base_delay_ms: Option<u32>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Outer {
            retry: Option<Inner>,
        }
        let text = r#"{"retry":{"maxAttempts":3,"basDelayMs":1}}"#;
        let e = serde_json::from_str::<Outer>(text).unwrap_err();
        let err = from_serde(&e, text, "config").unwrap();
        let d = err.details();
        assert_eq!(d.field.as_deref(), Some("config.retry.basDelayMs"));
        assert_eq!(d.json_path.as_deref(), Some("$.retry.basDelayMs"));
        assert_eq!(d.suggestion.as_deref(), Some("baseDelayMs"));
        assert_eq!(fields_of::<Inner>(), ["maxAttempts", "baseDelayMs"]);
    }
}
