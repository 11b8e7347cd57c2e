//! Editions: credits per rolling 24-hour window and concurrency.
//!
//! Sources (keys as in `shared/zoho-api-facts.md`):
//! - LIM: <https://www.zoho.com/crm/developer/docs/api/v4/api-limits.html> (credit table).
//! - K34: Kaizen #34 "API Credits" (cap rule: the minimum of computed and edition maximum).
//! - K93: Kaizen #93 "Credit Calculation and Concurrency" (rolling window; lower caps).
//! - K35: Kaizen #35 "API Concurrency"; K203: Kaizen #203 (concurrency per edition).
//! - SUBC: "Sub-concurrency for Complex APIs" (10 for every edition).
//! - GQL-L: GraphQL limitations (5 concurrent calls per org).

use serde::{Deserialize, Serialize};

use crate::error::{clip, Error, Result};

/// Length of Zoho's rolling credit window: each call's credits come back 24 h after it
/// was made (K93: "freed up after 24 hours corresponding to each time interval").
pub const CREDIT_WINDOW_MS: u64 = 24 * 60 * 60 * 1000;

/// Base credits of every paid edition per 24 h (LIM v4: "50,000 + (user licences × …)").
pub const PAID_BASE_CREDITS: u64 = 50_000;

/// Free edition: a flat 5,000 credits per 24 h (LIM).
pub const FREE_CREDITS: u64 = 5_000;

/// Sub-concurrency of the complex-API pool, the same for every edition (SUBC).
pub const SUB_CONCURRENCY: u32 = 10;

/// Concurrent GraphQL calls per org (GQL-L: "Five calls per org").
pub const GRAPHQL_CONCURRENCY: u32 = 5;

/// Largest licence count accepted; far above any real org, small enough that
/// `licenses × per-licence credits` can never overflow.
pub const MAX_LICENSES: u64 = 10_000_000;

/// Largest add-on credit count accepted, for the same reason.
pub const MAX_ADD_ON_CREDITS: u64 = 1_000_000_000_000;

/// A Zoho CRM edition. Aliases map onto these (see [`EditionSpec::parse`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Edition {
    /// Free edition.
    Free,
    /// Standard (also sold as Starter).
    Standard,
    /// Professional.
    Professional,
    /// Enterprise (also Zoho One).
    Enterprise,
    /// Ultimate (also CRM Plus for credits).
    Ultimate,
}

impl Edition {
    /// Every edition, cheapest first.
    pub const ALL: [Edition; 5] = [
        Edition::Free,
        Edition::Standard,
        Edition::Professional,
        Edition::Enterprise,
        Edition::Ultimate,
    ];

    /// The canonical lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Edition::Free => "free",
            Edition::Standard => "standard",
            Edition::Professional => "professional",
            Edition::Enterprise => "enterprise",
            Edition::Ultimate => "ultimate",
        }
    }

    /// Credits added per user licence (LIM v4 table; K34/K93 agree on the per-licence figures).
    pub fn credits_per_license(self) -> u64 {
        match self {
            Edition::Free => 0,
            Edition::Standard => 250,
            Edition::Professional => 500,
            Edition::Enterprise => 1_000,
            Edition::Ultimate => 2_000,
        }
    }

    /// Default edition cap of the 24 h allowance; `None` is unlimited.
    ///
    /// Zoho's pages disagree (LIM: Professional 3,000,000 and Enterprise 5,000,000;
    /// K93: 1,000,000 and 2,000,000). Per the project rule the lower, safer figure is
    /// the default; pass `creditCap` to use another one.
    pub fn default_credit_cap(self) -> Option<u64> {
        match self {
            Edition::Free => Some(FREE_CREDITS),
            Edition::Standard => Some(100_000),
            Edition::Professional => Some(1_000_000),
            Edition::Enterprise => Some(2_000_000),
            // LIM: "Unlimited" for Ultimate/CRM Plus.
            Edition::Ultimate => None,
        }
    }

    /// Concurrent calls (K35, K203; per user per OAuth app).
    pub fn concurrency(self) -> u32 {
        match self {
            Edition::Free => 5,
            Edition::Standard => 10,
            Edition::Professional => 15,
            Edition::Enterprise => 20,
            Edition::Ultimate => 25,
        }
    }
}

/// An edition as named by the caller: the edition plus the alias that was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditionSpec {
    /// The edition whose figures apply.
    pub edition: Edition,
    /// The alias the caller used, when not the edition's own name.
    pub alias: Option<&'static str>,
    /// Concurrency of this edition or alias.
    pub concurrency: u32,
}

impl EditionSpec {
    /// Parses an edition name or alias: case, spaces and hyphens are ignored
    /// (`"Zoho One"`, `"zoho-one"` and `"zoho_one"` are the same).
    ///
    /// CRM Plus takes Ultimate's credits (LIM groups "Ultimate/CRM Plus") but
    /// Enterprise's concurrency of 20: K35 groups it with Enterprise, a third-party
    /// summary with Ultimate (25); the lower figure is the safe default.
    pub fn parse(name: &str) -> Result<Self> {
        let key: String = name
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect();
        let (edition, alias) = match key.as_str() {
            "free" => (Edition::Free, None),
            "standard" => (Edition::Standard, None),
            "starter" => (Edition::Standard, Some("starter")),
            "professional" => (Edition::Professional, None),
            "enterprise" => (Edition::Enterprise, None),
            "zohoone" => (Edition::Enterprise, Some("zoho_one")),
            "ultimate" => (Edition::Ultimate, None),
            "crmplus" => (Edition::Ultimate, Some("crm_plus")),
            _ => return Err(Error::UnknownEdition { name: clip(name) }),
        };
        let concurrency = match alias {
            Some("crm_plus") => Edition::Enterprise.concurrency(),
            _ => edition.concurrency(),
        };
        Ok(EditionSpec {
            edition,
            alias,
            concurrency,
        })
    }
}

/// Options of [`edition_limits`], as JavaScript passes them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct EditionOptions {
    /// Paid user licences (default 0: the allowance is then the base alone).
    pub licenses: Option<f64>,
    /// Purchased add-on credits per 24 h.
    pub add_on_credits: Option<f64>,
    /// Override of the edition cap: a number, or `null`/absent for the default.
    pub credit_cap: Option<f64>,
    /// Whether add-on credits may exceed the cap (default false, the safer reading:
    /// LIM's table puts add-ons inside the capped formula).
    pub add_ons_above_cap: Option<bool>,
    /// Override of the concurrency limit (e.g. 25 for a CRM Plus org that has 25).
    pub concurrency: Option<f64>,
}

/// The credit allowance, every figure that went into it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CreditAllowance {
    /// Base of the formula (50,000 for paid editions, 5,000 for Free).
    pub base: u64,
    /// Credits per licence for this edition.
    pub per_license: u64,
    /// Licences counted.
    pub licenses: u64,
    /// Add-on credits counted.
    pub add_on_credits: u64,
    /// base + licences × per-licence + add-ons (+ add-ons only when inside the cap).
    pub computed: u64,
    /// The edition maximum applied, `null` when unlimited.
    pub cap: Option<u64>,
    /// What the org really has per 24 h: min(computed, cap).
    pub available: u64,
    /// Credits below which Zoho sends `X-API-CREDITS-REMAINING`: half the allowance
    /// excluding add-ons (LIM via quotations: "once usage reaches 50%… excluding add-on credits").
    pub header_threshold: u64,
    /// Length of the rolling window in ms.
    pub window_ms: u64,
}

/// Everything the catalog knows about one edition for one org.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EditionLimits {
    /// Canonical edition name.
    pub edition: Edition,
    /// The alias the caller used (`starter`, `zoho_one`, `crm_plus`), else `null`.
    #[cfg_attr(feature = "ts", ts(type = "EditionAlias | null"))]
    pub alias: Option<&'static str>,
    /// Credits per rolling 24 h.
    pub credits: CreditAllowance,
    /// Concurrent calls.
    pub concurrency: u32,
    /// Concurrent calls of the complex-API pool (SUBC).
    pub sub_concurrency: u32,
    /// Concurrent GraphQL calls per org (GQL-L).
    pub graphql_concurrency: u32,
    /// Figures that rest on unverified or conflicting sources, for the caller's eyes.
    pub caveats: Vec<&'static str>,
}

fn count(value: Option<f64>, field: &str, max: u64) -> Result<u64> {
    let Some(v) = value else { return Ok(0) };
    if !v.is_finite() || v < 0.0 || v.fract() != 0.0 {
        return Err(Error::invalid(
            field,
            format!("expected a non-negative whole number, got {v}"),
        ));
    }
    if v > max as f64 {
        return Err(Error::invalid(field, format!("{v} exceeds {max}")));
    }
    // In range and whole, so the cast is exact.
    Ok(v as u64)
}

/// Limits of an edition (or alias) for an org with the given licences and add-ons.
pub fn edition_limits(name: &str, options: &EditionOptions) -> Result<EditionLimits> {
    let spec = EditionSpec::parse(name)?;
    let edition = spec.edition;
    let licenses = count(options.licenses, "options.licenses", MAX_LICENSES)?;
    let add_on_credits = count(
        options.add_on_credits,
        "options.addOnCredits",
        MAX_ADD_ON_CREDITS,
    )?;
    let cap = match options.credit_cap {
        None => edition.default_credit_cap(),
        Some(v) => Some(count(Some(v), "options.creditCap", u64::MAX / 4)?),
    };
    let concurrency = match options.concurrency {
        None => spec.concurrency,
        Some(v) => {
            let c = count(Some(v), "options.concurrency", 1_000)?;
            if c == 0 {
                return Err(Error::invalid("options.concurrency", "must be at least 1"));
            }
            c as u32
        }
    };
    let (base, per_license) = match edition {
        Edition::Free => (FREE_CREDITS, 0),
        other => (PAID_BASE_CREDITS, other.credits_per_license()),
    };
    let from_licenses = base.saturating_add(licenses.saturating_mul(per_license));
    let above_cap = options.add_ons_above_cap.unwrap_or(false);
    let (computed, available) = if above_cap {
        let capped = cap.map_or(from_licenses, |c| from_licenses.min(c));
        (
            from_licenses.saturating_add(add_on_credits),
            capped.saturating_add(add_on_credits),
        )
    } else {
        let computed = from_licenses.saturating_add(add_on_credits);
        (computed, cap.map_or(computed, |c| computed.min(c)))
    };
    let without_add_ons = cap.map_or(from_licenses, |c| from_licenses.min(c));
    let mut caveats = vec![
        "Edition caps differ between Zoho pages (LIM vs Kaizen #93); the lower figure is the default, override with creditCap.",
    ];
    if spec.alias == Some("crm_plus") {
        caveats.push("CRM Plus concurrency is 20 (Kaizen #35) or 25 (third-party); 20 is the default, override with concurrency.");
    }
    Ok(EditionLimits {
        edition,
        alias: spec.alias,
        credits: CreditAllowance {
            base,
            per_license,
            licenses,
            add_on_credits,
            computed,
            cap,
            available,
            header_threshold: without_add_ons / 2,
            window_ms: CREDIT_WINDOW_MS,
        },
        concurrency,
        sub_concurrency: SUB_CONCURRENCY,
        graphql_concurrency: GRAPHQL_CONCURRENCY,
        caveats,
    })
}
