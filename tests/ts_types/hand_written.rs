//! The declarations kept by hand in `pkg-template/types/` that mirror something in
//! Rust, checked against it: the edition aliases, and Zoho's documents the core
//! reads in part (hand-written because their key sets are open, which ts-rs cannot
//! declare): every key the core reads must be declared.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use zcrm_guard::catalog::EditionSpec;
use zcrm_guard::validate::fields::{PickListValue, Textarea};
use zcrm_guard::validate::{FieldMeta, FieldsMetadata, ModuleMeta, ModulesMetadata};

fn types_file(name: &str) -> String {
    let path = format!("{}/pkg-template/types/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text of `export interface {name} …` up to its closing brace.
fn interface<'a>(file: &'a str, name: &str) -> &'a str {
    let start = file
        .find(&format!("export interface {name} "))
        .unwrap_or_else(|| panic!("interface {name} is not declared"));
    let mut depth = 0;
    for (i, c) in file[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 1 => return &file[start..start + i + 1],
            '}' => depth -= 1,
            _ => {}
        }
    }
    panic!("interface {name} is not closed")
}

/// The keys serde reads for a struct: what its derive passes to `deserialize_struct`.
fn serde_keys<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    struct Keys(Option<&'static [&'static str]>);
    #[derive(Debug)]
    struct Stop;
    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("stop")
        }
    }
    impl std::error::Error for Stop {}
    impl de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Stop
        }
    }
    impl<'de> Deserializer<'de> for &mut Keys {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0 = Some(fields);
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
            enum identifier ignored_any
        }
    }
    let mut keys = Keys(None);
    let _ = T::deserialize(&mut keys);
    keys.0.expect("a struct")
}

/// Every key serde reads for `T` is declared (`key:` or `key?:`) in `declared`.
fn all_declared<'de, T: Deserialize<'de>>(declared: &str, what: &str) {
    for key in serde_keys::<T>() {
        assert!(
            declared.contains(&format!(" {key}:")) || declared.contains(&format!(" {key}?:")),
            "{what} does not declare `{key}`, which the core reads:\n{declared}"
        );
    }
}

#[test]
fn zohos_documents_declare_every_key_the_core_reads() {
    let validate = types_file("validate.d.ts");
    let field = interface(&validate, "FieldMeta");
    all_declared::<FieldMeta>(field, "FieldMeta");
    all_declared::<PickListValue>(field, "FieldMeta.pick_list_values");
    all_declared::<Textarea>(field, "FieldMeta.textarea");
    all_declared::<FieldsMetadata>(interface(&validate, "FieldsMetadata"), "FieldsMetadata");
    let modules = interface(&validate, "ModulesMetadata");
    all_declared::<ModulesMetadata>(modules, "ModulesMetadata");
    all_declared::<ModuleMeta>(modules, "ModulesMetadata.modules");
    // The check can fail: a key no declaration has.
    assert!(!field.contains(" not_a_key"));
    assert!(serde_keys::<FieldMeta>().contains(&"pick_list_values"));
}

#[test]
fn hand_written_edition_aliases_are_aliases() {
    let catalog = types_file("catalog.d.ts");
    let start = catalog
        .find("export type EditionAlias =")
        .expect("EditionAlias");
    let union = &catalog[start..start + catalog[start..].find(';').unwrap()];
    let aliases: Vec<&str> = union.split('\'').skip(1).step_by(2).collect();
    assert_eq!(aliases.len(), 3, "{union}");
    for alias in aliases {
        let spec = EditionSpec::parse(alias).unwrap();
        assert_eq!(spec.alias, Some(alias));
    }
}
