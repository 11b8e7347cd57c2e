//! GraphQL analysis shortcuts and Zoho's documented example queries.

use zcrm_guard::graphql::{
    analyze_graphql, variables_from_json, Analysis, GraphqlOptions, ResourceKind, ViolationCode,
};

/// The analysis of a query with the default options and no variables.
pub fn analyze(query: &str) -> Analysis {
    analyze_graphql(query, None, &GraphqlOptions::default()).unwrap()
}

/// The analysis of a query with variables (JSON) and options.
pub fn analyze_with(query: &str, vars: serde_json::Value, options: &GraphqlOptions) -> Analysis {
    let vars = variables_from_json(vars).unwrap();
    analyze_graphql(query, vars.as_ref(), options).unwrap()
}

/// The violation codes of an analysis, in order.
pub fn codes(a: &Analysis) -> Vec<ViolationCode> {
    a.violations.iter().map(|v| v.code).collect()
}

/// The kinds of an analysis's resources, in order.
pub fn kinds(a: &Analysis) -> Vec<ResourceKind> {
    a.resources.iter().map(|r| r.kind).collect()
}

/// Zoho's "Querying Records in Leads Module" example.
pub const LEADS: &str = r#"query {
    Records {
        Leads {
            _data {
                id { value }
                Full_Name { value }
                Description { value }
            }
        }
    }
}"#;

/// Zoho's "Querying Lookup in Products Module" example.
pub const PRODUCTS_LOOKUP: &str = r#"query {
    Records {
        Products {
            _data {
                Vendor_Name {
                    Vendor_Name { value }
                    id { value }
                }
            }
        }
    }
}"#;

/// Zoho's "Querying Subform in Leads Module" example: Leads → Subform_1__r → Parent_Id.
pub const LEADS_SUBFORM: &str = r#"query {
    Records {
        Leads {
            _data {
                id { value }
                Subform_1__r {
                    _data {
                        id { value }
                        Parent_Id {
                            Email { value }
                            Company { value }
                        }
                    }
                }
            }
        }
    }
}"#;

/// Zoho's getting-started sample (metadata).
pub const META_MODULES: &str = r#"query {
    Meta {
        Modules(filter: { api_name: "Leads" }) {
            _data {
                plural_label
                presence_sub_menu
                id
                properties
                visibility
                on_demand_properties
                web_link
            }
        }
    }
}"#;
