//! The seeds a scenario is made of: the configuration, operations, verdicts and token
//! responses, each decoded from fuzz input or drawn by a property test.

use arbitrary::{Result, Unstructured};
use serde_json::json;
use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::classify::{Category, Credits, RecordResult, RetryHint, Verdict, SHORT_REPLY};
use zcrm_guard::guard::{Guard, RawGuardConfig, TokenFailure, TokenInfo, TokenResponse};

use super::{EDITIONS, SECRET};

/// A Guard configuration.
#[derive(Debug, Clone)]
pub struct ConfigSeed {
    /// One of [`EDITIONS`].
    pub edition: &'static str,
    /// User licences (paid editions' credits grow with them).
    pub licenses: u8,
    /// The seed of the retry jitter.
    pub seed: u16,
    /// Attempts per request, the first included.
    pub max_attempts: u8,
    /// Decision-log capacity (absent: the default).
    pub log_capacity: Option<u16>,
}

impl ConfigSeed {
    /// A configuration decoded from fuzz input.
    pub fn decode(u: &mut Unstructured) -> Result<Self> {
        Ok(ConfigSeed {
            edition: EDITIONS[u.int_in_range(0..=EDITIONS.len() - 1)?],
            licenses: u.int_in_range(1..=50)?,
            seed: u.arbitrary()?,
            max_attempts: u.int_in_range(1..=5)?,
            log_capacity: Some(u.int_in_range(0..=64)?),
        })
    }

    /// The Guard, built from the JSON configuration JavaScript would pass; `None` if the
    /// configuration is refused.
    pub fn guard(&self) -> Option<Guard> {
        let mut raw = json!({
            "edition": self.edition, "licenses": self.licenses, "seed": self.seed,
            "retry": {"maxAttempts": self.max_attempts},
        });
        if let Some(n) = self.log_capacity {
            raw["logCapacity"] = json!(n);
        }
        let raw: RawGuardConfig = serde_json::from_value(raw).ok()?;
        Guard::from_raw(raw).ok()
    }
}

/// An operation to admit: on Leads, `records` records, an optional credit figure,
/// patient or not.
#[derive(Debug, Clone)]
pub struct OperationSeed {
    /// The operation's kind.
    pub kind: OperationKind,
    /// Records in the call.
    pub records: u32,
    /// The caller's own credit figure (absent: the catalog's).
    pub credits: Option<u32>,
    /// A patient call (a write job's).
    pub patient: bool,
}

impl OperationSeed {
    /// An operation decoded from fuzz input.
    pub fn decode(u: &mut Unstructured) -> Result<Self> {
        let kind = OperationKind::ALL[u.int_in_range(0..=OperationKind::ALL.len() - 1)?];
        let records = u.int_in_range(1..=100)?;
        let credits = if u.arbitrary()? {
            Some(u32::from(u.arbitrary::<u16>()?))
        } else {
            None
        };
        Ok(OperationSeed {
            kind,
            records,
            credits,
            patient: u.arbitrary()?,
        })
    }

    /// The operation.
    pub fn operation(&self) -> Operation {
        let mut op = Operation::new(self.kind)
            .with_module("Leads")
            .with_records(self.records);
        op.credits = self.credits;
        op.patient = self.patient;
        op
    }
}

/// How many kinds of verdict [`VerdictSeed::verdict`] knows.
pub const VERDICT_KINDS: u8 = 13;

/// The kind of verdict that is a 207 of [`VerdictSeed::records`].
pub const PARTIAL_KIND: u8 = 9;

/// Retry-After values beyond any ceiling a configuration may set: 30 days, 2^53 s
/// (as classify clamps them), and the largest a verdict can carry.
pub const HUGE_RETRY_AFTER_MS: [u64; 3] = [2_592_000_000, 2_147_483_647, u64::MAX];

/// A verdict: one of [`VERDICT_KINDS`] kinds, with the headers' facts.
#[derive(Debug, Clone, Default)]
pub struct VerdictSeed {
    /// 0-1 success; 2 429; 3 500; 4 network error; 5 401 invalid token; 6 LIMIT_EXCEEDED;
    /// 7 DUPLICATE_DATA; 8 RECORD_LOCKED; 9 a 207 of `records`; 10 a 502 proxy page;
    /// 11 an HTML page on a 200; 12 a short 2xx reply (SHORT_REPLY).
    pub kind: u8,
    /// The records of a 207, ok or locked (read by kind 9 only).
    pub records: Vec<bool>,
    /// Retry-After, ms.
    pub retry_after_ms: Option<u64>,
    /// X-API-CREDITS-REMAINING.
    pub credits_remaining: Option<u64>,
}

impl VerdictSeed {
    /// A verdict decoded from fuzz input.
    pub fn decode(u: &mut Unstructured) -> Result<Self> {
        let kind = u.int_in_range(0..=VERDICT_KINDS - 1)?;
        let mut records = Vec::new();
        if kind == PARTIAL_KIND {
            for _ in 0..u.int_in_range(0..=5)? {
                records.push(u.arbitrary()?);
            }
        }
        let retry_after_ms = if !u.arbitrary()? {
            None
        } else if u.ratio(1u8, 8)? {
            Some(HUGE_RETRY_AFTER_MS[u.int_in_range(0..=HUGE_RETRY_AFTER_MS.len() - 1)?])
        } else {
            Some(u.int_in_range(0..=120_000)?)
        };
        let credits_remaining = if u.ratio(1u8, 8)? {
            Some(u.arbitrary()?)
        } else {
            None
        };
        Ok(VerdictSeed {
            kind,
            records,
            retry_after_ms,
            credits_remaining,
        })
    }

    /// The verdict.
    pub fn verdict(&self) -> Verdict {
        let top =
            |status, code, category, retry| Verdict::rejected(status, code, "", category, retry);
        let mut v = match self.kind % VERDICT_KINDS {
            0 | 1 => Verdict::success(200),
            2 => top(
                429,
                "TOO_MANY_REQUESTS",
                Category::RateLimit,
                RetryHint::Backoff,
            ),
            3 => top(500, "INTERNAL_ERROR", Category::Server, RetryHint::Backoff),
            4 => top(0, "NETWORK_ERROR", Category::Network, RetryHint::Backoff),
            5 => top(
                401,
                "INVALID_TOKEN",
                Category::Auth,
                RetryHint::RefreshToken,
            ),
            6 => top(400, "LIMIT_EXCEEDED", Category::Limit, RetryHint::None),
            7 => top(
                400,
                "DUPLICATE_DATA",
                Category::Duplicate,
                RetryHint::Conditional,
            ),
            8 => top(423, "RECORD_LOCKED", Category::Locked, RetryHint::Backoff),
            10 => top(502, "HTTP_502", Category::Server, RetryHint::Backoff),
            11 => top(200, "HTTP_200", Category::Unknown, RetryHint::None),
            12 => top(200, SHORT_REPLY, Category::Unknown, RetryHint::Backoff),
            _ => Verdict::partial(
                self.records
                    .iter()
                    .enumerate()
                    .map(|(index, &ok)| {
                        if ok {
                            RecordResult::success(index)
                        } else {
                            RecordResult::rejected(
                                index,
                                "RECORD_LOCKED",
                                "",
                                Category::Locked,
                                RetryHint::Backoff,
                            )
                        }
                    })
                    .collect(),
            ),
        };
        v.retry_after_ms = self.retry_after_ms;
        v.credits = self
            .credits_remaining
            .map(|remaining| Credits { remaining });
        v
    }
}

/// A token endpoint's response (always with [`SECRET`] as its access token).
#[derive(Debug, Clone)]
pub struct TokenSeed {
    /// Whether it names the EU data centre's API domain.
    pub eu_domain: bool,
    /// `expires_in`, seconds.
    pub expires_in_s: u16,
}

impl TokenSeed {
    /// A token response decoded from fuzz input.
    pub fn decode(u: &mut Unstructured) -> Result<Self> {
        Ok(TokenSeed {
            eu_domain: u.arbitrary()?,
            expires_in_s: u.arbitrary()?,
        })
    }

    /// What the Guard keeps of the response, `None` if the response is refused.
    pub fn info(&self) -> Option<TokenInfo> {
        let response = TokenResponse {
            access_token: Some(SECRET.into()),
            api_domain: self.eu_domain.then(|| "https://www.zohoapis.eu".to_owned()),
            expires_in: Some(f64::from(self.expires_in_s)),
            ..TokenResponse::default()
        };
        response.into_info().ok()
    }
}

/// How many kinds of token-endpoint failure [`TokenFailureSeed::failure`] knows.
pub const TOKEN_FAILURE_KINDS: u8 = 4;

/// A failed refresh: 0 revoked (`invalid_code`); 1 Access Denied (the rate limit);
/// 2 no response; 3 a 5xx.
#[derive(Debug, Clone)]
pub struct TokenFailureSeed {
    /// The kind.
    pub kind: u8,
}

impl TokenFailureSeed {
    /// A failure decoded from fuzz input.
    pub fn decode(u: &mut Unstructured) -> Result<Self> {
        Ok(TokenFailureSeed {
            kind: u.int_in_range(0..=TOKEN_FAILURE_KINDS - 1)?,
        })
    }

    /// What the caller tells `tokenRefreshFailed`.
    pub fn failure(&self) -> TokenFailure {
        let text = |s: &str| Some(s.to_owned());
        match self.kind % TOKEN_FAILURE_KINDS {
            0 => TokenFailure {
                error: text("invalid_code"),
                status: Some(200),
                message: None,
            },
            1 => TokenFailure {
                error: text("Access Denied"),
                status: Some(200),
                message: text("You have made too many requests continuously."),
            },
            2 => TokenFailure {
                message: text("fetch failed"),
                ..TokenFailure::default()
            },
            _ => TokenFailure {
                status: Some(503),
                ..TokenFailure::default()
            },
        }
    }
}
