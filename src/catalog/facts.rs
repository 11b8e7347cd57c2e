//! Zoho facts for the JavaScript client: the sizes its loops page by and the tables
//! it looks things up in (duplicate-check fields, the status Zoho sends with a
//! top-level code). Every figure is read from the core's own constants and tables, so
//! the JavaScript never restates one.

use std::collections::BTreeMap;

use serde::Serialize;

use super::limits::{
    DEFAULT_COQL_LIMIT, MAX_COQL_LIMIT, MAX_COQL_ROWS, MAX_PER_PAGE, MAX_RECORDS_PER_WRITE,
    MAX_RECORDS_WITHOUT_PAGE_TOKEN, MAX_RECORDS_WITH_PAGE_TOKEN, MAX_SEARCH_CRITERIA,
    MAX_SEARCH_RECORDS,
};
use crate::classify::codes::CODE_STATUS;
use crate::validate::module::{CUSTOM_MODULE_DUPLICATE_CHECK, STANDARD_MODULES};

/// The Zoho facts a client needs, in one plain object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ZohoFacts {
    /// Get Records paging.
    #[cfg_attr(feature = "ts", ts(inline))]
    pub paging: PagingFacts,
    /// COQL sizes.
    #[cfg_attr(feature = "ts", ts(inline))]
    pub coql: CoqlFacts,
    /// Search limits.
    #[cfg_attr(feature = "ts", ts(inline))]
    pub search: SearchFacts,
    /// Records per insert/update/upsert/delete call.
    pub max_records_per_write: u32,
    /// Upsert's system duplicate-check fields.
    #[cfg_attr(feature = "ts", ts(inline))]
    pub duplicate_check: DuplicateCheckFacts,
    /// The HTTP status Zoho sends with a top-level `code` (`{ "INVALID_TOKEN": 401 }`).
    pub code_status: BTreeMap<&'static str, u16>,
    /// Not Zoho's but the runtime's: the longest wait the Guard asks for, 2^31 - 1 ms
    /// (what a JavaScript timer holds); a longer sleep is taken in steps of it.
    pub max_wait_ms: u64,
}

/// Get Records paging (V7DOC get-records).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PagingFacts {
    /// Largest `per_page`.
    pub max_per_page: u32,
    /// Records reachable with `page` alone; beyond, `page_token`.
    pub max_records_without_page_token: u32,
    /// Records reachable with `page_token`.
    pub max_records_with_page_token: u32,
}

/// COQL sizes (v8 COQL-Limitations, COQL overview).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CoqlFacts {
    /// Largest LIMIT of one call.
    pub max_limit: u32,
    /// Rows reachable by LIMIT/OFFSET in all.
    pub max_rows: u32,
    /// LIMIT Zoho applies when the query has none.
    pub default_limit: u32,
}

/// Search limits (V7DOC search).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchFacts {
    /// Records Search reaches in all.
    pub max_records: u32,
    /// Criteria per call.
    pub max_criteria: u32,
}

/// Upsert's system duplicate-check fields (V7DOC upsert, sources §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DuplicateCheckFacts {
    /// Every standard module by API name; empty where the module has none.
    pub modules: BTreeMap<&'static str, &'static [&'static str]>,
    /// The fields of every custom module.
    pub custom_module: &'static [&'static str],
}

/// The Zoho facts of this build of the core.
pub fn zoho_facts() -> ZohoFacts {
    ZohoFacts {
        paging: PagingFacts {
            max_per_page: MAX_PER_PAGE,
            max_records_without_page_token: MAX_RECORDS_WITHOUT_PAGE_TOKEN,
            max_records_with_page_token: MAX_RECORDS_WITH_PAGE_TOKEN,
        },
        coql: CoqlFacts {
            max_limit: MAX_COQL_LIMIT,
            max_rows: MAX_COQL_ROWS,
            default_limit: DEFAULT_COQL_LIMIT,
        },
        search: SearchFacts {
            max_records: MAX_SEARCH_RECORDS,
            max_criteria: MAX_SEARCH_CRITERIA,
        },
        max_records_per_write: MAX_RECORDS_PER_WRITE,
        duplicate_check: DuplicateCheckFacts {
            modules: STANDARD_MODULES
                .iter()
                .map(|m| (m.api_name, m.duplicate_check))
                .collect(),
            custom_module: CUSTOM_MODULE_DUPLICATE_CHECK,
        },
        code_status: CODE_STATUS.iter().copied().collect(),
        max_wait_ms: crate::MAX_WAIT_MS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_are_the_core_constants_and_tables() {
        let f = zoho_facts();
        assert_eq!(f.paging.max_per_page, 200);
        assert_eq!(f.paging.max_records_without_page_token, 2_000);
        assert_eq!(f.coql.max_limit, 2_000);
        assert_eq!(f.coql.max_rows, 100_000);
        assert_eq!(f.max_records_per_write, 100);
        assert_eq!(f.duplicate_check.modules.len(), STANDARD_MODULES.len());
        assert_eq!(
            f.duplicate_check.modules.get("Leads"),
            Some(&&["Email"][..])
        );
        assert_eq!(
            f.duplicate_check.modules.get("Price_Books"),
            Some(&&["Price_Book_Name"][..])
        );
        assert_eq!(f.duplicate_check.modules.get("Tasks"), Some(&&[][..]));
        assert_eq!(f.duplicate_check.custom_module, ["Name"]);
        assert_eq!(f.code_status.len(), CODE_STATUS.len());
        assert_eq!(f.code_status.get("INVALID_TOKEN"), Some(&401));
        assert_eq!(f.code_status.get("TOO_MANY_REQUESTS"), Some(&429));
    }

    #[test]
    fn facts_serialize_as_one_camel_case_object() {
        let v = serde_json::to_value(zoho_facts()).unwrap();
        assert_eq!(v["paging"]["maxRecordsWithoutPageToken"], 2_000);
        assert_eq!(v["coql"]["defaultLimit"], 200);
        assert_eq!(v["search"]["maxRecords"], 2_000);
        assert_eq!(v["maxRecordsPerWrite"], 100);
        assert_eq!(v["duplicateCheck"]["modules"]["Contacts"][0], "Email");
        assert_eq!(v["duplicateCheck"]["customModule"][0], "Name");
        assert_eq!(v["codeStatus"]["SUCCESS"], 200);
        assert_eq!(v["maxWaitMs"], 2_147_483_647_u64);
    }
}
