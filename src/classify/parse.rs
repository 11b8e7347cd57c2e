//! Borrowed, single-pass parsing of a response body into just what classification
//! needs. Strings are borrowed from the body where they have no escapes, `details`
//! objects are kept as raw JSON slices (never built into values), and every other
//! value is skipped. Any JSON is accepted: a value of an unexpected type is
//! recorded as "other", never an error, so only malformed or too-deep JSON (serde_json
//! stops at 128 levels) makes a body "not JSON".

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// A string value, or nothing when the value has another type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Str<'a>(pub Option<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Str<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Owned(v.to_owned()))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Owned(v))))
            }
            // Numbers become text: a record id sent as a number is still an id.
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Str(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Str(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Str(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Str(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                Str::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Str(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Str(None))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl<'a> Str<'a> {
    /// The string, if the value was one.
    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

/// One object of a result array (or of a GraphQL `errors` array), reduced to the
/// keys that classification reads.
#[derive(Debug, Clone, Default)]
pub struct Entry<'a> {
    /// `status` key present (any type).
    pub has_status: bool,
    /// `code` key present (any type).
    pub has_code: bool,
    /// `status` (`success` / `error`).
    pub status: Option<Cow<'a, str>>,
    /// `code`.
    pub code: Option<Cow<'a, str>>,
    /// `message`.
    pub message: Option<Cow<'a, str>>,
    /// `details`, as raw JSON.
    pub details: Option<&'a RawValue>,
    /// Upsert's `action`.
    pub action: Option<Cow<'a, str>>,
    /// GraphQL `extensions.code` / `extensions.classification` / `extensions.errorType`.
    pub extension_codes: Vec<Cow<'a, str>>,
    /// GraphQL `locations` present: the error points into the query.
    pub has_locations: bool,
}

impl<'a> Entry<'a> {
    /// Whether the entry looks like an action result (`status` and `code`).
    pub fn is_result(&self) -> bool {
        self.has_status && self.has_code
    }
}

/// An element of a top-level array.
#[derive(Debug, Clone)]
pub enum Item<'a> {
    /// An object.
    Entry(Box<Entry<'a>>),
    /// Anything else.
    Other,
}

/// A top-level value other than the error envelope's own keys.
#[derive(Debug, Clone)]
pub enum TopValue<'a> {
    /// An array.
    Array(Vec<Item<'a>>),
    /// An object; whether any member is not null.
    Object { has_non_null: bool },
    /// `null`.
    Null,
    /// A string, number or boolean.
    Scalar,
}

/// The top level of a JSON object body.
#[derive(Debug, Clone, Default)]
pub struct Top<'a> {
    /// Top-level error envelope: `code`.
    pub code: Option<Cow<'a, str>>,
    /// Top-level `status`.
    pub status: Option<Cow<'a, str>>,
    /// Top-level `message`.
    pub message: Option<Cow<'a, str>>,
    /// Top-level `details`, raw.
    pub details: Option<&'a RawValue>,
    /// OAuth: `error`.
    pub error: Option<Cow<'a, str>>,
    /// OAuth: `error_description`.
    pub error_description: Option<Cow<'a, str>>,
    /// OAuth success: `access_token` present.
    pub has_access_token: bool,
    /// The other members, in order.
    pub members: Vec<(Cow<'a, str>, TopValue<'a>)>,
}

impl<'a> Top<'a> {
    /// A member by key.
    pub fn member(&self, key: &str) -> Option<&TopValue<'a>> {
        self.members.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// What a body is.
#[derive(Debug, Clone)]
pub enum Parsed<'a> {
    /// No bytes, or only whitespace.
    Empty,
    /// Not JSON (HTML, truncated, invalid UTF-8, too deep).
    NotJson,
    /// JSON, but not an object.
    NotObject,
    /// A JSON object.
    Object(Box<Top<'a>>),
}

/// Parses a body text.
pub fn parse(text: &str) -> Parsed<'_> {
    let trimmed = text.trim_start_matches('\u{feff}');
    if trimmed.trim().is_empty() {
        return Parsed::Empty;
    }
    match serde_json::from_str::<Body<'_>>(trimmed) {
        Ok(Body::Object(top)) => Parsed::Object(top),
        Ok(Body::Other) => Parsed::NotObject,
        Err(_) => Parsed::NotJson,
    }
}

enum Body<'a> {
    Object(Box<Top<'a>>),
    Other,
}

impl<'de> Deserialize<'de> for Body<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Body<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut top = Top::default();
                while let Some(Str(Some(key))) = a.next_key::<Str<'de>>()? {
                    match key.as_ref() {
                        "code" => top.code = a.next_value::<Str>()?.0,
                        "status" => top.status = a.next_value::<Str>()?.0,
                        "message" => top.message = a.next_value::<Str>()?.0,
                        "details" => top.details = Some(a.next_value::<&'de RawValue>()?),
                        "error" => top.error = a.next_value::<Str>()?.0,
                        "error_description" => top.error_description = a.next_value::<Str>()?.0,
                        "access_token" => {
                            a.next_value::<IgnoredAny>()?;
                            top.has_access_token = true;
                        }
                        _ => {
                            let v = a.next_value::<TopValue>()?;
                            top.members.push((key, v));
                        }
                    }
                }
                Ok(Body::Object(Box::new(top)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Body::Other)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Body::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Body::Other)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Body::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Body::Other)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Body::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Body::Other)
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for TopValue<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TopValue<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(a.size_hint().unwrap_or(0).min(256));
                while let Some(item) = a.next_element::<Item>()? {
                    items.push(item);
                }
                Ok(TopValue::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut has_non_null = false;
                while a.next_key::<IgnoredAny>()?.is_some() {
                    if !a.next_value::<IsNull>()?.0 {
                        has_non_null = true;
                    }
                }
                Ok(TopValue::Object { has_non_null })
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(TopValue::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(TopValue::Null)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(TopValue::Scalar)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(TopValue::Scalar)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(TopValue::Scalar)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(TopValue::Scalar)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(TopValue::Scalar)
            }
        }
        d.deserialize_any(V)
    }
}

/// Whether a value is `null` (the value itself is skipped).
struct IsNull(bool);

impl<'de> Deserialize<'de> for IsNull {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // `Option<IgnoredAny>` is `None` exactly for JSON null.
        Ok(IsNull(Option::<IgnoredAny>::deserialize(d)?.is_none()))
    }
}

impl<'de> Deserialize<'de> for Item<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Item<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut e = Entry::default();
                while let Some(Str(Some(key))) = a.next_key::<Str<'de>>()? {
                    match key.as_ref() {
                        "status" => {
                            e.has_status = true;
                            e.status = a.next_value::<Str>()?.0;
                        }
                        "code" => {
                            e.has_code = true;
                            e.code = a.next_value::<Str>()?.0;
                        }
                        "message" => e.message = a.next_value::<Str>()?.0,
                        "details" => e.details = Some(a.next_value::<&'de RawValue>()?),
                        "action" => e.action = a.next_value::<Str>()?.0,
                        "extensions" => e.extension_codes = a.next_value::<Extensions>()?.0,
                        "locations" => {
                            e.has_locations = !a.next_value::<IsNull>()?.0;
                        }
                        _ => {
                            a.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(Item::Entry(Box::new(e)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Item::Other)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Item::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Item::Other)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Item::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Item::Other)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Item::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Item::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// The code-like strings of a GraphQL error's `extensions`.
struct Extensions<'a>(Vec<Cow<'a, str>>);

impl<'de> Deserialize<'de> for Extensions<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Extensions<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(Str(Some(key))) = a.next_key::<Str<'de>>()? {
                    match key.as_ref() {
                        "code" | "classification" | "errorType" | "error_type" => {
                            if let Some(s) = a.next_value::<Str>()?.0 {
                                out.push(s);
                            }
                        }
                        _ => {
                            a.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(Extensions(out))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Extensions(Vec::new()))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Extensions(Vec::new()))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Extensions(Vec::new()))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Extensions(Vec::new()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Extensions(Vec::new()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Extensions(Vec::new()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Extensions(Vec::new()))
            }
        }
        d.deserialize_any(V)
    }
}
