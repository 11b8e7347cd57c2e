//! Zoho CRM GraphQL limits and resource costs, each traced to its source.
//!
//! Source keys as in `shared/zoho-api-facts.md` §7: GQL-C (api-credits.html, "Credits,
//! Complexity, and Depth"), GQL-L (limitations.html), K203 (Kaizen #203).
//!
//! Credits are kept in quarter credits (the smallest cost Zoho publishes is 0.25), so
//! every sum is exact integer arithmetic and the final figure is rounded up once.

/// Quarter credits per credit.
pub const QUARTERS_PER_CREDIT: u32 = 4;

/// Most credits one GraphQL call may consume (GQL-C: "can consume up to 10 credits";
/// "If the total exceeds 10, an error will be thrown").
pub const MAX_CREDITS: u32 = 10;

/// Complexity cap per query (GQL-C, GQL-L: "capped to 1000"; beyond it Zoho answers
/// "ExecutionAborted").
pub const MAX_COMPLEXITY: u32 = 1_000;

/// Depth allowed for records (GQL-L, K203: "upto 3 levels of depth for Records").
pub const MAX_DEPTH_RECORDS: u32 = 3;

/// Depth allowed for metadata (GQL-L, K203: "7 levels of depth for Metadata").
pub const MAX_DEPTH_META: u32 = 7;

/// Records per root-level module query (GQL-L: "Maximum 100 records at root level";
/// query-records.html: `limit` "with a maximum value of 100").
pub const MAX_ROOT_RECORDS: u32 = 100;

/// Records per sub-level query (GQL-L: "Maximum 10 records at sub levels").
pub const MAX_SUB_RECORDS: u32 = 10;

/// Records a root module query is assumed to return when it has no `limit` argument.
/// Zoho does not document the default; the root maximum is the safe assumption.
pub const DEFAULT_ROOT_LIMIT: u32 = MAX_ROOT_RECORDS;

/// Fields per record resource (GQL-L: "50 fields per resource").
pub const MAX_FIELDS_PER_RESOURCE: u32 = 50;

/// Lookup or child fields per record resource (GQL-L: "Maximum 5 Lookup or Child
/// fields (lookup fields, one-many relation, related list data) per resource").
pub const MAX_RELATIONS_PER_RESOURCE: u32 = 5;

/// Filter criteria per query (GQL-L: "a maximum of 25 criteria for filtering response").
pub const MAX_FILTER_CRITERIA: u32 = 25;

/// Complexity of a root-level resource (GQL-C, GQL-L: "Root level query: 100 points for
/// each resource").
pub const ROOT_RESOURCE_COMPLEXITY: u32 = 100;

/// Credits of a root `{Module}` record query, in quarters. GQL-C's `_Records` table is
/// cut off before this row (UNVERIFIED); 1 credit is the figure that matches the
/// 100-point root complexity in the `_Meta` table, and the largest per-resource cost
/// Zoho publishes ("ranging from 0.25 to 1"), so it is the safe default.
pub const ROOT_RECORD_QUARTERS: u32 = 4;

/// Complexity of a parent lookup (GQL-C: "25 points for each Parent lookup (Lookup
/// fields, User lookup fields etc)").
pub const LOOKUP_COMPLEXITY: u32 = 25;
/// Credits of a parent lookup, in quarters (GQL-C `_Records`: parent relations .25).
pub const LOOKUP_QUARTERS: u32 = 1;

/// Complexity of a child relation such as a subform (GQL-C: "50 points for each Child
/// relation (Subform data)").
pub const CHILD_RELATION_COMPLEXITY: u32 = 50;
/// Credits of a child relation, in quarters (GQL-C `_Records`: child relations .5).
pub const CHILD_RELATION_QUARTERS: u32 = 2;

/// Complexity of a multi-module lookup (GQL-C: "50 points for each Multi Module lookup
/// (what_Id, Appointments_For)").
pub const MULTI_MODULE_LOOKUP_COMPLEXITY: u32 = 50;
/// Credits of a multi-module lookup, in quarters (GQL-C `_Records`: .5).
pub const MULTI_MODULE_LOOKUP_QUARTERS: u32 = 2;

/// Multi-module lookup fields Zoho names (GQL-C, GQL-L). Others can be added with
/// `options.multiModuleLookups`.
pub const KNOWN_MULTI_MODULE_LOOKUPS: [&str; 2] = ["What_Id", "Appointments_For"];

/// The `_Meta` resources and their cost (GQL-C table): name, quarter credits, complexity.
/// `User` excludes Created_By/Modified_By, which are record lookups, not this resource.
pub const META_RESOURCES: [(&str, u32, u32); 24] = [
    ("ChildRelation", 2, 50),
    ("ChildRelations", 4, 100),
    ("CustomView", 2, 50),
    ("CustomViews", 4, 100),
    ("Field", 2, 50),
    ("Fields", 4, 100),
    ("KanbanView", 4, 100),
    ("Layout", 4, 100),
    ("Layouts", 4, 100),
    ("LayoutFields", 4, 100),
    ("Module", 2, 50),
    ("Modules", 4, 100),
    ("Profile", 2, 50),
    ("ProfileModuleProperties", 4, 100),
    ("ProfilePermissions", 4, 100),
    ("Profiles", 4, 100),
    ("RelatedList", 2, 50),
    ("RelatedLists", 4, 100),
    ("Role", 2, 50),
    ("Roles", 4, 100),
    ("User", 2, 50),
    ("UserProperties", 4, 100),
    ("Users", 4, 100),
    ("Widgets", 4, 100),
];

/// Cost of a `_Meta` resource missing from the table: the table's maximum (1 credit,
/// 100 points), so an unknown resource is never under-reserved.
pub const UNKNOWN_META_COST: (u32, u32) = (4, ROOT_RESOURCE_COMPLEXITY);

/// Cost of a `_Meta` resource by name, if Zoho's table lists it.
pub fn meta_cost(name: &str) -> Option<(u32, u32)> {
    META_RESOURCES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|&(_, quarters, complexity)| (quarters, complexity))
}

// ---------------------------------------------------------------- our own guards

/// Default largest query accepted, in bytes. A real Zoho query is a few KiB; this is
/// our guard (Zoho publishes no request-size limit for GraphQL), configurable.
pub const DEFAULT_MAX_QUERY_BYTES: u32 = 256 * 1024;
/// Largest value `maxQueryBytes` may be set to (16 MiB).
pub const MAX_QUERY_BYTES_CEILING: u32 = 16 * 1024 * 1024;

/// Default parser recursion limit (nested selection sets, lists, objects, types).
/// The deepest legitimate Zoho query nests about 20 levels (metadata depth 7 with its
/// `_data` wrappers); the cap keeps the parser far from the ~1 MiB wasm stack.
pub const DEFAULT_MAX_NESTING: u32 = 64;
/// Largest value `maxNesting` may be set to: 256 nested selection sets parse on the
/// wasm stack even in a debug build (js-api/tests/wasm/graphql.rs).
pub const MAX_NESTING_CEILING: u32 = 256;

/// Default budget of field selections visited after fragment expansion; a document of
/// fragments that spread each other many times can expand exponentially.
pub const DEFAULT_MAX_EXPANDED_FIELDS: u32 = 100_000;
/// Largest value `maxExpandedFields` may be set to.
pub const MAX_EXPANDED_FIELDS_CEILING: u32 = 10_000_000;

/// Violations listed at most; one more entry says that the list was cut.
pub const MAX_VIOLATIONS: usize = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_table_matches_zoho_figures() {
        assert_eq!(meta_cost("Modules"), Some((4, 100)));
        assert_eq!(meta_cost("Field"), Some((2, 50)));
        assert_eq!(meta_cost("Users"), Some((4, 100)));
        assert_eq!(meta_cost("modules"), None, "names are case-sensitive");
        // Every complexity is 100 per credit in Zoho's table.
        for (name, q, c) in META_RESOURCES {
            assert_eq!(q * 25, c, "{name}");
        }
    }
}
