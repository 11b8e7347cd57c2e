//! The parser on the shapes it must accept and the faults it must report.

use super::ast::{Item, OpKind, Val};
use super::parse;

fn errors(q: &str) -> Vec<(u32, String, bool)> {
    parse(q, 64)
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.offset, e.message, e.limit))
        .collect()
}

#[test]
fn full_executable_document() {
    let q = r#"
query Q($n: Int = 5, $w: [Crit!]! = [{a: {equals: "x"}}], $s: String @d) @op(x: 1) {
  Records {
    L: Leads(limit: $n, where: {or: [{A: {equals: 1.5}}, {B: {in: ["a", """b "" c"""]}}]}, other: [1 2]) @include(if: true) {
      _data { id { value } ...F ... on Leads__data { x } ... @skip(if: false) { y } }
    }
  }
}
fragment F on Leads__data @f { Owner { name { value } } }
mutation M { a }
subscription { b }
"#;
    let doc = parse(q, 64).unwrap();
    assert_eq!(doc.operations.len(), 3);
    assert_eq!(doc.fragments.len(), 1);
    let op = &doc.operations[0];
    assert_eq!((op.name, op.kind), (Some("Q"), OpKind::Query));
    assert_eq!(op.variables.len(), 3);
    assert_eq!(op.variables[0].1, Some(Val::Int(5)));
    assert_eq!(doc.operations[1].kind, OpKind::Mutation);
    assert_eq!(doc.operations[2].kind, OpKind::Subscription);
    let records = match &doc.items(op.set.unwrap())[0] {
        Item::Field(f) => f,
        _ => unreachable!(),
    };
    let Item::Field(leads) = &doc.items(records.set.unwrap())[0] else {
        unreachable!()
    };
    assert_eq!((leads.key, leads.name), ("L", "Leads"));
    assert_eq!(leads.limit, Some(Val::Var("n")));
    let Some(Val::Object(w)) = &leads.filter else {
        unreachable!()
    };
    assert_eq!(w[0].0, "or");
    assert_eq!(&q[leads.offset as usize..][..8], "L: Leads");
}

#[test]
fn syntax_errors_are_located_and_parsing_resumes_at_the_next_definition() {
    let e = errors("query {\n  Records {\n    Leads( { _data { id } }\n}");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].0, 31);
    assert!(e[0].1.contains("argument name"), "{}", e[0].1);
    let e = errors("{ a( } query { b c: } fragment on T { x } { ok }");
    assert_eq!(e.len(), 3, "{e:?}");
    let e = errors("{ a }\ntype T { x: Int }");
    assert_eq!(e.len(), 1);
    assert!(errors("{ }")[0].1.contains("field"));
    assert!(errors("{ a ")[0].1.contains("end of the query"));
    assert!(errors("{ a(x: 01) }")[0].1.contains("cannot start with 0"));
    assert!(errors("query($a: Int = ) { a }")[0].1.contains("a value"));
}

#[test]
fn nesting_is_capped_across_sets_lists_objects_and_types() {
    let deep = format!("{}{}", "{ a ".repeat(100), "}".repeat(100));
    let e = errors(&deep);
    assert_eq!(e.len(), 1);
    assert!(e[0].2);
    assert!(parse(&deep, 101).is_ok());
    let lists = format!("{{ a(x: {}1{}) }}", "[".repeat(63), "]".repeat(63));
    assert!(parse(&lists, 64).is_ok());
    assert!(parse(&lists, 63).unwrap_err()[0].limit);
    let objects = format!("{{ a(x: {}1{}) }}", "{a:".repeat(70), "}".repeat(70));
    assert!(errors(&objects)[0].2);
    let types = format!("query($v: {}Int{}) {{ a }}", "[".repeat(70), "]".repeat(70));
    assert!(errors(&types)[0].2);
}

#[test]
fn empty_document_has_no_definition_and_no_error() {
    let doc = parse(" \n# only a comment\n", 64).unwrap();
    assert!(doc.operations.is_empty() && doc.fragments.is_empty());
}

#[test]
fn errors_are_capped() {
    let q = "{ ( } ".repeat(1000);
    assert_eq!(errors(&q).len(), crate::graphql::limits::MAX_VIOLATIONS);
}
