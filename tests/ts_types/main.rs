//! The package's TypeScript declarations of the Rust types, `pkg-template/types/generated/`,
//! are generated from the types themselves by ts-rs (feature `ts`). This test builds
//! them and fails when the committed files differ; `bash scripts/gen-types.sh` (the
//! same test with `ZCRM_GUARD_WRITE_TYPES=1`) writes them.
//!
//! Why ts-rs: it derives the declarations from the types and reads their serde
//! attributes (renames, tags, untagged), so the names on the wire and in the
//! declarations cannot part; it is an optional dependency of the core behind the `ts`
//! feature (no wasm dependency, nothing in the wasm build). Numbers cross to
//! JavaScript as numbers (the core keeps integers below 2^53), so 64-bit integers are
//! declared `number`, not ts-rs's default `bigint`. Options read from JavaScript have
//! every field optional (`?:`, with `| null` where `null` reads as absent); results
//! have `T | null` for absent values, as serde_json writes them.
//!
//! Each file is one domain; the declarations are emitted in the order listed here and
//! the imports between files are computed from the names each file uses. What ts-rs
//! cannot express is covered another way:
//! - `Decision`: the Rust type keeps `action` and `indices` as two fields; the
//!   declaration comes from `guard::DecisionView`, checked against real decisions in
//!   [`decisions`].
//! - `GuardState` (opaque but for `version`), `CoreErrorCode` and `DataCenterId` are
//!   built here from Rust constants.
//! - `EditionName`/`EditionAlias` (an open string union) and Zoho's own documents
//!   (`FieldsMetadata`, `ModulesMetadata`: open key sets) stay hand-written in
//!   `pkg-template/types/*.d.ts`, imported from there ([`HAND_WRITTEN`]) and checked
//!   in [`hand_written`].
//! - The logged `operation` is declared with the input `Operation` (ts-rs's `as`
//!   cannot replace a type with serde renames): the checked form the log holds fits it.

// Tests may unwrap and panic (clippy.toml allows it inside #[test] fns; helpers need this).
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::expect_used,
    clippy::indexing_slicing
)]

mod decisions;
mod hand_written;
mod pretty;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use ts_rs::{Config, TS};
use zcrm_guard::batch::{Batch, BatchOptions, CompositeOptions, JobOptions, JobPlan};
use zcrm_guard::catalog::{
    CostOverrides, CreditAllowance, CreditCost, DataCenter, Edition, EditionLimits, EditionOptions,
    OperationKind, OperationLimits, Pool, RawOperation, ZohoFacts, DATA_CENTERS,
};
use zcrm_guard::classify::{
    Category, ClassifyOptions, Outcome, RecordResult, RetryHint, TopError, Verdict,
};
use zcrm_guard::error::catalog::{self, CodeInfo, Raised, Source};
use zcrm_guard::error::{Error, ErrorDetails};
use zcrm_guard::graphql::{
    Analysis, DepthConvention, GraphqlOptions, Resource, ResourceKind, Violation, ViolationCode,
};
use zcrm_guard::guard::{
    Action, Admission, Admitted, AmbiguousInsert, BreakerState, DecisionInputs, DecisionLog,
    DecisionView, DelayBasis, FailedRun, LogEvent, LoggedDecision, PerClass, RawGuardConfig,
    Reason, RefuseReason, Refused, RetryAfterPolicy, RetryAfterScope, Snapshot, TokenFailure,
    TokenFailureDecision, TokenResponse, TokenStatus, VerdictFacts, STATE_VERSION,
};
use zcrm_guard::validate::{ModuleCheck, ValidateOptions, Validation};

/// Where the generated files live (shipped in the package as `types/generated/`).
const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/pkg-template/types/generated");

/// The command that rewrites the files.
const REGENERATE: &str = "bash scripts/gen-types.sh";

/// Names declared by hand in `pkg-template/types/` that generated declarations use
/// (through `#[ts(type = "…")]`), with the file that declares them.
const HAND_WRITTEN: [(&str, &str); 3] = [
    // Any string is accepted (case, spaces and hyphens are ignored): an open union.
    ("EditionName", "../catalog.js"),
    ("EditionAlias", "../catalog.js"),
    // Zoho's own document, read in part: hand-written with an index signature.
    ("ModulesMetadata", "../validate.js"),
];

/// TypeScript's own names and type parameters, never imported.
const BUILT_IN: [&str; 4] = ["Array", "Record", "Partial", "T"];

/// One declaration: its name and its text (docs, then `export type …`).
struct Decl {
    name: String,
    text: String,
}

/// The declaration ts-rs derives for `T`.
fn decl<T: TS + ?Sized + 'static>(cfg: &Config) -> Decl {
    let docs = T::docs().unwrap_or_default();
    Decl {
        name: T::ident(cfg),
        text: pretty::pretty(&format!("{docs}export {}", T::decl(cfg))),
    }
}

/// A declaration built from Rust data (a list of names) rather than a type.
fn union_of(name: &str, doc: &str, members: impl IntoIterator<Item = String>) -> Decl {
    let members: Vec<String> = members.into_iter().map(|m| format!("'{m}'")).collect();
    Decl {
        name: name.to_owned(),
        text: pretty::pretty(&format!(
            "/**\n * {doc}\n */\nexport type {name} = {};",
            members.join(" | ")
        )),
    }
}

/// `GuardState`: opaque (its layout is no API: store it, pass it back to
/// `Guard.fromJSON`), except `version`, which `fromJSON` checks.
fn opaque_state() -> Decl {
    Decl {
        name: "GuardState".to_owned(),
        text: pretty::pretty(&format!(
            "/**\n * The Guard's whole state, a plain JSON-safe object: store it anywhere and \
             pass it to `Guard.fromJSON`. Opaque but for its version.\n */\n\
             export type GuardState = {{ version: {STATE_VERSION}, [key: string]: unknown, }};"
        )),
    }
}

/// One generated file.
struct File {
    name: &'static str,
    about: &'static str,
    decls: Vec<Decl>,
}

/// Every generated file, in package order.
fn files(cfg: &Config) -> Vec<File> {
    vec![
        File {
            name: "errors",
            about: "The details of a `ZcrmGuardError` and the catalog of codes (core and client).",
            decls: vec![
                union_of(
                    "CoreErrorCode",
                    "Codes of the errors the core (wasm) throws.",
                    Error::ALL_CODES.iter().map(|c| (*c).to_owned()),
                ),
                union_of(
                    "ClientErrorCode",
                    "Codes of the errors the JavaScript client throws.",
                    catalog::codes_of(Source::Client, Raised::Thrown).map(str::to_owned),
                ),
                union_of(
                    "ClientResultCode",
                    "Codes the client writes into a write job's per-record results (never thrown).",
                    catalog::codes_of(Source::Client, Raised::Result).map(str::to_owned),
                ),
                union_of(
                    "ErrorCode",
                    "Every code of the catalog (`errorCodes()`).",
                    catalog::codes().map(str::to_owned),
                ),
                decl::<Source>(cfg),
                decl::<Raised>(cfg),
                decl::<CodeInfo>(cfg),
                decl::<ErrorDetails>(cfg),
            ],
        },
        File {
            name: "catalog",
            about: "The limits catalog: editions, credit costs, per-call limits, data centres, Zoho facts.",
            decls: vec![
                decl::<Edition>(cfg),
                decl::<EditionOptions>(cfg),
                decl::<CreditAllowance>(cfg),
                decl::<EditionLimits>(cfg),
                decl::<OperationKind>(cfg),
                decl::<RawOperation>(cfg),
                decl::<CostOverrides>(cfg),
                decl::<CreditCost>(cfg),
                decl::<Pool>(cfg),
                decl::<OperationLimits>(cfg),
                union_of(
                    "DataCenterId",
                    "Id of a Zoho data centre.",
                    DATA_CENTERS.iter().map(|dc| dc.id.to_owned()),
                ),
                decl::<DataCenter>(cfg),
                decl::<ZohoFacts>(cfg),
            ],
        },
        File {
            name: "classify",
            about: "The verdict of `classify` on one response.",
            decls: vec![
                decl::<Category>(cfg),
                decl::<RetryHint>(cfg),
                decl::<Outcome>(cfg),
                decl::<RecordResult>(cfg),
                decl::<TopError>(cfg),
                decl::<Verdict>(cfg),
                decl::<ClassifyOptions>(cfg),
            ],
        },
        File {
            name: "graphql",
            about: "The GraphQL pre-flight: `analyzeGraphql`'s options and analysis.",
            decls: vec![
                decl::<DepthConvention>(cfg),
                decl::<GraphqlOptions>(cfg),
                decl::<ViolationCode>(cfg),
                decl::<Violation>(cfg),
                decl::<ResourceKind>(cfg),
                decl::<Resource>(cfg),
                decl::<Analysis>(cfg),
            ],
        },
        File {
            name: "validate",
            about: "Validation of records against Zoho's field metadata, and module names.",
            decls: vec![
                decl::<ValidateOptions>(cfg),
                decl::<Validation>(cfg),
                decl::<ModuleCheck>(cfg),
            ],
        },
        File {
            name: "batch",
            about: "Planning calls within Zoho's per-call limits, and forecasts of jobs.",
            decls: vec![
                decl::<BatchOptions>(cfg),
                decl::<Batch>(cfg),
                decl::<CompositeOptions>(cfg),
                decl::<JobOptions>(cfg),
                decl::<JobPlan>(cfg),
            ],
        },
        File {
            name: "guard",
            about: "The Guard: its configuration, admissions, decisions, snapshot and log.",
            decls: vec![
                decl::<RetryAfterPolicy>(cfg),
                decl::<RetryAfterScope>(cfg),
                decl::<AmbiguousInsert>(cfg),
                decl::<RawGuardConfig>(cfg),
                decl::<RefuseReason>(cfg),
                decl::<Admitted>(cfg),
                decl::<Refused>(cfg),
                decl::<Admission>(cfg),
                decl::<Action>(cfg),
                decl::<Reason>(cfg),
                decl::<DelayBasis>(cfg),
                decl::<DecisionInputs>(cfg),
                decl::<DecisionView>(cfg),
                decl::<TokenResponse>(cfg),
                decl::<TokenStatus>(cfg),
                decl::<TokenFailure>(cfg),
                decl::<TokenFailureDecision>(cfg),
                decl::<BreakerState>(cfg),
                decl::<PerClass<u32>>(cfg),
                decl::<Snapshot>(cfg),
                opaque_state(),
                decl::<FailedRun>(cfg),
                decl::<VerdictFacts>(cfg),
                decl::<LoggedDecision>(cfg),
                decl::<LogEvent>(cfg),
                decl::<DecisionLog>(cfg),
            ],
        },
    ]
}

/// The code of a declaration without its comments and string literals: what names
/// it uses.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(rest.len(), |e| e + 2);
            rest = &rest[end..];
        } else if rest.starts_with("//") {
            rest = &rest[rest.find('\n').unwrap_or(rest.len())..];
        } else if c == '"' || c == '\'' {
            let end = rest[1..].find(c).map_or(rest.len(), |e| e + 2);
            out.push(' ');
            rest = &rest[end..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Capitalised identifiers: the type names a declaration uses.
fn type_names(code: &str) -> BTreeSet<&str> {
    code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
        .collect()
}

/// The text of every file, by file name.
fn render(cfg: &Config) -> BTreeMap<String, String> {
    let files = files(cfg);
    let mut home: BTreeMap<String, String> = HAND_WRITTEN
        .iter()
        .map(|(n, f)| ((*n).to_owned(), (*f).to_owned()))
        .collect();
    for file in &files {
        for d in &file.decls {
            let previous = home.insert(d.name.clone(), format!("./{}.js", file.name));
            assert!(previous.is_none(), "{} is declared twice", d.name);
        }
    }
    let mut out = BTreeMap::new();
    for file in files {
        let own: BTreeSet<&str> = file.decls.iter().map(|d| d.name.as_str()).collect();
        let mut imports: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let code: String = file.decls.iter().map(|d| code_only(&d.text)).collect();
        for name in type_names(&code) {
            if own.contains(name) || BUILT_IN.contains(&name) {
                continue;
            }
            let from = home.get(name).unwrap_or_else(|| {
                panic!(
                    "{}.d.ts uses {name}, which no generated file declares: add its type to \
                     files() or to HAND_WRITTEN",
                    file.name
                )
            });
            imports.entry(from).or_default().insert(name);
        }
        let mut text = format!(
            "// {}\n// Generated from the Rust types by ts-rs (tests/ts_types/): do not edit.\n\
             // `{REGENERATE}` rewrites it; the test `ts_types` fails when it is stale.\n",
            file.about
        );
        for (from, names) in &imports {
            let names: Vec<&str> = names.iter().copied().collect();
            text.push_str(&format!(
                "import type {{ {} }} from '{from}';\n",
                names.join(", ")
            ));
        }
        for d in &file.decls {
            text.push('\n');
            text.push_str(&d.text);
            text.push('\n');
        }
        out.insert(format!("{}.d.ts", file.name), text);
    }
    out
}

fn config() -> Config {
    // Integers cross as JavaScript numbers (all below 2^53: see guard::MAX_SAFE_INTEGER).
    Config::new().with_large_int("number")
}

fn committed(dir: &Path) -> BTreeMap<String, String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// The first line where two texts differ, for the failure message.
fn first_difference(want: &str, have: &str) -> String {
    let line = want
        .lines()
        .zip(have.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| want.lines().count().min(have.lines().count()));
    format!(
        "line {}: expected {:?}, found {:?}",
        line + 1,
        want.lines().nth(line).unwrap_or("<end>"),
        have.lines().nth(line).unwrap_or("<end>")
    )
}

#[test]
fn generated_declarations_are_current() {
    let dir = PathBuf::from(DIR);
    let want = render(&config());
    if std::env::var_os("ZCRM_GUARD_WRITE_TYPES").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for stale in committed(&dir).keys().filter(|n| !want.contains_key(*n)) {
            std::fs::remove_file(dir.join(stale)).unwrap();
        }
        for (name, text) in &want {
            std::fs::write(dir.join(name), text).unwrap();
        }
        return;
    }
    let have = committed(&dir);
    let mut stale = Vec::new();
    for (name, text) in &want {
        match have.get(name) {
            None => stale.push(format!("{name}: missing")),
            Some(h) if h != text => {
                stale.push(format!("{name}: {}", first_difference(text, h)));
            }
            Some(_) => {}
        }
    }
    for name in have.keys().filter(|n| !want.contains_key(*n)) {
        stale.push(format!("{name}: no Rust type generates it any more"));
    }
    assert!(
        stale.is_empty(),
        "pkg-template/types/generated/ is stale; run `{REGENERATE}`:\n{}",
        stale.join("\n")
    );
}

#[test]
fn an_admission_is_told_apart_by_ok() {
    // `ok` is a bool in Rust; the declarations narrow it to `true` / `false`.
    let cfg = config();
    assert!(decl::<Admitted>(&cfg).text.contains("ok: true,"));
    assert!(decl::<Refused>(&cfg).text.contains("ok: false,"));
    let json = |a: &Admission| serde_json::to_value(a).unwrap()["ok"].clone();
    let mut g =
        zcrm_guard::guard::Guard::new(zcrm_guard::guard::GuardConfig::for_edition("free").unwrap());
    let op = zcrm_guard::catalog::Operation::new(OperationKind::Get);
    let admitted = g.admit(&op, 0.0, None).unwrap();
    assert_eq!(json(&admitted), serde_json::json!(true));
    for _ in 0..10 {
        let a = g.admit(&op, 0.0, None).unwrap();
        if let Admission::Refused(_) = a {
            assert_eq!(json(&a), serde_json::json!(false));
            return;
        }
    }
    panic!("free edition admitted 11 calls at once");
}
