//! What [`classify`](fn@super::classify) reads: the response as the caller has it
//! (status, headers, body, or the error of a call that got no response) and the
//! options.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::Value;

/// Default largest body classified: 32 MiB. A Get Records page of 200 records with
/// 50 fields is well under 1 MiB; the limit only stops a runaway body.
pub const DEFAULT_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// Options of [`classify`](fn@super::classify).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct ClassifyOptions {
    /// Largest body accepted, in bytes; a larger one is `BODY_TOO_LARGE`.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub max_body_bytes: usize,
    /// The caller's clock (ms since the epoch), for an HTTP-date `Retry-After` when
    /// the response has no `Date` header.
    pub now_ms: Option<u64>,
}

impl Default for ClassifyOptions {
    fn default() -> Self {
        ClassifyOptions {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            now_ms: None,
        }
    }
}

/// A response body as the caller has it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Body<'a> {
    /// No body.
    #[default]
    None,
    /// Raw text.
    Text(&'a str),
    /// Raw bytes (UTF-8 expected; anything else is a non-JSON body).
    Bytes(&'a [u8]),
    /// An already parsed JSON value.
    Json(&'a Value),
}

/// Why there was no response (status 0): a `fetch` rejection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct NetworkError {
    /// The error's `name` (`TypeError`, `AbortError`, `TimeoutError`).
    pub name: String,
    /// The error's `message`.
    pub message: String,
}

/// A response to classify.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Response<'a> {
    /// HTTP status; 0 when there was no response.
    pub status: u16,
    /// Header `(name, value)` pairs, any case.
    pub headers: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    /// The body.
    pub body: Body<'a>,
    /// Why there was no response, when `status` is 0.
    pub network_error: Option<NetworkError>,
}

impl<'a> Response<'a> {
    /// A response with a status and nothing else.
    pub fn new(status: u16) -> Self {
        Response {
            status,
            ..Response::default()
        }
    }

    /// A response with a text body and borrowed headers.
    pub fn from_text(status: u16, headers: &[(&'a str, &'a str)], body: &'a str) -> Self {
        Response {
            status,
            headers: headers
                .iter()
                .map(|&(k, v)| (Cow::Borrowed(k), Cow::Borrowed(v)))
                .collect(),
            body: Body::Text(body),
            network_error: None,
        }
    }

    /// No response at all: `fetch` rejected with this error.
    pub fn network(name: impl Into<String>, message: impl Into<String>) -> Self {
        Response {
            network_error: Some(NetworkError {
                name: name.into(),
                message: message.into(),
            }),
            ..Response::new(0)
        }
    }

    /// Builder: adds a header.
    pub fn with_header(
        mut self,
        name: impl Into<Cow<'a, str>>,
        value: impl Into<Cow<'a, str>>,
    ) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Builder: sets the body.
    pub fn with_body(mut self, body: Body<'a>) -> Self {
        self.body = body;
        self
    }
}
