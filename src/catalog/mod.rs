//! The catalog of Zoho CRM's limits: editions, operations and data centres, as data,
//! each figure with its source (see `shared/zoho-api-facts.md` for the keys), and
//! [`zoho_facts`], the figures and tables the JavaScript client reads from the core.

mod cost;
mod datacenter;
mod edition;
mod facts;
mod limits;
mod operation;

pub use cost::*;
pub use datacenter::{data_center_for, DataCenter, DATA_CENTERS};
pub use edition::*;
pub use facts::{zoho_facts, CoqlFacts, DuplicateCheckFacts, PagingFacts, SearchFacts, ZohoFacts};
pub use limits::*;
pub use operation::*;
