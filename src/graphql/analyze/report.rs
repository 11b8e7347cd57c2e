//! The report: violations found during the analysis, located by byte offset, turned
//! into an [`Analysis`] whose violations carry 1-based line and column.

use super::super::limits::QUARTERS_PER_CREDIT;
use super::super::{Analysis, Depth, Resource, Violation, ViolationCode};

/// A violation before its offset is turned into line and column.
pub(super) struct Found {
    pub code: ViolationCode,
    pub message: String,
    pub limit: Option<u64>,
    pub actual: Option<u64>,
    pub path: Vec<String>,
    pub offset: Option<u32>,
}

impl Found {
    /// A violation of the whole query: no limit, figure, path or place.
    pub(super) fn new(code: ViolationCode, message: String) -> Self {
        Found {
            code,
            message,
            limit: None,
            actual: None,
            path: Vec::new(),
            offset: None,
        }
    }
}

/// The figures of a finished walk.
#[derive(Default)]
pub(super) struct Totals {
    pub depth: Depth,
    pub complexity: u32,
    pub quarters: u32,
    pub root_records: u32,
    pub criteria: u32,
    pub resources: Vec<Resource>,
}

pub(super) fn finish(
    query: &str,
    operation: Option<String>,
    found: Vec<Found>,
    t: Totals,
) -> Analysis {
    // Built only when a violation has a place: most analyses have none.
    let lines = found
        .iter()
        .any(|f| f.offset.is_some())
        .then(|| LineIndex::new(query));
    let violations: Vec<Violation> = found
        .into_iter()
        .map(|f| {
            let (line, column) = match (f.offset, &lines) {
                (Some(o), Some(lines)) => {
                    let (l, c) = lines.locate(query, o as usize);
                    (Some(l), Some(c))
                }
                _ => (None, None),
            };
            Violation {
                code: f.code,
                message: f.message,
                limit: f.limit,
                actual: f.actual,
                path: f.path,
                line,
                column,
            }
        })
        .collect();
    Analysis {
        ok: violations.is_empty(),
        operation,
        depth: t.depth,
        complexity: t.complexity,
        credits: t.quarters.div_ceil(QUARTERS_PER_CREDIT),
        credits_exact: f64::from(t.quarters) / f64::from(QUARTERS_PER_CREDIT),
        root_records: t.root_records,
        criteria: t.criteria,
        resources: t.resources,
        violations,
    }
}

/// Byte offsets of line starts (GraphQL line terminators: `\n`, `\r\n`, `\r`).
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            i += 1;
            if b == b'\n' || (b == b'\r' && bytes.get(i) != Some(&b'\n')) {
                starts.push(i);
            }
        }
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn locate(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = text
            .get(start..offset.min(text.len()))
            .map_or(0, |s| s.chars().count());
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column.saturating_add(1)).unwrap_or(u32::MAX),
        )
    }
}
