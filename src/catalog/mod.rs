//! The catalog of Zoho CRM's limits: editions, operations and data centres, as data,
//! each figure with its source (see `shared/zoho-api-facts.md` for the keys).

mod cost;
mod datacenter;
mod edition;
mod limits;
mod operation;

pub use cost::*;
pub use datacenter::{data_center_for, DataCenter, DATA_CENTERS};
pub use edition::*;
pub use limits::*;
pub use operation::*;
