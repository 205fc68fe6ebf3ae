//! What front ends need to show the API's data: the display labels of its enums, in Vietnamese
//! and English.

pub mod labels;
pub mod model;
pub mod routes;
