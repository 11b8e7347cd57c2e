//! Records as borrowed slices of the caller's JSON text: the array is split into
//! `&RawValue`s and each object into `(key, &RawValue)` pairs without copying, so a
//! valid record's text goes into a batch body exactly as the caller wrote it.
//!
//! serde_json skips nested values iteratively when it captures a `RawValue`, so deep
//! nesting inside a field costs memory, not stack.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{Error, Result};

/// The caller's records, each its own JSON text.
pub type RawRecords<'a> = Vec<&'a RawValue>;

/// Splits a JSON array of records into its elements' text.
pub fn parse_records(text: &str) -> Result<RawRecords<'_>> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('[') {
        return Err(Error::invalid(
            "records",
            "expected a JSON array of records",
        ));
    }
    serde_json::from_str::<Vec<&RawValue>>(text)
        .map_err(|e| Error::invalid("records", format!("not valid JSON: {e}")))
}

/// A key, borrowed when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> std::result::Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// An object's fields, in order, each value kept as its raw JSON text.
fn raw_fields<'de, A: MapAccess<'de>>(
    mut map: A,
) -> std::result::Result<Vec<(Cow<'de, str>, &'de RawValue)>, A::Error> {
    let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(16));
    while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
        let v: &'de RawValue = map.next_value()?;
        fields.push((k, v));
    }
    Ok(fields)
}

/// The fields of one record object, in the caller's order.
pub struct RawObject<'a>(pub Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for RawObject<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawObject<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                Ok(RawObject(raw_fields(map)?))
            }
        }
        d.deserialize_map(V)
    }
}

/// What a raw JSON value is, from its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl Kind {
    /// Zoho's `json_type` name of this kind.
    pub fn json_type(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "boolean",
            Kind::Number => "double",
            Kind::String => "string",
            Kind::Array => "jsonarray",
            Kind::Object => "jsonobject",
        }
    }
}

/// The kind of a raw value (serde_json has already checked it is valid JSON).
pub fn kind(raw: &RawValue) -> Kind {
    match raw.get().as_bytes().first() {
        Some(b'n') => Kind::Null,
        Some(b't' | b'f') => Kind::Bool,
        Some(b'"') => Kind::String,
        Some(b'[') => Kind::Array,
        Some(b'{') => Kind::Object,
        _ => Kind::Number,
    }
}

/// The unescaped text of a string value; borrowed when it has no escapes.
pub fn as_str(raw: &RawValue) -> Option<Cow<'_, str>> {
    let text = raw.get();
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains('\\') {
        return Some(Cow::Borrowed(inner));
    }
    serde_json::from_str::<String>(text).ok().map(Cow::Owned)
}

/// Parses an object's fields.
pub fn as_object(raw: &RawValue) -> Option<RawObject<'_>> {
    serde_json::from_str(raw.get()).ok()
}

/// Parses an array's elements.
pub fn as_array(raw: &RawValue) -> Option<Vec<&RawValue>> {
    serde_json::from_str(raw.get()).ok()
}

/// Fills `out` with an object's fields, reusing its allocation; false if not an object.
pub fn fill_object<'a>(raw: &'a RawValue, out: &mut Vec<(Cow<'a, str>, &'a RawValue)>) -> bool {
    out.clear();
    let mut de = serde_json::Deserializer::from_str(raw.get());
    FieldsSeed(out).deserialize(&mut de).is_ok()
}

struct FieldsSeed<'s, 'a>(&'s mut Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> DeserializeSeed<'de> for FieldsSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FieldsSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
            let v: &'de RawValue = map.next_value()?;
            self.0.push((k, v));
        }
        Ok(())
    }
}

/// One element of the records array, parsed once: an object's fields, or its kind.
pub struct Element<'a> {
    /// What the element is.
    pub kind: Kind,
    /// The fields, when it is an object.
    pub fields: Vec<(Cow<'a, str>, &'a RawValue)>,
}

impl<'de> Deserialize<'de> for Element<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Element<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                Ok(Element {
                    kind: Kind::Object,
                    fields: raw_fields(map)?,
                })
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                // Elements captured as raw text: no recursion into nested arrays.
                while seq.next_element::<&'de RawValue>()?.is_some() {}
                Ok(other(Kind::Array))
            }
            fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
                Ok(other(Kind::Null))
            }
            fn visit_bool<E>(self, _: bool) -> std::result::Result<Self::Value, E> {
                Ok(other(Kind::Bool))
            }
            fn visit_i64<E>(self, _: i64) -> std::result::Result<Self::Value, E> {
                Ok(other(Kind::Number))
            }
            fn visit_u64<E>(self, _: u64) -> std::result::Result<Self::Value, E> {
                Ok(other(Kind::Number))
            }
            fn visit_f64<E>(self, _: f64) -> std::result::Result<Self::Value, E> {
                Ok(other(Kind::Number))
            }
            fn visit_str<E>(self, _: &str) -> std::result::Result<Self::Value, E> {
                Ok(other(Kind::String))
            }
        }
        d.deserialize_any(V)
    }
}

fn other<'a>(kind: Kind) -> Element<'a> {
    Element {
        kind,
        fields: Vec::new(),
    }
}

/// Walks a JSON array of records in one pass: `each(index, text, element)` for every
/// element, with the element's own text (for the bodies) and its parsed fields.
pub fn each_element<'a>(
    text: &'a str,
    mut each: impl FnMut(usize, &'a str, Element<'a>),
) -> Result<()> {
    let bad = |reason: String| Error::invalid("records", reason);
    let mut rest = text
        .trim_start()
        .strip_prefix('[')
        .ok_or_else(|| bad("expected a JSON array of records".into()))?
        .trim_start();
    let mut index = 0usize;
    if let Some(after) = rest.strip_prefix(']') {
        return if after.trim().is_empty() {
            Ok(())
        } else {
            Err(bad("trailing characters after the array".into()))
        };
    }
    loop {
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Element<'a>>();
        let element = match stream.next() {
            Some(Ok(e)) => e,
            Some(Err(e)) => return Err(bad(format!("not valid JSON at record {index}: {e}"))),
            None => return Err(bad("unterminated array".into())),
        };
        let end = stream.byte_offset();
        let own = rest.get(..end).unwrap_or("").trim_start();
        each(index, own, element);
        index = index.saturating_add(1);
        rest = rest.get(end..).unwrap_or("").trim_start();
        if let Some(after) = rest.strip_prefix(',') {
            rest = after.trim_start();
        } else if let Some(after) = rest.strip_prefix(']') {
            return if after.trim().is_empty() {
                Ok(())
            } else {
                Err(bad("trailing characters after the array".into()))
            };
        } else {
            return Err(bad(format!(
                "expected , or ] after record {}",
                index.saturating_sub(1)
            )));
        }
    }
}
