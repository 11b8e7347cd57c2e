//! Layout of the generated declarations: ts-rs writes each one on a line (its
//! `format` feature would pull in a whole TypeScript formatter), so object members
//! go one per line, indented by nesting, and long top-level unions one member per line.
//! Whitespace only: `tsc` reads the same types either way.

/// Lines longer than this break their top-level unions.
const WIDTH: usize = 100;

/// Re-lays one declaration.
pub fn pretty(decl: &str) -> String {
    let long = decl.lines().any(|l| l.len() > WIDTH);
    let mut out = String::with_capacity(decl.len() * 2);
    // Open brackets, innermost last: `{` `<` `[` `(`.
    let mut open: Vec<char> = Vec::new();
    let depth = |open: &[char]| open.iter().filter(|&&c| c == '{').count();
    let mut rest = decl;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(rest.len(), |e| e + 2);
            let indent = "  ".repeat(depth(&open));
            let comment = js_links(&rest[..end]);
            let lines: Vec<&str> = comment.lines().map(str::trim).collect();
            match lines.as_slice() {
                // A one-line doc stays on one line.
                ["/**", line, "*/"] => {
                    out.push_str("/** ");
                    out.push_str(line.trim_start_matches('*').trim());
                    out.push_str(" */");
                }
                _ => {
                    for (i, line) in lines.iter().enumerate() {
                        if i > 0 {
                            newline(&mut out, &indent);
                            out.push(' ');
                        }
                        out.push_str(line);
                    }
                }
            }
            rest = &rest[end..];
            continue;
        }
        if c == '"' || c == '\'' {
            let end = rest[1..].find(c).map_or(rest.len(), |e| e + 2);
            let (lit, after) = rest.split_at(end);
            out.push_str(&literal(lit, after.starts_with(':')));
            rest = after;
            continue;
        }
        rest = &rest[c.len_utf8()..];
        match c {
            '{' => {
                open.push(c);
                out.push(c);
                rest = rest.trim_start();
                if rest.starts_with('}') {
                    continue;
                }
                newline(&mut out, &"  ".repeat(depth(&open)));
            }
            '}' => {
                open.pop();
                if !out.trim_end().ends_with('{') {
                    newline(&mut out, &"  ".repeat(depth(&open)));
                } else {
                    trim_end(&mut out);
                }
                out.push(c);
            }
            '<' | '[' | '(' => {
                open.push(c);
                out.push(c);
            }
            '>' | ']' | ')' => {
                open.pop();
                out.push(c);
            }
            ',' if open.last() == Some(&'{') => {
                out.push(c);
                rest = rest.trim_start();
                if !rest.starts_with('}') {
                    newline(&mut out, &"  ".repeat(depth(&open)));
                }
            }
            '\n' => {
                rest = rest.trim_start();
                if !rest.starts_with('}') {
                    newline(&mut out, &"  ".repeat(depth(&open)));
                }
            }
            '|' if long && open.is_empty() => {
                newline(&mut out, "  ");
                out.push(c);
                rest = rest.trim_start();
                out.push(' ');
            }
            _ => out.push(c),
        }
    }
    out
}

/// A string literal in the package's style: single quotes, and a key that is an
/// identifier (`'action': …`) without quotes.
fn literal(lit: &str, is_key: bool) -> String {
    let Some(inner) = lit.get(1..lit.len().saturating_sub(1)) else {
        return lit.to_owned();
    };
    let ident = inner.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if is_key && ident {
        inner.to_owned()
    } else if inner.contains(['\'', '\\']) {
        lit.to_owned()
    } else {
        format!("'{inner}'")
    }
}

/// Rustdoc links in a doc comment as JavaScript reads them: ``[`plan_batches`](…)``
/// becomes `` `planBatches` `` (the export's name), any other link its plain name.
fn js_links(doc: &str) -> String {
    let mut out = String::with_capacity(doc.len());
    let mut rest = doc;
    while let Some(start) = rest.find("[`") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("`]") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = &after[..end];
        let mut tail = &after[end + 2..];
        if tail.starts_with('(') {
            tail = &tail[tail.find(')').map_or(0, |e| e + 1)..];
        }
        let is_fn = name.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        out.push('`');
        if is_fn {
            let mut words = name.split('_');
            out.push_str(words.next().unwrap_or_default());
            for w in words {
                let mut cs = w.chars();
                out.extend(cs.next().map(|c| c.to_ascii_uppercase()));
                out.push_str(cs.as_str());
            }
        } else {
            out.push_str(name);
        }
        out.push('`');
        rest = tail;
    }
    out.push_str(rest);
    out
}

fn trim_end(out: &mut String) {
    let len = out.trim_end().len();
    out.truncate(len);
}

fn newline(out: &mut String, indent: &str) {
    trim_end(out);
    out.push('\n');
    out.push_str(indent);
}

#[test]
fn lays_out_objects_and_long_unions() {
    assert_eq!(
        pretty("type A = { \n/**\n * Doc.\n */\na: number, b: { \n/**\n * One.\n * Two.\n */\nc: Array<[number, string]>, }, };"),
        "type A = {\n  /** Doc. */\n  a: number,\n  b: {\n    /**\n     * One.\n     * Two.\n     */\n    c: Array<[number, string]>,\n  },\n};"
    );
    let long = format!("type U = {};", ["\"member\""; 12].join(" | "));
    assert!(pretty(&long).starts_with("type U = 'member'\n  | 'member'\n  | 'member'"));
    assert_eq!(pretty("type E = {  };"), "type E = {};");
    assert_eq!(
        pretty(r#"type S = { "action": "done", "a-b": "it's" };"#),
        "type S = {\n  action: 'done',\n  'a-b': \"it's\"\n};"
    );
    assert_eq!(
        js_links(
            "/** Options of [`plan_batches`], [`classify`](fn@super::classify), [`Operation`]. */"
        ),
        "/** Options of `planBatches`, `classify`, `Operation`. */"
    );
}
