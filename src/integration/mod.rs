//! Views of motcua for other systems: what portal adapters read, already in the portal's shape.

pub mod dvcqg;
