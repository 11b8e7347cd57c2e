//! Module names: the standard modules, their system-defined mandatory fields and
//! upsert duplicate-check fields (sources §9 and §3, V7DOC insert and upsert), and
//! `check_module`, which turns `"Lead"` into Zoho's INVALID_MODULE with a suggestion.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::classify::{Category, RetryHint, TopError};
use crate::error::{clip, Error, Result};

/// A standard module: API name, system-defined mandatory fields and default
/// duplicate-check fields of upsert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandardModule {
    /// API name (`Sales_Orders`).
    pub api_name: &'static str,
    /// Mandatory for every insert (V7DOC insert-records, sources §9). Layout- and
    /// user-defined mandatory fields come from `system_mandatory` in the metadata.
    pub mandatory: &'static [&'static str],
    /// System-defined duplicate-check fields of upsert (V7DOC upsert, sources §3).
    pub duplicate_check: &'static [&'static str],
}

const fn module(
    api_name: &'static str,
    mandatory: &'static [&'static str],
    duplicate_check: &'static [&'static str],
) -> StandardModule {
    StandardModule {
        api_name,
        mandatory,
        duplicate_check,
    }
}

/// Duplicate-check field of upsert in custom modules (V7DOC upsert: "Custom modules: Name").
pub const CUSTOM_MODULE_DUPLICATE_CHECK: &[&str] = &["Name"];

/// The standard modules (V7DOC insert "Supported modules"; API names as in v2+, where
/// the upsert table's `SalesOrders`/`PriceBooks` are `Sales_Orders`/`Price_Books`).
///
/// Deals' `Pipeline` is mandatory only when pipelines are enabled; it is left to the
/// metadata's `system_mandatory`. Calls' and Events' conditional fields likewise.
pub const STANDARD_MODULES: &[StandardModule] = &[
    module("Leads", &["Last_Name"], &["Email"]),
    module("Contacts", &["Last_Name"], &["Email"]),
    module("Accounts", &["Account_Name"], &["Account_Name"]),
    module("Deals", &["Deal_Name", "Stage"], &["Deal_Name"]),
    module("Tasks", &["Subject"], &[]),
    module(
        "Calls",
        &["Subject", "Call_Type", "Call_Start_Time", "Call_Duration"],
        &[],
    ),
    module(
        "Events",
        &["Event_Title", "Start_DateTime", "End_DateTime"],
        &[],
    ),
    module("Products", &["Product_Name"], &["Product_Name"]),
    module("Quotes", &["Subject", "Quoted_Items"], &["Subject"]),
    module("Invoices", &["Subject", "Invoiced_Items"], &["Subject"]),
    module("Sales_Orders", &["Subject", "Ordered_Items"], &["Subject"]),
    module(
        "Purchase_Orders",
        &["Subject", "Vendor_Name", "Purchased_Items"],
        &["Subject"],
    ),
    module("Campaigns", &["Campaign_Name"], &["Campaign_Name"]),
    module("Vendors", &["Vendor_Name"], &["Vendor_Name"]),
    module(
        "Price_Books",
        &["Price_Book_Name", "Pricing_Details"],
        &["Price_Book_Name"],
    ),
    module("Cases", &["Case_Origin", "Status", "Subject"], &["Subject"]),
    module("Solutions", &["Solution_Title"], &["Solution_Title"]),
    module("Notes", &[], &[]),
    module("Attachments", &[], &[]),
    module("Appointments__s", &[], &[]),
    module("Services__s", &[], &[]),
    module("Visits", &[], &[]),
    module("Users", &[], &[]),
];

/// The standard module of this exact API name.
pub fn standard_module(api_name: &str) -> Option<&'static StandardModule> {
    STANDARD_MODULES.iter().find(|m| m.api_name == api_name)
}

/// One module of `GET /settings/modules` (`{"modules":[…]}`); other keys are ignored.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ModuleMeta {
    /// API name.
    pub api_name: String,
    /// Singular label (`Lead`).
    pub singular_label: Option<String>,
    /// Plural label (`Leads`).
    pub plural_label: Option<String>,
    /// Module name (may differ from the API name after a rename).
    pub module_name: Option<String>,
    /// `default` or `custom`.
    pub generated_type: Option<String>,
}

/// The body of `GET /settings/modules`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ModulesMetadata {
    /// Every module of the org.
    pub modules: Vec<ModuleMeta>,
}

/// The verdict on a module name.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ModuleCheck {
    /// Whether the name may be sent.
    pub ok: bool,
    /// The module's API name when it is known.
    pub module: Option<String>,
    /// Whether the name is a known module (standard, or listed in the metadata).
    /// Without metadata an unknown name that is close to no standard one is allowed
    /// (it may be a custom module) but not known.
    pub known: bool,
    /// Whether it is a custom module (per the metadata), or unknown without metadata.
    pub custom: bool,
    /// Zoho's INVALID_MODULE error, with `details.suggestion`.
    pub error: Option<TopError>,
}

fn normalized(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | ' ' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Singular/plural variants of a normalised name.
fn number_variants(n: &str) -> Vec<String> {
    let mut v = vec![format!("{n}s"), format!("{n}es")];
    if let Some(stem) = n.strip_suffix("ies") {
        v.push(format!("{stem}y"));
    }
    if let Some(stem) = n.strip_suffix('y') {
        v.push(format!("{stem}ies"));
    }
    if let Some(stem) = n.strip_suffix("es") {
        v.push(stem.to_owned());
    }
    if let Some(stem) = n.strip_suffix('s') {
        v.push(stem.to_owned());
    }
    v
}

/// Levenshtein distance, two rows; inputs are module names (short, clipped).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len().saturating_add(1)];
    for (i, ca) in a.chars().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i.saturating_add(1);
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(usize::MAX);
            let del = prev.get(j.saturating_add(1)).copied().unwrap_or(usize::MAX);
            let ins = cur.get(j).copied().unwrap_or(usize::MAX);
            let cost = usize::from(ca != *cb);
            let best = sub
                .saturating_add(cost)
                .min(del.saturating_add(1))
                .min(ins.saturating_add(1));
            if let Some(slot) = cur.get_mut(j.saturating_add(1)) {
                *slot = best;
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// Longest module name compared by edit distance (longer input is clipped first).
const MAX_COMPARED_CHARS: usize = 64;

/// Candidates: (API name, names it may be written as).
fn candidates(meta: Option<&ModulesMetadata>) -> Vec<(String, Vec<String>, bool)> {
    let mut out: Vec<(String, Vec<String>, bool)> = STANDARD_MODULES
        .iter()
        .map(|m| (m.api_name.to_owned(), vec![m.api_name.to_owned()], false))
        .collect();
    if let Some(meta) = meta {
        for m in &meta.modules {
            let custom = m.generated_type.as_deref() == Some("custom");
            let mut names = vec![m.api_name.clone()];
            names.extend(m.singular_label.iter().cloned());
            names.extend(m.plural_label.iter().cloned());
            names.extend(m.module_name.iter().cloned());
            match out.iter_mut().find(|(api, _, _)| *api == m.api_name) {
                Some(entry) => {
                    entry.1.extend(names);
                    entry.2 = custom;
                }
                None => out.push((m.api_name.clone(), names, custom)),
            }
        }
    }
    out
}

fn invalid_module(suggestion: Option<&str>) -> TopError {
    TopError {
        code: "INVALID_MODULE".into(),
        message: "the module name given seems to be invalid".into(),
        details: json!({ "resource_path_index": 0, "suggestion": suggestion }),
        category: Category::Validation,
        retry: RetryHint::None,
    }
}

/// Checks a module API name against the standard modules and, when given, the org's
/// modules metadata. A near miss (case, underscores, singular/plural, one edit, two on long names)
/// is Zoho's INVALID_MODULE with the intended name as `details.suggestion`.
pub fn check_module(name: &str, meta: Option<&ModulesMetadata>) -> ModuleCheck {
    let cands = candidates(meta);
    if let Some((api, _, custom)) = cands.iter().find(|(api, _, _)| api == name) {
        return ModuleCheck {
            ok: true,
            module: Some(api.clone()),
            known: true,
            custom: *custom,
            error: None,
        };
    }
    let clipped: String = name.chars().take(MAX_COMPARED_CHARS).collect();
    let n = normalized(&clipped);
    let variants = number_variants(&n);
    let mut best: Option<(usize, &str)> = None;
    for (api, names, _) in &cands {
        for alias in names {
            let a = normalized(alias);
            let d = if a == n {
                0
            } else if variants.contains(&a) {
                1
            } else {
                edit_distance(&n, &a).saturating_add(1)
            };
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, api.as_str()));
            }
        }
    }
    // One edit on names of 4+ letters, two on names of 10+ (so that a custom module
    // such as "Projects" is not taken for "Products"); the offset above is +1.
    let len = n.chars().count();
    let near = best.filter(|(d, _)| *d <= 1 || (*d == 2 && len >= 4) || (*d == 3 && len >= 10));
    match (near, meta) {
        (Some((_, api)), _) => ModuleCheck {
            ok: false,
            module: None,
            known: false,
            custom: false,
            error: Some(invalid_module(Some(api))),
        },
        (None, Some(_)) => ModuleCheck {
            ok: false,
            module: None,
            known: false,
            custom: false,
            error: Some(invalid_module(None)),
        },
        (None, None) => ModuleCheck {
            ok: !name.is_empty(),
            module: None,
            known: false,
            custom: true,
            error: name.is_empty().then(|| invalid_module(None)),
        },
    }
}

/// `check_module` as a `Result`: the module's standard entry (if any), or INVALID_MODULE.
pub fn require_module(
    name: &str,
    meta: Option<&ModulesMetadata>,
) -> Result<Option<&'static StandardModule>> {
    let check = check_module(name, meta);
    if check.ok {
        return Ok(standard_module(name));
    }
    let suggestion = check
        .error
        .as_ref()
        .and_then(|e| e.details.get("suggestion"))
        .and_then(|s| s.as_str())
        .map(str::to_owned);
    Err(Error::InvalidModule {
        name: clip(name),
        suggestion,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_is_levenshtein() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("leads", "leads"), 0);
    }
}
