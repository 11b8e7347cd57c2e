//! What validation knows about each key a record may hold, prepared once per run:
//! the field's metadata, whether it is mandatory, a duplicate-check field or unique.
//! Lookups first try the slot seen at the same position in the previous record.

use rustc_hash::FxHashMap;

use super::fields::{FieldMeta, FieldsMetadata};

/// What validation knows about one key.
pub(super) struct Slot<'m> {
    name: String,
    pub field: Option<&'m FieldMeta>,
    /// Position in the run's list of mandatory fields.
    pub mandatory: Option<usize>,
    pub duplicate_check: bool,
    /// `Some(case_sensitive)` for a unique field.
    pub unique: Option<bool>,
}

/// Every name validation knows: metadata fields, mandatory and duplicate-check fields.
pub(super) struct Slots<'m> {
    slots: Vec<Slot<'m>>,
    by_name: FxHashMap<String, usize>,
    /// Slot of the key seen at each position of the previous records: records of one
    /// export share their key order, so a lookup is usually one comparison.
    predicted: Vec<usize>,
}

/// No slot: an unknown key.
const NO_SLOT: usize = usize::MAX;

/// Key positions remembered for prediction (records wider than this look the rest up).
const MAX_PREDICTED_KEYS: usize = 1_024;

impl<'m> Slots<'m> {
    pub(super) fn new(
        meta: &'m FieldsMetadata,
        mandatory: &[String],
        duplicate_check: &[String],
    ) -> Self {
        let mut s = Slots {
            slots: Vec::new(),
            by_name: FxHashMap::default(),
            predicted: Vec::new(),
        };
        for f in &meta.fields {
            if let Some(slot) = s.entry(&f.api_name) {
                if slot.field.is_none() {
                    slot.field = Some(f);
                    slot.unique = f.uniqueness();
                }
            }
        }
        for (m, name) in mandatory.iter().enumerate() {
            if let Some(slot) = s.entry(name) {
                slot.mandatory = Some(m);
            }
        }
        for name in duplicate_check {
            if let Some(slot) = s.entry(name) {
                slot.duplicate_check = true;
            }
        }
        s
    }

    /// The slot of a name, made empty on first sight.
    fn entry(&mut self, name: &str) -> Option<&mut Slot<'m>> {
        let next = self.slots.len();
        let i = *self.by_name.entry(name.to_owned()).or_insert(next);
        if i == next {
            self.slots.push(Slot {
                name: name.to_owned(),
                field: None,
                mandatory: None,
                duplicate_check: false,
                unique: None,
            });
        }
        self.slots.get_mut(i)
    }

    /// Whether any field must hold unique values.
    pub(super) fn any_unique(&self) -> bool {
        self.slots.iter().any(|s| s.unique.is_some())
    }

    /// The slot of the key at position `pos` of a record; `None` for an unknown key.
    pub(super) fn find(&mut self, pos: usize, key: &str) -> Option<&Slot<'m>> {
        if let Some(&i) = self.predicted.get(pos) {
            if self.slots.get(i).is_some_and(|s| s.name == key) {
                return self.slots.get(i);
            }
        }
        let i = self.by_name.get(key).copied().unwrap_or(NO_SLOT);
        if pos < self.predicted.len() {
            if let Some(p) = self.predicted.get_mut(pos) {
                *p = i;
            }
        } else if pos == self.predicted.len() && pos < MAX_PREDICTED_KEYS {
            self.predicted.push(i);
        }
        self.slots.get(i)
    }
}
