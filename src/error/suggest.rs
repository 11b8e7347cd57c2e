//! The near miss of a mistyped key: `recordcount` → `recordCount`.
//!
//! An unknown key in an options or operation object is refused (a silently ignored
//! `recordcount: 100` cost 1 credit instead of 10); the error names the known key the
//! caller most likely meant, so the fix is one glance away.

/// Largest edit distance still called a near miss (a transposition counts as one edit).
pub const MAX_SUGGESTION_DISTANCE: usize = 2;

/// Longest key compared (longer input is no typo of a short option name).
const MAX_COMPARED_CHARS: usize = 64;

/// The known key `key` most likely stands for: a case-insensitive match first, else
/// the nearest by optimal-string-alignment distance (Damerau-Levenshtein without
/// repeated edits of one substring) when at most [`MAX_SUGGESTION_DISTANCE`]; ties go
/// to the first in `known`. `None` when nothing is near.
pub fn closest_key(key: &str, known: &[&str]) -> Option<String> {
    if let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(key)) {
        return Some((*k).to_owned());
    }
    if key.chars().count() > MAX_COMPARED_CHARS {
        return None;
    }
    let lower = key.to_lowercase();
    known
        .iter()
        .map(|k| (osa_distance(&lower, &k.to_lowercase()), *k))
        .filter(|(d, _)| *d <= MAX_SUGGESTION_DISTANCE)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.to_owned())
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and
/// transpositions of two adjacent characters, each costing one.
pub fn osa_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len().saturating_add(1);
    // Three rows: i-2, i-1, i.
    let mut rows = [vec![0usize; width], (0..width).collect(), vec![0; width]];
    for i in 1..=a.len() {
        let [before, prev, cur] = &mut rows;
        if let Some(first) = cur.first_mut() {
            *first = i;
        }
        for j in 1..width {
            let at = |v: &Vec<usize>, k: usize| v.get(k).copied().unwrap_or(usize::MAX);
            let ca = a.get(i.wrapping_sub(1));
            let cb = b.get(j.wrapping_sub(1));
            let cost = usize::from(ca != cb);
            let mut best = at(prev, j.wrapping_sub(1))
                .saturating_add(cost)
                .min(at(prev, j).saturating_add(1))
                .min(at(cur, j.wrapping_sub(1)).saturating_add(1));
            let swapped =
                i > 1 && j > 1 && ca == b.get(j.wrapping_sub(2)) && a.get(i.wrapping_sub(2)) == cb;
            if swapped {
                best = best.min(at(before, j.wrapping_sub(2)).saturating_add(1));
            }
            if let Some(slot) = cur.get_mut(j) {
                *slot = best;
            }
        }
        rows.rotate_left(1);
    }
    rows.get(1).and_then(|r| r.last()).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(osa_distance("", ""), 0);
        assert_eq!(osa_distance("abc", ""), 3);
        assert_eq!(osa_distance("", "ab"), 2);
        assert_eq!(osa_distance("kitten", "sitting"), 3);
        assert_eq!(osa_distance("recordcuont", "recordcount"), 1);
        assert_eq!(osa_distance("ca", "abc"), 3);
    }

    #[test]
    fn suggestions() {
        let known = ["kind", "module", "recordCount", "coqlLimit", "maxAttempts"];
        assert_eq!(
            closest_key("recordcount", &known).as_deref(),
            Some("recordCount")
        );
        assert_eq!(
            closest_key("recordCuont", &known).as_deref(),
            Some("recordCount")
        );
        assert_eq!(
            closest_key("maxAttemps", &known).as_deref(),
            Some("maxAttempts")
        );
        assert_eq!(closest_key("modul", &known).as_deref(), Some("module"));
        assert_eq!(closest_key("retryOf", &known), None);
        assert_eq!(closest_key(&"x".repeat(1000), &known), None);
    }
}
