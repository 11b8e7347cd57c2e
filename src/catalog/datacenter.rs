//! Zoho data centres: accounts server and API domain of each, and the way back
//! from any Zoho URL to its data centre.
//!
//! Sources: PYSDK `zohocrmsdk/src/com/zoho/crm/api/dc/*_data_center.py` and MDC
//! (<https://www.zoho.com/crm/developer/docs/api/v8/multi-dc.html>). AE and UK are
//! left out: neither is in the CRM SDK nor on the CRM multi-DC page.

use serde::Serialize;

/// One data centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DataCenter {
    /// Short id (`"us"`, `"eu"`, …), the `location` of Zoho's authorization redirect.
    #[cfg_attr(feature = "ts", ts(type = "DataCenterId"))]
    pub id: &'static str,
    /// Human name.
    pub name: &'static str,
    /// OAuth accounts server (token endpoint at `{accounts}/oauth/v2/token`).
    pub accounts_server: &'static str,
    /// Production API domain.
    pub api_domain: &'static str,
    /// Sandbox API domain.
    pub sandbox_domain: &'static str,
    /// Developer-edition API domain.
    pub developer_domain: &'static str,
    /// File and bulk upload domain.
    pub file_domain: &'static str,
    /// Registrable suffix shared by this DC's API hosts (`zohoapis.eu`).
    pub api_suffix: &'static str,
    /// Registrable suffix of the accounts server (`zoho.eu`).
    pub accounts_suffix: &'static str,
}

/// Every CRM data centre (US, EU, IN, AU, JP, CA, SA, CN).
pub const DATA_CENTERS: [DataCenter; 8] = [
    DataCenter {
        id: "us",
        name: "United States",
        accounts_server: "https://accounts.zoho.com",
        api_domain: "https://www.zohoapis.com",
        sandbox_domain: "https://sandbox.zohoapis.com",
        developer_domain: "https://developer.zohoapis.com",
        file_domain: "https://content.zohoapis.com",
        api_suffix: "zohoapis.com",
        accounts_suffix: "zoho.com",
    },
    DataCenter {
        id: "eu",
        name: "Europe",
        accounts_server: "https://accounts.zoho.eu",
        api_domain: "https://www.zohoapis.eu",
        sandbox_domain: "https://sandbox.zohoapis.eu",
        developer_domain: "https://developer.zohoapis.eu",
        file_domain: "https://content.zohoapis.eu",
        api_suffix: "zohoapis.eu",
        accounts_suffix: "zoho.eu",
    },
    DataCenter {
        id: "in",
        name: "India",
        accounts_server: "https://accounts.zoho.in",
        api_domain: "https://www.zohoapis.in",
        sandbox_domain: "https://sandbox.zohoapis.in",
        developer_domain: "https://developer.zohoapis.in",
        file_domain: "https://content.zohoapis.in",
        api_suffix: "zohoapis.in",
        accounts_suffix: "zoho.in",
    },
    DataCenter {
        id: "au",
        name: "Australia",
        accounts_server: "https://accounts.zoho.com.au",
        api_domain: "https://www.zohoapis.com.au",
        sandbox_domain: "https://sandbox.zohoapis.com.au",
        developer_domain: "https://developer.zohoapis.com.au",
        file_domain: "https://content.zohoapis.com.au",
        api_suffix: "zohoapis.com.au",
        accounts_suffix: "zoho.com.au",
    },
    DataCenter {
        id: "jp",
        name: "Japan",
        accounts_server: "https://accounts.zoho.jp",
        api_domain: "https://www.zohoapis.jp",
        sandbox_domain: "https://sandbox.zohoapis.jp",
        developer_domain: "https://developer.zohoapis.jp",
        file_domain: "https://content.zohoapis.jp",
        api_suffix: "zohoapis.jp",
        accounts_suffix: "zoho.jp",
    },
    DataCenter {
        id: "ca",
        name: "Canada",
        accounts_server: "https://accounts.zohocloud.ca",
        api_domain: "https://www.zohoapis.ca",
        sandbox_domain: "https://sandbox.zohoapis.ca",
        developer_domain: "https://developer.zohoapis.ca",
        file_domain: "https://upload.zohocloud.ca",
        api_suffix: "zohoapis.ca",
        accounts_suffix: "zohocloud.ca",
    },
    DataCenter {
        id: "sa",
        name: "Saudi Arabia",
        accounts_server: "https://accounts.zoho.sa",
        api_domain: "https://www.zohoapis.sa",
        sandbox_domain: "https://sandbox.zohoapis.sa",
        developer_domain: "https://developer.zohoapis.sa",
        file_domain: "https://files.zoho.sa",
        api_suffix: "zohoapis.sa",
        accounts_suffix: "zoho.sa",
    },
    DataCenter {
        id: "cn",
        name: "China",
        accounts_server: "https://accounts.zoho.com.cn",
        api_domain: "https://www.zohoapis.com.cn",
        sandbox_domain: "https://sandbox.zohoapis.com.cn",
        developer_domain: "https://developer.zohoapis.com.cn",
        file_domain: "https://content.zohoapis.com.cn",
        api_suffix: "zohoapis.com.cn",
        accounts_suffix: "zoho.com.cn",
    },
];

/// The host of a URL or bare domain, lower-cased, without scheme, user, port or path.
fn host_of(url: &str) -> String {
    let rest = url.trim();
    let rest = rest.split_once("://").map_or(rest, |(_, r)| r);
    let rest = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let rest = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    let host = rest.split(':').next().unwrap_or_default();
    host.trim_end_matches('.').to_ascii_lowercase()
}

fn has_suffix(host: &str, suffix: &str) -> bool {
    host == suffix
        || host
            .strip_suffix(suffix)
            .is_some_and(|head| head.ends_with('.'))
}

/// The data centre of any Zoho URL: an `api_domain` (production, sandbox, developer),
/// a file domain or an accounts server. `None` for anything else.
pub fn data_center_for(url: &str) -> Option<&'static DataCenter> {
    let host = host_of(url);
    if host.is_empty() {
        return None;
    }
    DATA_CENTERS.iter().find(|dc| {
        has_suffix(&host, dc.api_suffix)
            || has_suffix(&host, dc.accounts_suffix)
            || has_suffix(&host, &host_of(dc.file_domain))
    })
}
